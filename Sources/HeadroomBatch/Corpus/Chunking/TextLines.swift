/// The lines a document is chunked by: where each line's content lies in a byte buffer (its
/// line end dropped), whether it is blank, and which source lines it came from.
///
/// For markdown, text and rst the buffer is the document and line `k` is source line `k + 1`;
/// for html the buffer is the extracted visible text and each line carries its own source range.
struct TextLines {
    /// The bytes the lines point into.
    let buffer: [UInt8]
    /// Content start and end (exclusive) of each line in `buffer`.
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    /// Whether a line holds only spaces, tabs, `\r`, form feeds or vertical tabs (or nothing).
    private(set) var blank: [Bool] = []
    /// `lengthBefore[k]`: the content bytes of lines `0..<k` (one more entry than lines).
    private(set) var lengthBefore: [Int] = [0]
    /// The 1-based source lines of each line; empty when line `k` is source line `k + 1`.
    private var sourceFirsts: [Int] = []
    private var sourceLasts: [Int] = []

    /// The number of lines.
    var count: Int { starts.count }

    /// Lines whose source line numbers are given with each `append`.
    init(buffer: [UInt8]) {
        self.buffer = buffer
    }

    /// The lines of `document`, split at `\n` (a `\r` before it is part of the line end).
    /// O(n) with memchr.
    init(splitting document: [UInt8]) {
        buffer = document
        let estimate = document.count / 40 + 1
        starts.reserveCapacity(estimate)
        ends.reserveCapacity(estimate)
        blank.reserveCapacity(estimate)
        lengthBefore.reserveCapacity(estimate + 1)
        document.withUnsafeBytes { raw in
            var start = 0
            let n = raw.count
            while start < n {
                let newline = raw.firstIndex(of: 10, from: start) ?? n
                var end = newline
                if newline < n, end > start, raw[end - 1] == 13 { end -= 1 }
                record(start: start, end: end, in: raw)
                start = newline + 1
            }
        }
    }

    /// Adds a line `start..<end` of `buffer` that came from source lines `sourceFirst...sourceLast`.
    mutating func append(start: Int, end: Int, sourceFirst: Int, sourceLast: Int) {
        let bytes = buffer
        bytes.withUnsafeBytes { record(start: start, end: end, in: $0) }
        sourceFirsts.append(sourceFirst)
        sourceLasts.append(sourceLast)
    }

    private mutating func record(start: Int, end: Int, in raw: UnsafeRawBufferPointer) {
        starts.append(start)
        ends.append(end)
        var i = start
        // A byte-order mark at the very start counts as whitespace.
        if start == 0, end >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { i = 3 }
        while i < end, raw[i].isLineWhitespace { i += 1 }
        blank.append(i == end)
        lengthBefore.append(lengthBefore[lengthBefore.count - 1] + (end - start))
    }

    /// The content bytes of line `k`.
    @inline(__always)
    func length(_ k: Int) -> Int { ends[k] - starts[k] }

    /// The bytes of lines `first...last` joined by `\n`.
    @inline(__always)
    func byteCount(_ first: Int, _ last: Int) -> Int {
        lengthBefore[last + 1] - lengthBefore[first] + (last - first)
    }

    /// Where line `k`'s markup starts: its content start, past a byte-order mark on the first line.
    @inline(__always)
    func markupStart(_ k: Int) -> Int {
        let s = starts[k]
        if s == 0, ends[k] >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { return 3 }
        return s
    }

    /// The 1-based source line where line `k` starts.
    func sourceFirst(_ k: Int) -> Int { sourceFirsts.isEmpty ? k + 1 : sourceFirsts[k] }

    /// The 1-based source line where line `k` ends.
    func sourceLast(_ k: Int) -> Int { sourceLasts.isEmpty ? k + 1 : sourceLasts[k] }

    /// The lines `first...last` joined by `\n`.
    func joined(_ first: Int, _ last: Int) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(byteCount(first, last))
        buffer.withUnsafeBufferPointer { bytes in
            for k in first...last {
                if k > first { text.append(10) }
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[starts[k]..<ends[k]]))
            }
        }
        return text
    }

    /// The indentation of line `k` in columns (a tab advances to the next multiple of 8).
    func indentation(_ k: Int) -> Int {
        var column = 0
        var i = markupStart(k)
        let end = ends[k]
        while i < end {
            switch buffer[i] {
            case 32: column += 1
            case 9: column = (column / 8 + 1) * 8
            default: return column
            }
            i += 1
        }
        return column
    }

    /// The first byte of line `k` that is not a space or tab, or nil for a line of only those.
    @inline(__always)
    func leadingByte(_ k: Int) -> UInt8? {
        var i = markupStart(k)
        let end = ends[k]
        while i < end {
            let b = buffer[i]
            if b != 32 && b != 9 { return b }
            i += 1
        }
        return nil
    }

    /// The content of line `k` from its first byte that is not a space or tab.
    func afterIndentation(_ k: Int) -> ArraySlice<UInt8> {
        var i = markupStart(k)
        let end = ends[k]
        while i < end, buffer[i] == 32 || buffer[i] == 9 { i += 1 }
        return buffer[i..<end]
    }

    /// The content of line `k` (past a leading byte-order mark).
    func markup(_ k: Int) -> ArraySlice<UInt8> { buffer[markupStart(k)..<ends[k]] }
}
