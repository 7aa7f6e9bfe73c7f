/// Character classes the pre-tokenizer patterns need, as bit flags of one byte.
///
/// ASCII bytes come from a 256-entry table; anything else is decoded from UTF-8 and classified
/// with the standard library's Unicode properties. A byte that does not start a valid UTF-8
/// sequence is one character of class 0 ("other": neither letter, number nor whitespace).
enum BPECharClass {
    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`
    static let upper: UInt8 = 1
    /// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`
    static let lower: UInt8 = 2
    /// `\p{L}`
    static let letter: UInt8 = 4
    /// `\p{N}`
    static let number: UInt8 = 8
    /// `\s` (Unicode White_Space)
    static let space: UInt8 = 16
    /// `[\r\n]`
    static let newline: UInt8 = 32
    /// Table marker: the byte is not ASCII and must be decoded.
    static let needsDecoding: UInt8 = 128

    /// Newest Unicode major version whose assignments count (that of tiktoken's regex tables).
    static let unicodeMajorVersion = 16

    /// Class of one Unicode scalar.
    static func of(_ scalar: Unicode.Scalar) -> UInt8 {
        let properties = scalar.properties
        // tiktoken's regex engine (Rust regex-syntax) has Unicode 16.0 tables: scalars assigned
        // later are unassigned ("other") there, so they are here too.
        guard let age = properties.age, age.major <= BPECharClass.unicodeMajorVersion else { return 0 }
        var cls: UInt8 = properties.isWhitespace ? space : 0
        switch properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter:
            cls |= upper | letter
        case .lowercaseLetter:
            cls |= lower | letter
        case .modifierLetter, .otherLetter:
            cls |= upper | lower | letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            cls |= upper | lower
        case .decimalNumber, .letterNumber, .otherNumber:
            cls |= number
        default:
            break
        }
        if scalar.value == 0x0A || scalar.value == 0x0D { cls |= newline }
        return cls
    }
}

/// Class of each byte value (`needsDecoding` for bytes >= 0x80); immortal, shared.
struct BPEASCIIClasses: @unchecked Sendable {
    let table: UnsafePointer<UInt8>

    static let shared = BPEASCIIClasses()

    private init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0..<256 {
            table[byte] = byte < 0x80 ? BPECharClass.of(Unicode.Scalar(UInt8(byte))) : BPECharClass.needsDecoding
        }
        self.table = UnsafePointer(table)
    }
}

/// Class of each BMP scalar (U+0000...U+FFFF); built on first use (about 10 ms), immortal, shared.
struct BPEBMPClasses: @unchecked Sendable {
    let table: UnsafePointer<UInt8>

    static let shared = BPEBMPClasses()

    private init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for value in 0..<0x10000 {
            // Surrogates are never produced by the decoder; give them class "other".
            table[value] = Unicode.Scalar(UInt32(value)).map(BPECharClass.of) ?? 0
        }
        self.table = UnsafePointer(table)
    }
}

/// Reads characters (class and byte length) out of a byte buffer that may hold invalid UTF-8.
struct BPECharReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let ascii: UnsafePointer<UInt8>

    init(_ base: UnsafePointer<UInt8>, _ count: Int) {
        self.base = base
        self.count = count
        self.ascii = BPEASCIIClasses.shared.table
    }

    /// Class and length in bytes of the character starting at `i` (`i < count`).
    @inline(__always)
    func char(at i: Int) -> (cls: UInt8, length: Int) {
        let cls = ascii[Int(base[i])]
        if cls & BPECharClass.needsDecoding == 0 { return (cls, 1) }
        return decode(at: i)
    }

    /// Decodes a non-ASCII character; an invalid byte is a 1-byte character of class 0.
    @inline(never)
    func decode(at i: Int) -> (cls: UInt8, length: Int) {
        let bmp = BPEBMPClasses.shared.table
        let b0 = UInt32(base[i])
        let left = count - i
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard k < left else { return nil }
            let b = UInt32(base[i + k])
            return b & 0xC0 == 0x80 ? b & 0x3F : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return (0, 1) }
            return (bmp[Int((b0 & 0x1F) << 6 | c1)], 2)
        case 0xE0...0xEF:
            guard let c1 = cont(1), let c2 = cont(2) else { return (0, 1) }
            let value = (b0 & 0x0F) << 12 | c1 << 6 | c2
            // Overlong forms and UTF-16 surrogates are invalid.
            if value < 0x800 || (value >= 0xD800 && value <= 0xDFFF) { return (0, 1) }
            return (bmp[Int(value)], 3)
        case 0xF0...0xF4:
            guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return (0, 1) }
            let value = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            guard value >= 0x10000, value <= 0x10FFFF, let scalar = Unicode.Scalar(value) else { return (0, 1) }
            return (BPECharClass.of(scalar), 4)
        default:
            return (0, 1)
        }
    }
}
