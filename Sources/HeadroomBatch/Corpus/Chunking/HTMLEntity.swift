/// Character references of html: `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and a few
/// other common names, and numeric `&#NN;` / `&#xHH;`.
enum HTMLEntity {
    /// The reference starting with `&` at `start` of `bytes`: the character it stands for and
    /// the index after it; nil when it is not a reference (the `&` is then text). A numeric
    /// reference that names no character (0, a surrogate, past U+10FFFF) stands for U+FFFD.
    static func decode(_ bytes: UnsafeRawBufferPointer, at start: Int) -> (scalar: UInt32, end: Int)? {
        let n = bytes.count
        var i = start + 1
        guard i < n else { return nil }
        if bytes[i] == UInt8(ascii: "#") {
            i += 1
            let hex = i < n && (bytes[i] | 0x20) == UInt8(ascii: "x")
            if hex { i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < n, i - digitsStart < 8, let digit = digitValue(bytes[i], hex: hex) {
                value = value * (hex ? 16 : 10) + digit
                i += 1
            }
            guard i > digitsStart else { return nil }
            // Browsers accept a numeric reference without its semicolon.
            if i < n, bytes[i] == UInt8(ascii: ";") { i += 1 }
            let valid = value != 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
            return (valid ? value : 0xFFFD, i)
        }
        var key: UInt64 = 0
        while i < n, i - start <= 8, isAlphanumeric(bytes[i]) {
            key |= UInt64(bytes[i]) << (8 * UInt64(i - start - 1))
            i += 1
        }
        guard i < n, bytes[i] == UInt8(ascii: ";"), i > start + 1, let scalar = named[key] else { return nil }
        return (scalar, i + 1)
    }

    private static func digitValue(_ b: UInt8, hex: Bool) -> UInt32? {
        if b >= 48 && b <= 57 { return UInt32(b - 48) }
        let lower = b | 0x20
        if hex, lower >= 97, lower <= 102 { return UInt32(lower - 87) }
        return nil
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || ((b | 0x20) >= 97 && (b | 0x20) <= 122)
    }

    /// Named references (up to 8 letters, case-sensitive) packed little-endian into an integer.
    private static let named: [UInt64: UInt32] = {
        let names: [(String, UInt32)] = [
            ("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22), ("apos", 0x27), ("nbsp", 0xA0),
            ("AMP", 0x26), ("LT", 0x3C), ("GT", 0x3E), ("QUOT", 0x22),
            ("copy", 0xA9), ("reg", 0xAE), ("trade", 0x2122), ("mdash", 0x2014), ("ndash", 0x2013),
            ("hellip", 0x2026), ("lsquo", 0x2018), ("rsquo", 0x2019), ("ldquo", 0x201C), ("rdquo", 0x201D),
            ("laquo", 0xAB), ("raquo", 0xBB), ("middot", 0xB7), ("bull", 0x2022), ("deg", 0xB0),
            ("times", 0xD7), ("divide", 0xF7), ("euro", 0x20AC), ("pound", 0xA3), ("yen", 0xA5),
            ("cent", 0xA2), ("sect", 0xA7), ("para", 0xB6), ("plusmn", 0xB1), ("larr", 0x2190),
            ("rarr", 0x2192), ("uarr", 0x2191), ("darr", 0x2193), ("harr", 0x2194), ("le", 0x2264),
            ("ge", 0x2265), ("ne", 0x2260), ("minus", 0x2212), ("shy", 0xAD), ("zwj", 0x200D),
            ("zwnj", 0x200C), ("ensp", 0x2002), ("emsp", 0x2003), ("thinsp", 0x2009), ("iexcl", 0xA1),
            ("iquest", 0xBF), ("frac12", 0xBD), ("frac14", 0xBC), ("frac34", 0xBE), ("micro", 0xB5),
        ]
        var table: [UInt64: UInt32] = [:]
        for (name, scalar) in names {
            var key: UInt64 = 0
            for (i, b) in name.utf8.enumerated() { key |= UInt64(b) << (8 * UInt64(i)) }
            table[key] = scalar
        }
        return table
    }()
}
