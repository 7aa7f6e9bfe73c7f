/// The lines of a payload as byte ranges (without their `\n`, with any `\r`), numbered from 0
/// here and from 1 in markers. Shared by the diff and code compressors.
struct DocumentLines {
    let bytes: [UInt8]
    /// Start offset of each line; `starts.count` is the number of lines.
    private(set) var starts: [Int] = []
    /// End offset (exclusive, before `\n`) of each line.
    private(set) var ends: [Int] = []

    /// Splits `bytes` at `\n`; a final line without `\n` counts, an empty tail does not.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = raw.firstIndex(of: 10, from: start) ?? raw.count
                starts.append(start)
                ends.append(end)
                start = end + 1
            }
        }
    }

    var count: Int { starts.count }

    /// The bytes of line `index` (0-based), without `\n`.
    subscript(index: Int) -> ArraySlice<UInt8> { bytes[starts[index]..<ends[index]] }

    /// Line `index` without a trailing `\r`.
    func content(_ index: Int) -> ArraySlice<UInt8> {
        var end = ends[index]
        if end > starts[index], bytes[end - 1] == 13 { end -= 1 }
        return bytes[starts[index]..<end]
    }
}
