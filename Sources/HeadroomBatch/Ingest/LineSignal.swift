/// What a line says beyond its level, found by generic rules rather than per-tool parsers:
/// a failure (`FAILED`, `error[E0308]`, `panicked`, `Traceback`, `ValueError`, `##[error]`), a
/// summary (`1 failed, 395 passed`, `Found 279 errors`, `exit code 100`), or a source location
/// (`src/app.py:12`, `tests/fail/macros_type_mismatch.rs`).
public struct LineSignal: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let failure = LineSignal(rawValue: 1)
    public static let summary = LineSignal(rawValue: 2)
    public static let location = LineSignal(rawValue: 4)

    /// Bytes of a line searched for signals.
    static let window = 1024

    static func detect(_ line: UnsafeRawBufferPointer) -> LineSignal {
        let end = min(line.count, window)
        var signal: LineSignal = []
        var sawCount = false
        var i = 0
        while i < end {
            let c = line[i]
            if c == 27 {  // ANSI escape: skip to its final byte
                i += 1
                if i < end && line[i] == 91 {
                    i += 1
                    while i < end && !(line[i] >= 0x40 && line[i] <= 0x7E) { i += 1 }
                }
                i += 1
                continue
            }
            if isDigit(c) {
                var j = i
                while j < end && isDigit(line[j]) { j += 1 }
                if j < end && line[j] == 32 { sawCount = true }
                i = j
                continue
            }
            guard LineLevel.isLetter(c) else {
                if c == 46 || c == 47 { signal.formUnion(locationAt(line, i, end)) }
                i += 1
                continue
            }
            // One word: letters only, lower-cased into a small key.
            var j = i
            var key: UInt64 = 0
            while j < end && LineLevel.isLetter(line[j]) {
                key = key &<< 8 | UInt64(line[j] | 0x20)
                j += 1
            }
            let length = j - i
            let followedByIdentifier = j < end && (isDigit(line[j]) || line[j] == 95)
            if !followedByIdentifier && (i == 0 || line[i - 1] != 95) {
                switch wordKind(key, length: length, line: line, start: i, end: j) {
                case .failure: signal.insert(.failure)
                case .exit: if mentionsCode(line, from: j, end: end) { signal.insert([.failure, .summary]) }
                case .tally: if sawCount { signal.insert(.summary) }
                case .none: break
                }
                // "1 failed", "279 errors"
                if sawCount && (key == 0x6661696C6564 || key == 0x6572726F7273 || key == 0x6572726F72) { signal.insert(.summary) }
            }
            sawCount = false
            i = j
        }
        return signal
    }

    private enum WordKind { case none, failure, exit, tally }

    private static func wordKind(_ key: UInt64, length: Int, line: UnsafeRawBufferPointer, start: Int, end: Int) -> WordKind {
        switch key {  // lower-case words, one byte a letter, the last 8 letters
        case 0x6661696C, 0x6661696C6564, 0x6661696C73, 0x6661696C696E67, 0x6661696C757265, 0x6661696C75726573,
             0x6572726F72, 0x6572726F7273, 0x70616E6963, 0x70616E69636B6564, 0x7863657074696F6E, 0x726163656261636B,
             0x666174616C, 0x61626F72746564, 0x7365676661756C74:
            // fail(ed|s|ing|ure|ures), error(s), panic(ked), (e)xception, (t)raceback, fatal, aborted, segfault
            return .failure
        case 0x65786974, 0x657869746564, 0x65786974696E67:  // exit, exited, exiting
            return .exit
        case 0x706173736564, 0x736B6970706564, 0x7465737473:  // passed, skipped, tests
            return .tally
        default:
            // CamelCase exception names: ValueError, IllegalStateException, AssertionError.
            if length > 5 && line[start] >= 65 && line[start] <= 90 {
                if endsWith(line, end, "Error") || endsWith(line, end, "Exception") { return .failure }
            }
            return .none
        }
    }

    /// `exit code 1`, `exiting with code 1`, `exit status 2`.
    private static func mentionsCode(_ line: UnsafeRawBufferPointer, from: Int, end: Int) -> Bool {
        let stop = min(end, from + 16)
        var i = from
        while i + 4 <= stop {
            if (line[i] | 0x20) == 99 && (line[i + 1] | 0x20) == 111 && (line[i + 2] | 0x20) == 100 && (line[i + 3] | 0x20) == 101 {
                return true
            }
            if i + 6 <= stop && (line[i] | 0x20) == 115 && (line[i + 1] | 0x20) == 116 && (line[i + 2] | 0x20) == 97 {
                return true  // "status"
            }
            i += 1
        }
        return false
    }

    /// At a `.` or `/`: a path with an extension, optionally `:line` — `src/a.rs:5`, `x/y.test.js`.
    private static func locationAt(_ line: UnsafeRawBufferPointer, _ at: Int, _ end: Int) -> LineSignal {
        guard line[at] == 46, at > 0, isPathByte(line[at - 1]) else { return [] }
        var j = at + 1
        while j < end && j - at <= 6 && (LineLevel.isLetter(line[j]) || isDigit(line[j])) { j += 1 }
        let extensionLength = j - at - 1
        guard extensionLength >= 1, extensionLength <= 5, LineLevel.isLetter(line[at + 1]) else { return [] }
        if j < end && line[j] == 58 && j + 1 < end && isDigit(line[j + 1]) { return .location }
        guard j >= end || !isPathByte(line[j]) else { return [] }
        // A bare path needs a directory: look back for a `/` inside the same token.
        var k = at - 1
        while k >= 0 && isPathByte(line[k]) {
            if line[k] == 47 { return .location }
            k -= 1
        }
        return []
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) private static func isPathByte(_ c: UInt8) -> Bool {
        LineLevel.isAlphanumeric(c) || c == 47 || c == 45 || c == 46 || c == 95
    }

    private static func endsWith(_ line: UnsafeRawBufferPointer, _ end: Int, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard end >= count else { return false }
        let pointer = suffix.utf8Start
        for k in 0..<count where line[end - count + k] != pointer[k] { return false }
        return true
    }

}
