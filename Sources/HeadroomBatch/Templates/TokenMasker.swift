/// One token of a message, as a 64-bit hash of its *shape*: constant text is hashed as is,
/// variable parts (numbers, hex, ids, IPs, paths, quoted strings, dates) as a placeholder.
/// `start..<end` are byte offsets in the line, for rendering and example values.
struct MaskedToken: Equatable {
    /// Hash of the token's shape; `TokenMasker.wildcard` when the whole token is one variable.
    var hash: UInt64
    var start: Int32
    var end: Int32
    /// True when at least one part of the token was masked.
    var hasVariable: Bool
    /// For a `key=value` token with a constant key and a non-empty value: the hash of `key=`
    /// (else 0), so that `tenant=a` and `tenant=b` are known to share their key.
    var key: UInt64 = 0
}

/// Splits a message into whitespace-separated tokens and masks variables in each, hashing
/// bytes directly (no `String` per token).
///
/// Within a token, the delimiters `= : , ; ( ) [ ] { } < > | @` and quotes split it into
/// segments; a segment is variable when it contains a digit (numbers, hex, IPs, ports, UUIDs,
/// `blk_-123`, `core.2275`, `12ms`, `64MB`, versions), starts with `/` (paths, and the
/// `//host/...` of URLs), is a month or weekday abbreviation, or is a long hex string. A
/// quoted string (`'...'` or `"..."` at a token or segment start) is one variable, even with
/// spaces inside. So `rhost=10.0.0.1` becomes `rhost=<*>`, `/10.1.2.3:50010` becomes `<*>:<*>`
/// and `'attempt_1_0001'` becomes `'<*>'`.
///
/// Complexity: O(message bytes), one pass; `render` is used only for new templates.
struct TokenMasker {
    /// The hash of a token that is one variable (`<*>`), and of a wildcard template position.
    static let wildcard: UInt64 = 0x2A3C_2A3E_2A3C_2A3E

    /// Tokens of the last `tokenize` call (reused between calls).
    private(set) var tokens: [MaskedToken] = []

    /// Longest quoted string treated as one token.
    static let maxQuoted = 512

    /// The byte-class table, read once (a static's lazy-init check costs on every access).
    private let classes: UnsafePointer<UInt8> = MaskCharClass.table

    init() { tokens.reserveCapacity(64) }

    /// Tokens of a line at most: the rest of a longer line is one variable token, so the
    /// cost of matching a line against a template stays bounded.
    static let maxTokens = 128

    /// Tokenizes `base[start..<end]` into `tokens`.
    mutating func tokenize(_ base: UnsafePointer<UInt8>, start: Int, end: Int) {
        tokens.removeAll(keepingCapacity: true)
        var p = start
        var sink: [UInt8] = []
        while true {
            while p < end, classes[Int(base[p])] == MaskCharClass.space { p += 1 }
            if p >= end { break }
            if tokens.count == Self.maxTokens - 1 {
                tokens.append(MaskedToken(hash: Self.wildcard, start: Int32(p), end: Int32(end), hasVariable: true))
                break
            }
            let afterNumber = tokens.last?.hash == TokenMasker.wildcard
            let (token, next) = TokenMasker.scanToken(base, start: p, end: end, render: false, into: &sink,
                                                      afterNumber: afterNumber, classes: classes)
            tokens.append(token)
            p = next
        }
    }

    /// The shape text of a token, with `<*>` for its variable parts.
    static func render(_ base: UnsafePointer<UInt8>, _ token: MaskedToken) -> [UInt8] {
        var out: [UInt8] = []
        let (shape, _) = scanToken(base, start: Int(token.start), end: Int(token.end), render: true, into: &out,
                                   classes: MaskCharClass.table)
        // A unit masked after a number (`64 MB`) renders as a variable.
        if shape.hash != token.hash && token.hash == wildcard { return placeholder }
        return out
    }

    // MARK: - Scanning

    private static let prime: UInt64 = 0x0000_0100_0000_01B3
    private static let seed: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let variableMark: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    private static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 { (h ^ v) &* prime }

    private static let placeholder: [UInt8] = Array("<*>".utf8)

    /// Scans one token starting at `start` (not a space); returns it and the offset after it.
    @inline(__always)
    static func scanToken(_ base: UnsafePointer<UInt8>, start: Int, end: Int, render: Bool,
                          into out: inout [UInt8], afterNumber: Bool = false,
                          classes: UnsafePointer<UInt8>) -> (MaskedToken, Int) {
        var h = seed
        var p = start
        var segmentStart = p
        var segmentHash = seed
        var segmentDigits = false
        var anyVariable = false
        var constantParts = 0
        var variableParts = 0
        var delimiterParts = 0
        var key: UInt64 = 0
        var keyEnd = 0

        @inline(__always)
        func finishSegment(_ endOfSegment: Int) {
            let n = endOfSegment - segmentStart
            guard n > 0 else { return }
            let variable = segmentDigits || isVariableWord(base + segmentStart, n)
                || (afterNumber && segmentStart == start && isUnit(base + segmentStart, n))
            if variable {
                h = mix(h, variableMark)
                anyVariable = true
                variableParts += 1
                if render { out.append(contentsOf: placeholder) }
            } else {
                h = mix(h, segmentHash)
                constantParts += 1
                if render { out.append(contentsOf: UnsafeBufferPointer(start: base + segmentStart, count: n)) }
            }
        }

        while p < end {
            let b = base[p]
            let cls = classes[Int(b)]
            if cls == MaskCharClass.space { break }
            if cls == MaskCharClass.other {
                segmentHash = mix(segmentHash, UInt64(b))
                p += 1
                continue
            }
            if cls == MaskCharClass.digit {
                segmentDigits = true
                segmentHash = mix(segmentHash, UInt64(b))
                p += 1
                continue
            }
            // A delimiter or a quote ends the segment.
            finishSegment(p)
            if cls == MaskCharClass.quote && (p == start || classes[Int(base[p - 1])] == MaskCharClass.delimiter) {
                if let close = findClose(base, from: p + 1, end: end, quote: b, classes: classes) {
                    h = mix(mix(mix(h, UInt64(b)), variableMark), UInt64(b))
                    anyVariable = true
                    variableParts += 1
                    delimiterParts += 2
                    if render { out.append(b); out.append(contentsOf: placeholder); out.append(b) }
                    p = close + 1
                    segmentStart = p; segmentHash = seed; segmentDigits = false
                    continue
                }
            }
            h = mix(h, UInt64(b) | 0x100)
            if b == UInt8(ascii: "=") && delimiterParts == 0 && constantParts == 1 && variableParts == 0 {
                key = h
                keyEnd = p + 1
            }
            delimiterParts += 1
            if render { out.append(b) }
            p += 1
            // An empty pair of brackets holds an empty variable: `()` has the shape of `(<*>)`.
            if p < end, let close = closingBracket(b), base[p] == close {
                h = mix(h, variableMark)
                anyVariable = true
                variableParts += 1
                if render { out.append(contentsOf: placeholder) }
            }
            segmentStart = p; segmentHash = seed; segmentDigits = false
        }
        finishSegment(p)
        if variableParts == 1 && constantParts == 0 && delimiterParts == 0 { h = wildcard }
        else if h == wildcard { h &+= 1 }
        if key != 0 && (p <= keyEnd || key == wildcard) { key = 0 }
        return (MaskedToken(hash: h, start: Int32(start), end: Int32(p), hasVariable: anyVariable, key: key), p)
    }

    @inline(__always)
    private static func closingBracket(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "("): return UInt8(ascii: ")")
        case UInt8(ascii: "["): return UInt8(ascii: "]")
        case UInt8(ascii: "{"): return UInt8(ascii: "}")
        default: return nil
        }
    }

    @inline(__always)
    private static func findClose(_ base: UnsafePointer<UInt8>, from: Int, end: Int, quote: UInt8,
                                  classes: UnsafePointer<UInt8>) -> Int? {
        var q = from
        let limit = min(end, from + maxQuoted)
        while q < limit {
            if base[q] == quote {
                // The closing quote must end the token or be followed by a delimiter.
                if q + 1 >= end { return q }
                let next = classes[Int(base[q + 1])]
                if next == MaskCharClass.space || next == MaskCharClass.delimiter { return q }
                if base[q + 1] == UInt8(ascii: ".") { return q }
            }
            q += 1
        }
        return nil
    }

    /// Variable segments without digits: paths (`/usr/lib`), month and weekday abbreviations,
    /// long hex strings.
    @inline(__always)
    static func isVariableWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if p[0] == UInt8(ascii: "/") { return n >= 2 }
        if n == 3 { return isCalendarAbbreviation(p) }
        if n >= 16 {
            for i in 0..<n {
                let b = p[i] | 0x20
                if !((b >= 0x61 && b <= 0x66) || (b >= 0x30 && b <= 0x39)) { return false }
            }
            return true
        }
        return false
    }

    /// Units of sizes, durations and rates (B KB MB GB KiB ms us ns s sec seconds min h hours
    /// days bytes bps Mbps MHz ...), masked when they follow a number (`64 MB`).
    @inline(__always)
    static func isUnit(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n <= 7 else { return false }
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(p[i]) << (8 * UInt64(i)) }
        switch v {
        case 0x42, 0x424B, 0x424D, 0x4247, 0x4254, 0x4250, 0x4B, 0x4D, 0x47, 0x42694B, 0x42694D, 0x426947, 0x426954,
             0x426B, 0x624B, 0x624D, 0x6247, 0x62, 0x6B, 0x6D, 0x67, 0x736D, 0x7375, 0x736E, 0x73, 0x636573,
             0x73636573, 0x646E6F636573, 0x73646E6F636573, 0x6E696D, 0x736E696D, 0x736574756E696D, 0x68, 0x7268,
             0x737268, 0x7372756F68, 0x73796164, 0x7365747962, 0x737062, 0x7370626B, 0x7370624D, 0x73706247,
             0x7A484D, 0x7A4847, 0x7A48:
            return true
        default:
            return false
        }
    }

    /// `Jan`, `Fri`, `DEC` (capitalised or upper case; lower-case words like `sun` stay words).
    @inline(__always)
    static func isCalendarAbbreviation(_ p: UnsafePointer<UInt8>) -> Bool {
        guard p[0] >= 0x41 && p[0] <= 0x5A else { return false }
        switch UInt32(p[0] | 0x20) | UInt32(p[1] | 0x20) << 8 | UInt32(p[2] | 0x20) << 16 {
        case 0x6E616A, 0x626566, 0x72616D, 0x727061, 0x79616D, 0x6E756A, 0x6C756A, 0x677561, 0x706573, 0x74636F,
             0x766F6E, 0x636564, 0x6E6F6D, 0x657574, 0x646577, 0x756874, 0x697266, 0x746173, 0x6E7573:
            return true
        default:
            return false
        }
    }
}

/// Byte classes for the masker (a 256-entry table).
enum MaskCharClass {
    static let other: UInt8 = 0
    static let digit: UInt8 = 1
    static let delimiter: UInt8 = 2
    static let quote: UInt8 = 3
    static let space: UInt8 = 4

    static let table: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: other, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] = digit }
        for c in "=:,;()[]{}<>|@" { t[Int(c.asciiValue!)] = delimiter }
        t[Int(UInt8(ascii: "'"))] = quote
        t[Int(UInt8(ascii: "\""))] = quote
        for b: UInt8 in [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C] { t[Int(b)] = space }
        return UnsafePointer(t)
    }()

    @inline(__always)
    static func of(_ b: UInt8) -> UInt8 { table[Int(b)] }
}
