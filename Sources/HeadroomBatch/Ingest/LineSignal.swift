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

    /// Bytes of a line searched for signals: failures and summaries are stated early.
    static let window = 160

    /// Finds the signals of one line. Only the places a signal word can start are looked at:
    /// word starts and camel-case humps (`Value|Error`), found eight bytes at a time with
    /// bit tricks; each is tested as a little-endian 4-byte window against the lower-cased
    /// starts of the signal words (a multiplicative hash into 32 slots) and a hit is parsed as
    /// a whole word. Dots are where locations (`src/a.rs:5`) are looked for, unless
    /// `locations` is off.
    static func detect(_ line: UnsafeRawBufferPointer, locations: Bool = true) -> LineSignal {
        let end = min(line.count, window)
        guard end >= 4, let base = line.baseAddress else { return [] }
        var signal: LineSignal = []
        anchorSlots.withUnsafeBufferPointer { slots in
            var letterCarry: UInt64 = 0     // the previous chunk ended in a letter
            var lowerCarry: UInt64 = 0      // ... in a lower-case letter
            var skipUntil = 0               // inside a word already classified
            var coloured = false
            var chunk = 0
            while chunk < end {
                let masks = ByteClasses(ByteClasses.load(line, at: chunk, end: end))
                let starts = masks.wordStarts(carry: letterCarry)
                let humps = masks.upper & (masks.lower << 8 | lowerCarry)
                letterCarry = masks.letterCarry
                lowerCarry = masks.lower >> 56
                // After a colour code (`ESC[31m` + `error`) a word may follow a letter: there,
                // every letter is a candidate.
                coloured = coloured || masks.escapes != 0
                var candidates = coloured ? masks.letters : starts | humps
                while candidates != 0 {
                    let at = chunk + candidates.trailingZeroBitCount / 8
                    candidates &= candidates - 1
                    guard at >= skipUntil, at + 4 <= end else { continue }
                    let window = base.loadUnaligned(fromByteOffset: at, as: UInt32.self) | 0x2020_2020
                    guard slots[Int((window &* anchorMultiplier) >> 27)] == window else { continue }
                    let (found, wordEnd) = word(around: at, line, end)
                    signal.formUnion(found)
                    skipUntil = wordEnd
                }
                var dots = locations ? masks.dots : 0
                while dots != 0 {
                    let at = chunk + dots.trailingZeroBitCount / 8
                    dots &= dots - 1
                    if at < end { signal.formUnion(locationAt(line, at, end)) }
                }
                chunk += 8
            }
        }
        return signal
    }

    /// `fail`, `erro`, `pani`, `exce`, `trac`, `fata`, `abor`, `segf`, `exit`, `pass`, `skip`,
    /// `test` as little-endian words, each in the slot its hash picks.
    private static let anchorMultiplier: UInt32 = 0x5384_53D7
    private static let anchorSlots: [UInt32] = {
        var slots = [UInt32](repeating: 0, count: 32)
        for anchor in ["fail", "erro", "pani", "exce", "trac", "fata", "abor", "segf", "exit", "pass", "skip", "test"] {
            let value = anchor.utf8.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let slot = Int((value &* anchorMultiplier) >> 27)
            precondition(slots[slot] == 0, "anchor slots collide")
            slots[slot] = value
        }
        return slots
    }()

    /// Classifies the word holding position `at`; returns its signals and where it ends.
    private static func word(around at: Int, _ line: UnsafeRawBufferPointer, _ end: Int) -> (LineSignal, Int) {
        var start = at
        while start > 0 && LineLevel.isLetter(line[start - 1]) && !endsEscape(line, start - 1) { start -= 1 }
        var stop = at
        var key: UInt64 = 0
        while stop < end && LineLevel.isLetter(line[stop]) { stop += 1 }
        for k in max(start, stop - 8)..<stop { key = key &<< 8 | UInt64(line[k] | 0x20) }
        guard isWholeWord(line, start, stop, end) else { return ([], stop) }
        return (classify(key, line, start, stop, end, afterCount: followsCount(line, start)), stop)
    }

    /// The `m` at `index` closes an ANSI colour sequence (`ESC [ 31;1 m`).
    private static func endsEscape(_ line: UnsafeRawBufferPointer, _ index: Int) -> Bool {
        guard line[index] == 109 else { return false }
        var k = index - 1
        while k >= 0 && k >= index - 12 {
            let c = line[k]
            if c == 27 { return true }
            if !(c == 91 || c == 59 || (c >= 48 && c <= 57)) { return false }
            k -= 1
        }
        return false
    }

    /// A number stands right before the word (spaces and colour codes between): `1 failed`.
    private static func followsCount(_ line: UnsafeRawBufferPointer, _ start: Int) -> Bool {
        var k = start - 1
        var sawSpace = false
        while k >= 0 {
            let c = line[k]
            if c == 32 {
                sawSpace = true
                k -= 1
            } else if endsEscape(line, k) {
                while k >= 0 && line[k] != 27 { k -= 1 }
                k -= 1
            } else {
                return sawSpace && c >= 48 && c <= 57
            }
        }
        return false
    }

    /// A word of prose, not part of an identifier, flag or path such as `error_handler`,
    /// `fail2ban`, `--fail-fast` or `plugins/wellknown-errors-plugin.js`.
    @inline(__always)
    private static func isWholeWord(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ limit: Int) -> Bool {
        let before = start > 0 ? line[start - 1] : 32
        let after = end < limit ? line[end] : 32
        let qualifiedName = before == 46 && line[start] >= 65 && line[start] <= 90  // java.lang.IllegalStateException
        if before == 95 || before == 45 || before == 47 || (before == 46 && !qualifiedName) { return false }
        if after == 95 || after == 45 || after == 47 || (after >= 48 && after <= 57) { return false }
        if after == 46 { return end + 1 >= limit || line[end + 1] == 32 }  // "Build failed." but not "error.js"
        return true
    }

    private static func classify(_ key: UInt64, _ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ limit: Int,
                                 afterCount: Bool) -> LineSignal {
        switch wordKind(key, length: end - start, line: line, start: start, end: end) {
        case .failure:
            // "1 failed", "279 errors"
            let tally = afterCount && (key == 0x6661696C6564 || key == 0x6572726F7273 || key == 0x6572726F72)
            return tally ? [.failure, .summary] : .failure
        case .exit: return mentionsCode(line, from: end, end: limit) ? [.failure, .summary] : []
        case .tally: return afterCount ? .summary : []
        case .none: return []
        }
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
