/// One distinct text: the records whose texts are equal after whitespace normalisation
/// (runs of whitespace read as one space, ends trimmed), printed once.
struct RAGWindow {
    /// The text of the first record, decoded.
    var text: [UInt8]
    /// The text's lines (ranges into `text`, without `\n`).
    var lines: [Range<Int>]
    /// Indices into the records, in input order.
    var records: [Int]
    /// The source group (index into `PassageStitcher.sources`).
    var source: Int
}

/// Overlapping windows of one source joined into one text, shared lines once.
struct RAGPassage {
    /// The windows in text order, each with the 1-based passage line where it starts.
    var windows: [(window: Int, start: Int)]
    /// The passage's lines: (window, line index in that window).
    var lines: [(window: Int, line: Int)]
    var source: Int
    /// The first input record (index) among its windows, which orders the passages.
    var firstRecord: Int
}

/// Folds exact duplicates into windows and stitches overlapping windows of the same source:
/// window B continues window A when the longest suffix of A's lines equal to a prefix of B's
/// lines (compared with each line's surrounding whitespace trimmed, since chunkers strip the
/// ends of a chunk) has at least 2 non-blank lines or 80 bytes. Each window joins at most one
/// predecessor and one successor, the largest overlaps first, so passages are chains.
struct PassageStitcher {
    /// The distinct sources, in order of first appearance (nil: records without a source).
    private(set) var sources: [[UInt8]?] = []
    private(set) var windows: [RAGWindow] = []
    private(set) var passages: [RAGPassage] = []
    /// The window of each record.
    private(set) var windowOfRecord: [Int] = []
    /// Windows joined to a predecessor.
    private(set) var stitchedWindows = 0

    static let minimumOverlapLines = 2
    static let minimumOverlapBytes = 80

    init(_ records: [RAGRecord]) {
        foldDuplicates(records)
        stitch()
    }

    /// Groups records by normalised text and source.
    private mutating func foldDuplicates(_ records: [RAGRecord]) {
        var sourceNames = RAGByteTable()
        var sourceOfName: [Int] = []
        var noSource: Int?
        // Keys: the source's number (8 bytes) then the normalised text.
        var texts = RAGByteTable(capacity: records.count)
        windows.reserveCapacity(records.count)
        windowOfRecord.reserveCapacity(records.count)
        for (recordIndex, record) in records.enumerated() {
            let source: Int
            if let name = record.source {
                let (entry, inserted) = sourceNames.insert(name[...], hash: RAGByteHash.hash(name[...]))
                if inserted {
                    sourceOfName.append(sources.count)
                    sources.append(name)
                }
                source = sourceOfName[entry]
            } else if let known = noSource {
                source = known
            } else {
                source = sources.count
                noSource = source
                sources.append(nil)
            }
            let key = Self.normalised(record.text, prefix: UInt64(source))
            let (entry, inserted) = texts.insert(key[...], hash: RAGByteHash.hash(key[...]))
            if inserted {
                windowOfRecord.append(windows.count)
                windows.append(RAGWindow(text: record.text, lines: Self.lines(record.text), records: [recordIndex], source: source))
            } else {
                windows[entry].records.append(recordIndex)
                windowOfRecord.append(entry)
            }
        }
    }

    private struct LineKey: Hashable {
        var source: Int
        var hash: UInt64
    }

    /// Finds the overlaps and builds the chains.
    private mutating func stitch() {
        let hashes = windows.map { window in window.lines.map { RAGByteHash.hash(Self.trimmed(window.text[$0])) } }
        // Windows by (source, hash of their first line).
        var starting: [LineKey: [Int]] = [:]
        for (index, window) in windows.enumerated() where !window.lines.isEmpty {
            starting[LineKey(source: window.source, hash: hashes[index][0]), default: []].append(index)
        }
        var edges: [(a: Int, b: Int, lines: Int, bytes: Int)] = []
        for a in windows.indices {
            var found = Set<Int>()
            for i in hashes[a].indices {
                guard let candidates = starting[LineKey(source: windows[a].source, hash: hashes[a][i])] else { continue }
                for b in candidates where b != a && !found.contains(b) {
                    let k = hashes[a].count - i
                    guard k <= hashes[b].count, overlapHolds(a, from: i, b, count: k, hashes) else { continue }
                    let (nonBlank, bytes) = overlapSize(b, count: k)
                    guard nonBlank >= Self.minimumOverlapLines || bytes >= Self.minimumOverlapBytes else { continue }
                    found.insert(b)
                    edges.append((a, b, k, bytes))
                }
            }
        }
        edges.sort { ($0.bytes, $1.a, $1.b) > ($1.bytes, $0.a, $0.b) }
        var next = [Int?](repeating: nil, count: windows.count)
        var overlapOf = [Int](repeating: 0, count: windows.count)
        var hasPrevious = [Bool](repeating: false, count: windows.count)
        var chain = Array(windows.indices)
        func root(_ x: Int) -> Int {
            var x = x
            while chain[x] != x { chain[x] = chain[chain[x]]; x = chain[x] }
            return x
        }
        for edge in edges where next[edge.a] == nil && !hasPrevious[edge.b] {
            let (ra, rb) = (root(edge.a), root(edge.b))
            guard ra != rb else { continue }
            chain[rb] = ra
            next[edge.a] = edge.b
            hasPrevious[edge.b] = true
            overlapOf[edge.b] = edge.lines
            stitchedWindows += 1
        }
        for head in windows.indices where !hasPrevious[head] {
            var passage = RAGPassage(windows: [], lines: [], source: windows[head].source, firstRecord: Int.max)
            var current: Int? = head
            while let w = current {
                let skip = passage.windows.isEmpty ? 0 : overlapOf[w]
                passage.windows.append((w, passage.lines.count - skip + 1))
                for line in skip..<windows[w].lines.count { passage.lines.append((w, line)) }
                passage.firstRecord = min(passage.firstRecord, windows[w].records[0])
                current = next[w]
            }
            passages.append(passage)
        }
        passages.sort { $0.firstRecord < $1.firstRecord }
    }

    /// True when lines `i...` of window `a` equal the first `count` lines of window `b`.
    private func overlapHolds(_ a: Int, from i: Int, _ b: Int, count: Int, _ hashes: [[UInt64]]) -> Bool {
        let (wa, wb) = (windows[a], windows[b])
        for j in 0..<count {
            guard hashes[a][i + j] == hashes[b][j],
                  Self.trimmed(wa.text[wa.lines[i + j]]).elementsEqual(Self.trimmed(wb.text[wb.lines[j]]))
            else { return false }
        }
        return true
    }

    /// Non-blank lines and bytes of the first `count` lines of window `b`.
    private func overlapSize(_ b: Int, count: Int) -> (nonBlank: Int, bytes: Int) {
        var nonBlank = 0, bytes = 0
        for line in windows[b].lines.prefix(count) {
            let content = Self.trimmed(windows[b].text[line])
            if !content.isEmpty { nonBlank += 1 }
            bytes += content.count
        }
        return (nonBlank, bytes)
    }

    /// The lines of `text` (a final empty line after a trailing newline is not one).
    static func lines(_ text: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        text.withUnsafeBufferPointer { text in
            for index in 0..<text.count where text[index] == 10 {
                out.append(start..<index)
                start = index + 1
            }
        }
        if start < text.count { out.append(start..<text.count) }
        return out
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 || byte == 11 }

    /// `bytes` without leading and trailing whitespace.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// Whitespace runs as one space, ends trimmed: the key of exact-duplicate folding.
    static func normalised(_ text: [UInt8]) -> [UInt8] {
        Array(normalised(text, prefix: 0).dropFirst(8))
    }

    /// `normalised(text)` after the 8 bytes of `prefix` (little-endian).
    static func normalised(_ text: [UInt8], prefix: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: text.count + 8) { out, count in
            for byte in 0..<8 { out[byte] = UInt8(truncatingIfNeeded: prefix >> (8 * UInt64(byte))) }
            var written = 8
            var pendingSpace = false
            text.withUnsafeBufferPointer { text in
                for byte in text {
                    if isSpace(byte) {
                        pendingSpace = written > 8
                    } else {
                        if pendingSpace {
                            out[written] = 32
                            written += 1
                        }
                        pendingSpace = false
                        out[written] = byte
                        written += 1
                    }
                }
            }
            count = written
        }
    }

    /// FNV-1a of `bytes`.
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The lines of `passage` joined with `\n` (each line ends with one).
    func text(of passage: RAGPassage) -> [UInt8] {
        var text: [UInt8] = []
        for (window, line) in passage.lines {
            let w = windows[window]
            text.append(contentsOf: w.text[w.lines[line]])
            text.append(10)
        }
        return text
    }
}
