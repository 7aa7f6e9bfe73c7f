/// Parses plain grep/ripgrep output (`path:line:text`, context lines, `--`, `rg --heading`
/// blocks, `--count`, `--files-with-matches`) into `SearchResults`.
///
/// Paths may contain `:` and `-` followed by digits, so a line can be split in several ways.
/// The split chosen is the one whose path the neighbouring lines of the same group share;
/// failing that, the first `:N:` split, then the first `-N-` split (`path:N` for counts).
struct SearchTextParser {
    /// One way to split a line: the path ends before `pathEnd`, then `:N:` or `-N-`.
    private struct Split {
        var pathEnd: Int
        var kind: SearchLineKind
        var number: Int
        var textStart: Int
    }

    private let bytes: [UInt8]
    /// Line `k` is `bytes[starts[k]..<ends[k]]`, without `\n` and a trailing `\r`.
    private var starts: [Int] = []
    private var ends: [Int] = []

    /// At most this many splits are considered per line.
    private static let maxSplits = 8

    init(_ document: [UInt8]) {
        bytes = document.contains(27) ? Self.strippingEscapes(document) : document
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n, bytes[end] != 10 { end += 1 }
            starts.append(start)
            ends.append(end > start && bytes[end - 1] == 13 ? end - 1 : end)
            start = end + 1
        }
    }

    /// The parsed results; every payload line becomes exactly one `SearchLine`.
    func parse() -> SearchResults {
        var results = SearchResults(storage: bytes)
        var index: [ArraySlice<UInt8>: Int] = [:]
        var heading: Range<Int>?
        var previousPath: Range<Int>?
        var bare: [Int] = []
        var nextSplits: [Split]? = nil
        for k in 0..<starts.count {
            let splits = nextSplits ?? self.splits(k)
            nextSplits = nil
            let s = starts[k], e = ends[k]
            let source = k + 1
            if e - s == 2, bytes[s] == 45, bytes[s + 1] == 45 {
                results.lines.append(SearchLine(kind: .separator, source: source, file: -1, number: 0, column: 0, text: s..<e))
                previousPath = nil
                continue
            }
            if e == s {
                results.lines.append(SearchLine(kind: .separator, source: source, file: -1, number: 0, column: 0, text: s..<e))
                previousPath = nil
                heading = nil
                continue
            }
            if let path = heading, let (kind, number, textStart) = leadingNumber(k) {
                let line = SearchLine(kind: kind, source: source, file: -1, number: number, column: 0, text: textStart..<e)
                results.add(line, path: path, index: &index)
                continue
            }
            heading = nil
            let hits = splits.filter { $0.kind != .count }
            if !hits.isEmpty {
                let following = k + 1 < starts.count ? self.splits(k + 1) : []
                nextSplits = following
                let nextStart = k + 1 < starts.count ? starts[k + 1] : 0
                let chosen = choose(hits, previous: previousPath, following: following, nextStart: nextStart, line: s)
                let path = s..<chosen.pathEnd
                let line = SearchLine(kind: chosen.kind, source: source, file: -1, number: chosen.number, column: 0,
                                      text: chosen.textStart..<e)
                results.add(line, path: path, index: &index)
                previousPath = path
                continue
            }
            if let count = splits.first(where: { $0.kind == .count }) {
                let line = SearchLine(kind: .count, source: source, file: -1, number: count.number, column: 0, text: e..<e)
                results.add(line, path: s..<count.pathEnd, index: &index)
                previousPath = nil
                continue
            }
            let startsBlock = k == 0 || starts[k - 1] == ends[k - 1]
            if startsBlock, k + 1 < starts.count, leadingNumber(k + 1) != nil {
                heading = s..<e
                results.add(SearchLine(kind: .path, source: source, file: -1, number: 0, column: 0, text: e..<e),
                            path: s..<e, index: &index)
                continue
            }
            bare.append(results.lines.count)
            results.lines.append(SearchLine(kind: .other, source: source, file: -1, number: 0, column: 0, text: s..<e))
        }
        // Bare lines are file names when nothing else was found (`--files-with-matches`).
        if results.files.isEmpty, !bare.isEmpty {
            let lines = results.lines
            results.lines = []
            for line in lines {
                if line.kind == .other {
                    results.add(SearchLine(kind: .path, source: line.source, file: -1, number: 0, column: 0, text: line.text.upperBound..<line.text.upperBound),
                                path: line.text, index: &index)
                } else {
                    results.lines.append(line)
                }
            }
        }
        Self.detectColumns(&results)
        return results
    }

    /// Picks the split whose path the previous line of the group shares, or else the longest
    /// path the next line shares; otherwise the first `:N:` split, then the first `-N-` one.
    private func choose(_ splits: [Split], previous: Range<Int>?, following: [Split], nextStart: Int, line start: Int) -> Split {
        if let previous {
            let path = bytes[previous]
            if let same = splits.first(where: { bytes[start..<$0.pathEnd].elementsEqual(path) }) { return same }
        }
        if let shared = splits.last(where: { split in
            following.contains { bytes[nextStart..<$0.pathEnd].elementsEqual(bytes[start..<split.pathEnd]) }
        }) {
            return shared
        }
        return splits.first(where: { $0.kind == .match }) ?? splits[0]
    }

    /// The ways line `k` splits into `path` + `:N:`/`-N-` + text, or `path` + `:N` at its end.
    private func splits(_ k: Int) -> [Split] {
        let s = starts[k], e = ends[k]
        var out: [Split] = []
        var i = s + 1
        while i < e, out.count < Self.maxSplits {
            let c = bytes[i]
            if c == 58 || c == 45 {
                var j = i + 1
                var number = 0
                while j < e, bytes[j] &- 48 < 10, j - i <= 18 {
                    number = number * 10 + Int(bytes[j] &- 48)
                    j += 1
                }
                if j > i + 1 {
                    if j < e, bytes[j] == c {
                        out.append(Split(pathEnd: i, kind: c == 58 ? .match : .context, number: number, textStart: j + 1))
                    } else if j == e, c == 58 {
                        out.append(Split(pathEnd: i, kind: .count, number: number, textStart: e))
                    }
                }
            }
            i += 1
        }
        return out
    }

    /// `12:text` or `12-text` at the start of line `k` (a line under an `rg --heading` path).
    private func leadingNumber(_ k: Int) -> (SearchLineKind, Int, Int)? {
        let s = starts[k], e = ends[k]
        var j = s
        var number = 0
        while j < e, bytes[j] &- 48 < 10, j - s < 18 {
            number = number * 10 + Int(bytes[j] &- 48)
            j += 1
        }
        guard j > s, j < e, bytes[j] == 58 || bytes[j] == 45 else { return nil }
        return (bytes[j] == 58 ? .match : .context, number, j + 1)
    }

    /// Columns (`path:line:col:text`) are present when every match's text starts with `N:`.
    static func detectColumns(_ results: inout SearchResults) {
        var any = false
        for line in results.lines where line.kind == .match {
            any = true
            guard columnEnd(results.storage, line.text) != nil else { return }
        }
        guard any else { return }
        results.hasColumns = true
        for k in results.lines.indices where results.lines[k].kind == .match {
            let text = results.lines[k].text
            let end = columnEnd(results.storage, text)!
            var column = 0
            for b in results.storage[text.lowerBound..<end] { column = column * 10 + Int(b &- 48) }
            results.lines[k].column = column
            results.lines[k].text = (end + 1)..<text.upperBound
        }
    }

    /// The index of the `:` after leading digits of `text`, if it starts that way.
    private static func columnEnd(_ bytes: [UInt8], _ text: Range<Int>) -> Int? {
        var j = text.lowerBound
        while j < text.upperBound, bytes[j] &- 48 < 10, j - text.lowerBound < 9 { j += 1 }
        return j > text.lowerBound && j < text.upperBound && bytes[j] == 58 ? j : nil
    }

    /// `document` without ANSI escape sequences (`rg --color=always`); line breaks stay.
    private static func strippingEscapes(_ document: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(document.count)
        TextBuffer.stripEscapes(document, into: &out)
        return out
    }
}
