/// Byte searches over raw buffers, used by readers, analyzers and the archive alike.
extension UnsafeRawBufferPointer {
    /// Index of the first `byte` at or after `from`, using memchr.
    @inline(__always)
    func firstIndex(of byte: UInt8, from: Int) -> Int? {
        guard from < count, let base = baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), count - from) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Index of the last `byte`, scanning backwards (line ends are near the end of a block).
    func lastIndex(of byte: UInt8) -> Int? {
        var i = count - 1
        while i >= 0 {
            if self[i] == byte { return i }
            i -= 1
        }
        return nil
    }
}

/// Number of `\n` bytes, scanning with memchr.
func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    var start = 0
    while let newline = bytes.firstIndex(of: 10, from: start) {
        count += 1
        start = newline + 1
    }
    return count
}
