/// The line-level differences that turn a canonical passage into a member passage: runs of
/// canonical lines the member lacks and runs of member lines the canonical passage lacks,
/// from a longest common subsequence of lines (compared byte for byte).
struct PassageLineDiff {
    /// One place where the texts differ: at canonical line `at` (1-based; one past the last
    /// line for an append), `removed` canonical lines are lacking and `added` member lines
    /// (indices into the member's lines) take their place.
    struct Hunk {
        var at: Int
        var removed: Range<Int>
        var added: Range<Int>
    }

    private(set) var hunks: [Hunk] = []

    /// Larger comparisons (canonical lines × member lines) are not attempted.
    static let maximumCells = 2_000_000

    /// The differences between `canonical` and `member`, or nil when the passages are too
    /// large to compare.
    init?(canonical: [ArraySlice<UInt8>], member: [ArraySlice<UInt8>]) {
        let (n, m) = (canonical.count, member.count)
        guard (n + 1) * (m + 1) <= Self.maximumCells else { return nil }
        let a = canonical.map { PassageStitcher.hash($0) }
        let b = member.map { PassageStitcher.hash($0) }
        func equal(_ i: Int, _ j: Int) -> Bool { a[i] == b[j] && canonical[i].elementsEqual(member[j]) }
        // lcs[i][j]: the common subsequence length of canonical[i...] and member[j...].
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        let width = m + 1
        if n > 0, m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * width + j] = equal(i, j)
                        ? lcs[(i + 1) * width + j + 1] + 1
                        : max(lcs[(i + 1) * width + j], lcs[i * width + j + 1])
                }
            }
        }
        var (i, j) = (0, 0)
        var open: Hunk?
        func close() {
            if let hunk = open { hunks.append(hunk) }
            open = nil
        }
        while i < n || j < m {
            if i < n, j < m, equal(i, j) {
                close()
                i += 1
                j += 1
            } else if j < m, i == n || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j] {
                if open == nil { open = Hunk(at: i + 1, removed: i..<i, added: j..<j) }
                open!.added = open!.added.lowerBound..<(j + 1)
                j += 1
            } else {
                if open == nil { open = Hunk(at: i + 1, removed: i..<i, added: j..<j) }
                open!.removed = open!.removed.lowerBound..<(i + 1)
                i += 1
            }
        }
        close()
    }

    /// Member lines not in the canonical passage.
    var addedLines: Int { hunks.reduce(0) { $0 + $1.added.count } }
    /// Canonical lines the member lacks.
    var removedLines: Int { hunks.reduce(0) { $0 + $1.removed.count } }

    /// `member` rebuilt from `canonical` and the hunks (the inverse of the diff).
    func apply(canonical: [ArraySlice<UInt8>], member: [ArraySlice<UInt8>]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var next = 0
        for hunk in hunks {
            out.append(contentsOf: canonical[next..<hunk.removed.lowerBound])
            out.append(contentsOf: member[hunk.added])
            next = hunk.removed.upperBound
        }
        out.append(contentsOf: canonical[next...])
        return out
    }
}
