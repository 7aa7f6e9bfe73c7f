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

extension ArraySlice where Element == UInt8 {
    /// Whether the slice begins with the ASCII `literal`.
    func hasPrefix(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard count >= n else { return false }
        let p = literal.utf8Start
        var i = startIndex
        for k in 0..<n {
            if self[i] != p[k] { return false }
            i += 1
        }
        return true
    }

    /// The slice without leading and trailing spaces, tabs and `\r`.
    func trimmingWhitespace() -> ArraySlice<UInt8> {
        var lo = startIndex, hi = endIndex
        while lo < hi, self[lo].isDiffWhitespace { lo += 1 }
        while hi > lo, self[hi - 1].isDiffWhitespace { hi -= 1 }
        return self[lo..<hi]
    }

    /// The slice without trailing spaces, tabs and `\r`.
    func trimmingTrailingWhitespace() -> ArraySlice<UInt8> {
        var hi = endIndex
        while hi > startIndex, self[hi - 1].isDiffWhitespace { hi -= 1 }
        return self[startIndex..<hi]
    }
}

extension UInt8 {
    /// Space, tab, `\r`, vertical tab or form feed.
    var isDiffWhitespace: Bool { self == 32 || self == 9 || self == 13 || self == 11 || self == 12 }
}
