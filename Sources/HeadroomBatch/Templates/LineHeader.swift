/// Finds where a raw log line's header (timestamp, level, pid, thread, logger or process name)
/// ends and its message begins, without per-format configuration.
///
/// The line is read as a sequence of *units*: whitespace-separated words, where a bracketed
/// group (`[...]`, nested brackets allowed, spaces allowed) is one unit. A header is:
///
/// 1. a prefix of timestamp-like units (digits with `-:.,/+TZ_` separators, month and weekday
///    names, `AM`/`PM`, bracketed timestamps, epoch numbers), separators (`-`, `|`) and
///    upper-case ids (`RAS`, `KERNEL`, `R02-M1-N0-C:J12-U11`);
/// 2. then, when a level word (`INFO`, `[error]`, `WARN:` ...) follows within the first units,
///    the level, any bracketed thread or context groups after it, and one logger name ending
///    in `:` (or a dotted logger followed by `-`);
/// 3. or, without a level, a syslog-style `host proc[pid]:` or `proc[pid]:` after a timestamp.
///
/// Complexity: O(header length); at most `maxUnits` units are examined.
enum LineHeader {
    /// Units examined at most when looking for the end of the header.
    static let maxUnits = 14

    /// The byte offset where the message starts (0 when no header is recognised).
    static func messageStart(_ line: UnsafeRawBufferPointer) -> Int {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: Unit.self, capacity: maxUnits) { units in
            withUnsafeTemporaryAllocation(of: Kind.self, capacity: maxUnits) { kinds in
                var units = Units(base: base, count: line.count, units: units, kinds: kinds)
                return locate(&units, lineLength: line.count)
            }
        }
    }

    /// Units scanned and classified on demand.
    struct Units {
        let base: UnsafePointer<UInt8>
        var scanner: UnitScanner
        let units: UnsafeMutableBufferPointer<Unit>
        let kinds: UnsafeMutableBufferPointer<Kind>
        var scanned = 0
        var exhausted = false

        init(base: UnsafePointer<UInt8>, count: Int, units: UnsafeMutableBufferPointer<Unit>,
             kinds: UnsafeMutableBufferPointer<Kind>) {
            self.base = base
            scanner = UnitScanner(base: base, count: count)
            self.units = units
            self.kinds = kinds
        }

        /// Whether unit `i` exists (scanning up to it).
        @inline(__always)
        mutating func has(_ i: Int) -> Bool {
            while scanned <= i {
                if exhausted || scanned >= units.count { return false }
                guard let unit = scanner.next() else { exhausted = true; return false }
                units[scanned] = unit
                kinds[scanned] = classify(base, unit)
                scanned += 1
            }
            return true
        }

        /// The kind of unit `i`, or nil past the end.
        @inline(__always)
        mutating func kind(_ i: Int) -> Kind? { has(i) ? kinds[i] : nil }

        /// Whether unit `i` is a bracketed group (`[main]`, `[10.30 16:49:06]`).
        mutating func isBracket(_ i: Int) -> Bool { has(i) && base[units[i].start] == UInt8(ascii: "[") }

        /// Whether unit `i` contains a digit (`i` must exist).
        func hasDigit(_ i: Int) -> Bool {
            for p in units[i].start..<units[i].end where base[p] >= 0x30 && base[p] <= 0x39 { return true }
            return false
        }

        /// Where unit `i` starts, or `lineLength` past the end.
        mutating func start(_ i: Int, lineLength: Int) -> Int { has(i) ? units[i].start : lineLength }
    }

    private static func locate(_ u: inout Units, lineLength: Int) -> Int {
        // 1. Timestamp-like prefix.
        var i = 0
        var sawTime = false
        while let kind = u.kind(i) {
            if kind == .time { sawTime = true; i += 1; continue }
            if kind == .number || kind == .separator { i += 1; continue }
            // A host, node or file id between timestamps (`dn228 Nov 9`, `nova.log.1 2017-05-16`).
            if kind == .word || kind == .upperID, u.hasDigit(i), u.kind(i + 1) == .time { i += 1; continue }
            break
        }
        let prefixEnd = i

        // 2. A level within the next units, preceded only by header-like units.
        var j = prefixEnd
        var hostAllowance = sawTime ? 1 : 0
        while j < prefixEnd + 8, let kind = u.kind(j) {
            if kind == .level { return afterLevel(&u, level: j, lineLength: lineLength) }
            if kind == .time || kind == .number || kind == .separator || kind == .upperID || kind == .bracket {
                j += 1; continue
            }
            if kind == .word && hostAllowance > 0 { hostAllowance -= 1; j += 1; continue }
            break
        }

        // 3. No level: syslog-style `host proc[pid]:` after a timestamp, maybe then a level.
        guard sawTime else { return prefixEnd == 0 ? 0 : u.start(prefixEnd, lineLength: lineLength) }
        var k = prefixEnd
        if u.kind(k) == .logger {
            k += 1
        } else if let kind = u.kind(k), kind == .word || kind == .upperID, u.kind(k + 1) == .logger {
            k += 2
        }
        if k > prefixEnd, u.kind(k) == .level { return afterLevel(&u, level: k, lineLength: lineLength) }
        // `program - message` (`chrome.exe - proxy.example.com:443 open through proxy`).
        if k == prefixEnd, let kind = u.kind(k), kind == .word || kind == .upperID, isLoggerName(u, k),
           u.kind(k + 1) == .separator {
            k += 2
        }
        return u.start(k, lineLength: lineLength)
    }

    /// After a level: separators, up to two bracketed groups (thread, context) and one logger
    /// (`name:`, or a dotted name followed by a separator or a bracket), in any order; a logger
    /// ending in `:` ends the header.
    private static func afterLevel(_ u: inout Units, level: Int, lineLength: Int) -> Int {
        var k = level + 1
        var brackets = 0
        var loggerSeen = false
        while let kind = u.kind(k) {
            if kind == .separator { k += 1; continue }
            if u.isBracket(k) && brackets < 2 { brackets += 1; k += 1; continue }
            if !loggerSeen {
                if kind == .number && k == level + 1 && (u.kind(k + 1) == .separator || u.isBracket(k + 1)) {
                    k += 1; continue
                }
                if kind == .logger { k += 1; break }
                if kind == .word || kind == .upperID, isDottedName(u.base, u.units[k]),
                   u.kind(k + 1) == .separator || u.isBracket(k + 1) {
                    loggerSeen = true; k += 1; continue
                }
            }
            break
        }
        return u.start(k, lineLength: lineLength)
    }

    private static func isLoggerName(_ u: Units, _ k: Int) -> Bool {
        let unit = u.units[k]
        return isLoggerName(u.base + unit.start, unit.end - unit.start)
    }

    // MARK: - Units

    struct Unit { var start: Int; var end: Int }

    enum Kind: UInt8 { case time, number, separator, level, bracket, upperID, logger, word }

    struct UnitScanner {
        let base: UnsafePointer<UInt8>
        let count: Int
        var position = 0

        mutating func next() -> Unit? {
            while position < count, isSpace(base[position]) { position += 1 }
            guard position < count else { return nil }
            let start = position
            if base[position] == UInt8(ascii: "[") {
                var depth = 0
                var p = position
                let limit = min(count, position + 256)
                while p < limit {
                    let b = base[p]
                    if b == UInt8(ascii: "[") { depth += 1 }
                    else if b == UInt8(ascii: "]") { depth -= 1; if depth == 0 { p += 1; break } }
                    p += 1
                }
                if depth == 0 {
                    // A bracket glued to following text (`[pid]:`) continues the unit.
                    while p < count, !isSpace(base[p]) { p += 1 }
                    position = p
                    return Unit(start: start, end: p)
                }
            }
            while position < count, !isSpace(base[position]) { position += 1 }
            return Unit(start: start, end: position)
        }
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    // MARK: - Classification

    static func classify(_ base: UnsafePointer<UInt8>, _ unit: Unit) -> Kind {
        let n = unit.end - unit.start
        let p = base + unit.start
        if n <= 3 {
            let b = p[0]
            if (b == UInt8(ascii: "-") || b == UInt8(ascii: "|") || (b == UInt8(ascii: ":") && n == 1))
                && (n == 1 || p[1] == b) && (n < 3 || p[2] == b) { return .separator }
        }
        if p[0] == UInt8(ascii: "[") && p[n - 1] == UInt8(ascii: "]") {
            let inner = Unit(start: unit.start + 1, end: unit.end - 1)
            if isLevel(base, inner) { return .level }
            if looksLikeBracketTime(p + 1, n - 2) { return .time }
            return .bracket
        }
        if p[0] == UInt8(ascii: "<") && p[n - 1] == UInt8(ascii: ">") && n > 2,
           isLevel(base, Unit(start: unit.start + 1, end: unit.end - 1)) { return .level }
        if isLevel(base, unit) { return .level }
        if n > 1 && p[n - 1] == UInt8(ascii: ":") && isLevel(base, Unit(start: unit.start, end: unit.end - 1)) {
            return .level
        }
        // Timestamps and numbers.
        var digits = 0, letters = 0, lower = 0, other = 0, timeSeparators = 0
        for i in 0..<n {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 { digits += 1 }
            else if b >= 0x61 && b <= 0x7A { letters += 1; lower += 1 }
            else if b >= 0x41 && b <= 0x5A { letters += 1 }
            else if b == UInt8(ascii: "-") || b == UInt8(ascii: ":") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: ",") || b == UInt8(ascii: "/") || b == UInt8(ascii: "+") { timeSeparators += 1 }
            else { other += 1 }
        }
        if digits > 0 && other == 0 {
            if letters == 0 { return timeSeparators == 0 && n < 6 ? .number : .time }
            // ISO-8601 `2026-03-14T09:26:53.123Z`.
            if lower == 0 && letters <= 2 && isISOTime(p, n) { return .time }
        }
        if isCalendarWord(p, n) { return .time }
        if p[n - 1] == UInt8(ascii: ":") && n >= 3 && isLoggerName(p, n - 1) { return .logger }
        if lower == 0 && letters > 0 && n <= 32 && other <= 1 { return .upperID }
        return .word
    }

    static func isISOTime(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n {
            let b = p[i]
            if b >= 0x41 && b <= 0x5A && b != UInt8(ascii: "T") && b != UInt8(ascii: "Z") { return false }
        }
        return n >= 8
    }

    static func looksLikeBracketTime(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var digits = 0, colons = 0
        for i in 0..<n {
            if p[i] >= 0x30 && p[i] <= 0x39 { digits += 1 } else if p[i] == UInt8(ascii: ":") { colons += 1 }
        }
        guard digits >= 4 else { return false }
        if colons >= 1 { return true }
        // A date only (`[2024-01-02]`) or epoch (`[1234567890.123]`).
        for i in 0..<n {
            let b = p[i]
            if !(b >= 0x30 && b <= 0x39) && b != UInt8(ascii: "-") && b != UInt8(ascii: ".") && b != UInt8(ascii: "/") && b != 0x20 { return false }
        }
        return true
    }

    /// Process or logger names: `sshd(pam_unix)[19939]`, `dfs.DataNode$PacketResponder`,
    /// `kernel`, `org.apache.Foo`, `su(pam_unix)`.
    static func isLoggerName(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 2 else { return false }
        let first = p[0]
        let firstIsLetter = (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) || first == UInt8(ascii: "_")
        guard firstIsLetter else { return false }
        for i in 0..<n {
            let b = p[i]
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "$") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
                || b == UInt8(ascii: "/") || b == UInt8(ascii: "@") || b == UInt8(ascii: "#")
            if !ok { return false }
        }
        return true
    }

    static func isDottedName(_ base: UnsafePointer<UInt8>, _ unit: Unit) -> Bool {
        let p = base + unit.start, n = unit.end - unit.start
        var dots = 0
        for i in 0..<n where p[i] == UInt8(ascii: ".") { dots += 1 }
        return dots >= 1 && p[n - 1] != UInt8(ascii: ".") && isLoggerName(p, n)
    }

    /// Up to 8 bytes, lower-cased, packed little-endian (for `switch` on short words).
    @inline(__always)
    static func packLower(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(p[i] | 0x20) << (8 * UInt64(i)) }
        return v
    }

    /// TRACE DEBUG INFO NOTICE WARN WARNING ERROR ERR CRIT CRITICAL ALERT EMERG FATAL SEVERE
    /// FINE FINER FINEST FAILURE VERBOSE, all upper or all lower case (`Error` is a word).
    static func isLevel(_ base: UnsafePointer<UInt8>, _ unit: Unit) -> Bool {
        let n = unit.end - unit.start
        guard n >= 3 && n <= 8 else { return false }
        let p = base + unit.start
        var upper = 0, lower = 0
        for i in 0..<n {
            let b = p[i]
            if b >= 0x41 && b <= 0x5A { upper += 1 } else if b >= 0x61 && b <= 0x7A { lower += 1 } else { return false }
        }
        guard upper == n || lower == n else { return false }
        switch packLower(p, n) {
        case 0x6563617274, 0x6775626564, 0x6F666E69, 0x656369746F6E, 0x6E726177, 0x676E696E726177, 0x726F727265,
             0x727265, 0x74697263, 0x6C61636974697263, 0x7472656C61, 0x6772656D65, 0x6C61746166, 0x657265766573,
             0x656E6966, 0x72656E6966, 0x7473656E6966, 0x6572756C696166, 0x65736F62726576:
            return true
        default:
            return false
        }
    }

    /// Month and weekday names (any case, optional trailing `,` or `.`; full names up to 8
    /// letters), `AM`/`PM`.
    static func isCalendarWord(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var n = count
        if n > 2 && (p[n - 1] == UInt8(ascii: ",") || p[n - 1] == UInt8(ascii: ".")) { n -= 1 }
        guard n >= 2 && n <= 8 else { return false }
        for i in 0..<n where !((p[i] | 0x20) >= 0x61 && (p[i] | 0x20) <= 0x7A) { return false }
        switch packLower(p, n) {
        case 0x6E616A, 0x626566, 0x72616D, 0x727061, 0x79616D, 0x6E756A, 0x6C756A, 0x677561, 0x706573, 0x74706573,
             0x74636F, 0x766F6E, 0x636564, 0x6E6F6D, 0x657574, 0x646577, 0x756874, 0x697266, 0x746173, 0x6E7573,
             0x6D61, 0x6D70, 0x797261756E616A, 0x7972617572626566, 0x686372616D, 0x6C69727061, 0x656E756A,
             0x796C756A, 0x747375677561, 0x7265626F74636F, 0x7265626D65766F6E, 0x7265626D65636564, 0x7961646E6F6D,
             0x79616473657574, 0x7961647372756874, 0x796164697266, 0x7961647275746173, 0x7961646E7573:
            return true
        default:
            return false
        }
    }
}
