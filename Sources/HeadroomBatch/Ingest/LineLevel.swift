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
        var i = 0
        while i < end {
            let c = line[i]
            let isWordStart = isLetter(c) && (i == 0 || !isAlphanumeric(line[i - 1]))
            guard isWordStart, levelInitials[Int(c)] else {
                i += 1
                continue
            }
            var key: UInt64 = 0
            var j = i
            var allCapitals = true
            while j < line.count, j - i < 9, isLetter(line[j]) {
                let b = line[j]
                if b >= 97 { allCapitals = false }
                key = key << 8 | UInt64(b & 0xDF)
                j += 1
            }
            if j - i < 9, j >= line.count || !isAlphanumeric(line[j]), let level = word(key) {
                if allCapitals && j - i > 1 { return level }
                let before: UInt8 = i > 0 ? line[i - 1] : 0
                let after: UInt8 = j < line.count ? line[j] : 0
                if i == 0 || before == 91 || before == 60 || before == 61 || after == 58 || after == 93 { return level }
            }
            i = j
        }
        return .none
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

    private static let levelInitials: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for c in "FCEAPSWNIDTV".utf8 {
            table[Int(c)] = true
            table[Int(c | 0x20)] = true
        }
        return table
    }()
}
