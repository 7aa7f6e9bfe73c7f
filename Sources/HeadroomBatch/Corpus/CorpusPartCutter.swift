/// Cuts a stream of record lines into parts of about `targetBytes`, at boundaries chosen by
/// the records' content: a part ends after a record whose hash, taken modulo three quarters of
/// the target, is below the record's length (so a part grows by about that much past its
/// first quarter), or when it reaches twice the target. Inserting, editing or deleting a
/// record moves no boundary except near it, so an incremental run finds every other part
/// unchanged.
struct CorpusPartCutter {
    let targetBytes: Int
    /// The part being filled: its record lines, each ending in a newline.
    private(set) var bytes: [UInt8] = []
    /// 1-based line of the part's first record in its file.
    private(set) var firstLine = 1
    private(set) var records = 0

    init(targetBytes: Int) {
        self.targetBytes = targetBytes
        bytes.reserveCapacity(targetBytes * 2 + 4096)
    }

    /// Adds one line (without its newline), numbered `line` in its file; true when the part
    /// is complete after it (take it with `take()`).
    mutating func add(_ line: UnsafeRawBufferPointer, number: Int) -> Bool {
        if records == 0 { firstLine = number }
        bytes.append(contentsOf: line)
        bytes.append(10)
        records += 1
        if bytes.count >= 2 * targetBytes { return true }
        guard bytes.count >= targetBytes / 4 else { return false }
        let window = UInt64(max(1, targetBytes * 3 / 4))
        return LineHash.hash(line).hash % window < UInt64(line.count + 1)
    }

    /// The part filled so far (empty when none), and a fresh start. The part's bytes are a
    /// copy of their own size: parts in flight hold no spare capacity.
    mutating func take() -> (bytes: [UInt8], firstLine: Int, records: Int) {
        let part = (bytes.withUnsafeBufferPointer { Array($0) }, firstLine, records)
        bytes.removeAll(keepingCapacity: true)
        records = 0
        return part
    }
}

/// Reads a file (zstd, lz4 or gzip content decoded) line by line in large reads; a last line
/// without a newline is still a line.
struct CorpusLineReader {
    let path: String

    /// Calls `line` with each line (without its newline) and its 1-based number.
    func forEachLine(_ line: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let raw = try DescriptorStream(path: path)
        let (stream, _) = try decodingStream(raw, name: path)
        let capacity = 4 << 20
        var buffer = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        var number = 1
        while true {
            let n = try buffer.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            filled += n
            let atEnd = n == 0
            var start = 0
            try buffer.withUnsafeBytes { all in
                let view = UnsafeRawBufferPointer(rebasing: all[0..<filled])
                while start < filled, let found = memchr(view.baseAddress! + start, 10, filled - start) {
                    let newline = view.baseAddress!.distance(to: UnsafeRawPointer(found))
                    try line(UnsafeRawBufferPointer(rebasing: view[start..<newline]), number)
                    number += 1
                    start = newline + 1
                }
                if atEnd && start < filled {
                    try line(UnsafeRawBufferPointer(rebasing: view[start..<filled]), number)
                    start = filled
                }
            }
            if atEnd { return }
            if start > 0 {
                buffer.withUnsafeMutableBytes { all in
                    all.baseAddress!.copyMemory(from: all.baseAddress! + start, byteCount: filled - start)
                }
                filled -= start
            } else if filled == buffer.count {
                // One line longer than the buffer: grow it.
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
            }
        }
    }
}
