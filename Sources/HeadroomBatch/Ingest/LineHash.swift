/// A fast 64-bit hash of line bytes, for folding exact duplicates. Equal hashes are always
/// confirmed by comparing bytes before lines are treated as identical.
enum LineHash {
    private static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let k1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let k2: UInt64 = 0x1656_67B1_9E37_79F9

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Hashes `bytes`; also reports whether they contain control bytes other than tab, CR,
    /// form feed and ESC (such lines are never printed verbatim).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> (hash: UInt64, hasControl: Bool) {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return (k2, false) }
        var h = k0 ^ UInt64(truncatingIfNeeded: count) &* k1
        var control = false
        var i = 0
        while i + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 != 0 {
                control = control || hasControlByte(base + i, 8)
            }
            h = fold(h ^ word, k1 ^ UInt64(truncatingIfNeeded: i))
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            for j in i..<count { tail |= UInt64(base.load(fromByteOffset: j, as: UInt8.self)) << (8 * UInt64(j - i)) }
            control = control || hasControlByte(base + i, count - i)
            h = fold(h ^ tail, k2)
        }
        return (fold(h, k0), control)
    }

    /// Whether `bytes` hold control bytes other than tab, CR, form feed and ESC; eight bytes
    /// at a time, looking closer only at words with a byte below 0x20.
    static func hasControlByte(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var i = 0
        while i + 8 <= bytes.count {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 != 0, hasControlByte(base + i, 8) { return true }
            i += 8
        }
        return hasControlByte(base + i, bytes.count - i)
    }

    @inline(__always)
    private static func hasControlByte(_ start: UnsafeRawPointer, _ count: Int) -> Bool {
        for j in 0..<count {
            let c = start.load(fromByteOffset: j, as: UInt8.self)
            if c < 0x20 && c != 9 && c != 13 && c != 12 && c != 27 { return true }
        }
        return false
    }

    /// A hash of the line's shape: its bytes with every run of digits collapsed, so that lines
    /// differing only in timestamps, counters or ids share it. Used to rank, never to fold.
    static func shape(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var inDigits = false
        for c in bytes {
            let digit = c >= 48 && c <= 57
            if digit && inDigits { continue }
            inDigits = digit
            h = (h ^ UInt64(digit ? 48 : c)) &* 0x100_0000_01B3
        }
        return h
    }
}
