/// The severity a log line declares in its header, found without per-format configuration.
public enum LineLevel: UInt8, CaseIterable, Comparable, Sendable {
    case none = 0, trace, debug, info, notice, warn, error, fatal

    public static func < (a: LineLevel, b: LineLevel) -> Bool { a.rawValue < b.rawValue }

    /// Name used in markers and manifests.
    public var name: String {
        switch self {
        case .none: return "other"
        case .trace: return "TRACE"
        case .debug: return "DEBUG"
        case .info: return "INFO"
        case .notice: return "NOTICE"
        case .warn: return "WARN"
        case .error: return "ERROR"
        case .fatal: return "FATAL"
        }
    }

    /// Bytes of a line searched for a level word.
    static let headerWindow = 160

    /// Finds the first level word in the line's header: an all-capitals word (`ERROR`, `WARN`)
    /// or a lower-case one that is bracketed or labelled (`[error]`, `level=warn`, `error:`).
    static func detect(_ line: UnsafeRawBufferPointer) -> LineLevel {
        let end = min(line.count, headerWindow)
        var carry: UInt64 = 0
        var chunk = 0
        while chunk < end {
            let classes = ByteClasses(ByteClasses.load(line, at: chunk, end: end))
            var starts = classes.wordStarts(carry: carry)
            carry = classes.letterCarry
            while starts != 0 {
                let start = chunk + starts.trailingZeroBitCount / 8
                starts &= starts - 1
                if let level = level(at: start, line) { return level }
            }
            chunk += 8
        }
        return .none
    }

    /// The level named by the word starting at `start`, if it is written as a level: in
    /// capitals, or bracketed or labelled (`[error]`, `level=warn`, `error:`).
    @inline(__always)
    private static func level(at start: Int, _ line: UnsafeRawBufferPointer) -> LineLevel? {
        switch line[start] | 0x20 {
        case 97, 99, 100, 101, 102, 105, 110, 112, 115, 116, 118, 119: break  // a c d e f i n p s t v w
        default: return nil
        }
        let before: UInt8 = start > 0 ? line[start - 1] : 0
        if (before >= 48 && before <= 57) || before == 95 { return nil }
        var key: UInt64 = 0
        var allCapitals = true
        var i = start
        while i < line.count && isLetter(line[i]) && i - start < 9 {
            if line[i] >= 97 { allCapitals = false }
            key = key << 8 | UInt64(line[i] & 0xDF)
            i += 1
        }
        guard i - start < 9, i >= line.count || !isAlphanumeric(line[i]), let level = word(key) else { return nil }
        if allCapitals && i - start > 1 { return level }
        let after: UInt8 = i < line.count ? line[i] : 0
        if start == 0 || before == 91 || before == 60 || before == 61 || after == 58 || after == 93 { return level }
        return nil
    }

    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { isLetter(c) || (c >= 48 && c <= 57) || c == 95 }

    /// The level a word names; `key` is the word in capitals, one byte per letter.
    @inline(__always)
    private static func word(_ key: UInt64) -> LineLevel? {
        switch key {
        case 0x464154414C: return .fatal  // FATAL
        case 0x435249544943414C: return .fatal  // CRITICAL
        case 0x43524954: return .fatal  // CRIT
        case 0x454D455247: return .fatal  // EMERG
        case 0x414C455254: return .fatal  // ALERT
        case 0x50414E4943: return .fatal  // PANIC
        case 0x534556455245: return .error  // SEVERE
        case 0x4552524F52: return .error  // ERROR
        case 0x455252: return .error  // ERR
        case 0x4641494C555245: return .error  // FAILURE
        case 0x5741524E: return .warn  // WARN
        case 0x5741524E494E47: return .warn  // WARNING
        case 0x4E4F54494345: return .notice  // NOTICE
        case 0x494E464F: return .info  // INFO
        case 0x4445425547: return .debug  // DEBUG
        case 0x5452414345: return .trace  // TRACE
        case 0x46494E45: return .debug  // FINE
        case 0x46494E4552: return .trace  // FINER
        case 0x46494E455354: return .trace  // FINEST
        case 0x564552424F5345: return .trace  // VERBOSE
        default: return nil
        }
    }
}
