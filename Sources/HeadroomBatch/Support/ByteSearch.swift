/// Byte searches over raw buffers, used by readers, analyzers and the archive alike.
extension UnsafeRawBufferPointer {
    /// Index of the first `byte` at or after `from`, using memchr.
    @inline(__always)
    func firstIndex(of byte: UInt8, from: Int) -> Int? {
        guard from < count, let base = baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), count - from) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Whether `literal` occurs at `index`.
    @inline(__always)
    func starts(with literal: StaticString, at index: Int = 0) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard index >= 0, index + n <= count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where self[index + k] != p[k] { return false }
        return true
    }

    /// Whether `literal` occurs anywhere.
    func contains(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard n > 0, count >= n else { return false }
        let head = literal.utf8Start[0]
        for i in 0...(count - n) where self[i] == head && starts(with: literal, at: i) { return true }
        return false
    }

    /// End of a CI runner's ISO timestamp prefix with its space
    /// (`2026-04-22T16:11:56.9997008Z `), or 0.
    func ciTimestampEnd() -> Int {
        let n = count
        func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
        guard n >= 21, isDigit(self[0]), self[4] == 45, self[7] == 45, self[10] == 84,
              self[13] == 58, self[16] == 58, isDigit(self[18]) else { return 0 }
        var i = 19
        if self[i] == 46 {
            i += 1
            while i < n && isDigit(self[i]) { i += 1 }
        }
        if i < n && self[i] == 90 {
            i += 1
        } else if i + 6 <= n && (self[i] == 43 || self[i] == 45) && self[i + 3] == 58 {
            i += 6
        }
        return i < n && self[i] == 32 ? i + 1 : 0
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

/// Literal matches and trimming on byte slices (lines of a payload).
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
        while lo < hi, self[lo].isLineWhitespace { lo += 1 }
        while hi > lo, self[hi - 1].isLineWhitespace { hi -= 1 }
        return self[lo..<hi]
    }

    /// The slice without trailing spaces, tabs and `\r`.
    func trimmingTrailingWhitespace() -> ArraySlice<UInt8> {
        var hi = endIndex
        while hi > startIndex, self[hi - 1].isLineWhitespace { hi -= 1 }
        return self[startIndex..<hi]
    }

    /// Whether the slice ends with the ASCII `literal`.
    func hasSuffix(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard count >= n else { return false }
        let p = literal.utf8Start
        var i = endIndex - n
        for k in 0..<n {
            if self[i] != p[k] { return false }
            i += 1
        }
        return true
    }

    /// Whether the ASCII `literal` occurs anywhere in the slice.
    func containsLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard n > 0, count >= n else { return n == 0 }
        let p = literal.utf8Start
        var i = startIndex
        let last = endIndex - n
        while i <= last {
            if self[i] == p[0] {
                var k = 1
                while k < n, self[i + k] == p[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }
}

extension UInt8 {
    /// Space, tab, `\r`, vertical tab or form feed.
    var isLineWhitespace: Bool { self == 32 || self == 9 || self == 13 || self == 11 || self == 12 }
}
