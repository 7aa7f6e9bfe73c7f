/// Per-byte classes of eight bytes at once (SWAR), as the high bit of each byte: ASCII
/// letters, upper and lower case, dots and ESC. Bytes of 0x80 and above are none of these.
/// Line scanners use them to visit only the bytes that matter (word starts, dots).
struct ByteClasses {
    var letters: UInt64
    var upper: UInt64
    var lower: UInt64
    var dots: UInt64
    var escapes: UInt64

    @inline(__always)
    init(_ bytes: UInt64) {
        let ascii = ~bytes & 0x8080_8080_8080_8080
        let low7 = bytes & 0x7F7F_7F7F_7F7F_7F7F
        // value + (0x80 - low) sets a byte's high bit when value >= low, + (0x7F - high) when
        // value > high; 7-bit values never carry into the next byte.
        func inRange(_ low: UInt64, _ high: UInt64) -> UInt64 {
            let atLeast = low7 &+ (0x80 - low) &* 0x0101_0101_0101_0101
            let above = low7 &+ (0x7F - high) &* 0x0101_0101_0101_0101
            return atLeast & ~above & ascii
        }
        func equal(_ byte: UInt64) -> UInt64 {
            let difference = low7 ^ (byte &* 0x0101_0101_0101_0101)
            return ~(difference &+ 0x7F7F_7F7F_7F7F_7F7F) & ascii
        }
        upper = inRange(0x41, 0x5A)
        lower = inRange(0x61, 0x7A)
        letters = upper | lower
        dots = equal(0x2E)
        escapes = equal(0x1B)
    }

    /// Word starts: letters not preceded by a letter (`carry`: the previous chunk ended in one).
    @inline(__always)
    func wordStarts(carry: UInt64) -> UInt64 { letters & ~(letters << 8 | carry) }

    /// The carry for `wordStarts` of the next chunk.
    @inline(__always)
    var letterCarry: UInt64 { letters >> 56 }

    /// Loads up to eight bytes of `line` at `offset`, zeros past `end`.
    @inline(__always)
    static func load(_ line: UnsafeRawBufferPointer, at offset: Int, end: Int) -> UInt64 {
        if offset + 8 <= end { return line.baseAddress!.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        var bytes: UInt64 = 0
        for k in offset..<end { bytes |= UInt64(line[k]) << (8 * UInt64(k - offset)) }
        return bytes
    }
}
