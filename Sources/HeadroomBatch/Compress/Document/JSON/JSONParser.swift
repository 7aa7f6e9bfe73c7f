/// Parses bytes into the flat node array of a `JSONDocument`: one pass, no recursion (open
/// containers live on an explicit stack, at most `maxDepth` deep), no String per token.
/// Strict RFC 8259 syntax; UTF-8 is not validated.
enum JSONParser {
    /// Containers may nest this deep; one more level is an error.
    static let maxDepth = 1000

    /// The nodes of `bytes` in document order, or why they are not one JSON value.
    static func parse(_ bytes: [UInt8], firstLine: Int) -> Result<[JSONNode], JSONParseError> {
        bytes.withUnsafeBufferPointer { buffer in
            var state = JSONParserState(buffer, firstLine: firstLine)
            do throws(JSONParseError) {
                try state.run()
                return .success(state.nodes)
            } catch {
                return .failure(error)
            }
        }
    }
}

/// The running state of one parse over a byte buffer.
struct JSONParserState {
    private let p: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var i = 0
    private var line: Int32
    private(set) var nodes: [JSONNode] = []
    /// The open containers, innermost last, and the last child seen in each.
    private var open: [Int32] = []
    private var lastChild: [Int32] = []
    /// The key read before the member's value.
    private var keyStart = -1
    private var keyEnd = -1
    private var keyEscapes = false

    init(_ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int) {
        p = buffer
        n = buffer.count
        line = Int32(clamping: firstLine)
    }

    // ASCII bytes the grammar needs.
    private static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C, colon: UInt8 = 0x3A
    private static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D
    private static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D

    /// Parses the whole buffer as one value followed only by whitespace.
    mutating func run() throws(JSONParseError) {
        nodes.reserveCapacity(max(16, n / 32))
        values: while true {
            skipWhitespace()
            guard i < n else { throw error(.truncated, "the input ended where a value was expected") }
            let index = Int32(nodes.count)
            let parent = open.last ?? -1
            if parent >= 0 {
                let last = lastChild[lastChild.count - 1]
                if last >= 0 { nodes[Int(last)].nextSibling = index }
                lastChild[lastChild.count - 1] = index
                nodes[Int(parent)].childCount += 1
            }
            var node = JSONNode(kind: .null, flags: keyEscapes ? 2 : 0, line: line, endLine: line, parent: parent,
                                nextSibling: -1, subtreeEnd: index + 1, childCount: 0,
                                start: i, end: i + 1, keyStart: keyStart, keyEnd: keyEnd)
            keyStart = -1
            keyEnd = -1
            keyEscapes = false
            let c = p[i]
            switch c {
            case Self.openBrace, Self.openBracket:
                guard open.count < JSONParser.maxDepth else {
                    throw error(.tooDeep, "containers nested deeper than \(Format.count(JSONParser.maxDepth)) levels")
                }
                let isObject = c == Self.openBrace
                node.kind = isObject ? .object : .array
                nodes.append(node)
                open.append(index)
                lastChild.append(-1)
                i += 1
                skipWhitespace()
                guard i < n else {
                    throw error(.truncated, "the input ended inside an \(isObject ? "object" : "array")")
                }
                if p[i] == (isObject ? Self.closeBrace : Self.closeBracket) {
                    close()
                } else {
                    if isObject { try readKey() }
                    continue values
                }
            case Self.quote:
                let (end, escapes) = try scanString()
                node.kind = .string
                node.end = end
                if escapes { node.flags |= 1 }
                nodes.append(node)
                i = end
            case 0x74: // t
                try literal("true", [0x74, 0x72, 0x75, 0x65])
                node.kind = .true
                node.end = i
                nodes.append(node)
            case 0x66: // f
                try literal("false", [0x66, 0x61, 0x6C, 0x73, 0x65])
                node.kind = .false
                node.end = i
                nodes.append(node)
            case 0x6E: // n
                try literal("null", [0x6E, 0x75, 0x6C, 0x6C])
                node.kind = .null
                node.end = i
                nodes.append(node)
            case 0x2D, 0x30...0x39:
                try scanNumber()
                node.kind = .number
                node.end = i
                nodes.append(node)
            default:
                throw error(.invalidToken, "unexpected \(Self.describe(c)) where a value was expected")
            }
            // After a value: a comma, the end of its container, or the end of the input.
            while true {
                guard let top = open.last else {
                    skipWhitespace()
                    if i < n {
                        throw error(.trailingGarbage, "unexpected \(Self.describe(p[i])) after the end of the value")
                    }
                    return
                }
                skipWhitespace()
                let isObject = nodes[Int(top)].kind == .object
                guard i < n else {
                    throw error(.truncated, "the input ended inside an \(isObject ? "object" : "array")")
                }
                let c = p[i]
                if c == Self.comma {
                    i += 1
                    if isObject {
                        skipWhitespace()
                        try readKey()
                    }
                    continue values
                }
                guard c == (isObject ? Self.closeBrace : Self.closeBracket) else {
                    throw error(.invalidToken, isObject
                        ? "expected ',' or '}' after an object member, found \(Self.describe(c))"
                        : "expected ',' or ']' after an array element, found \(Self.describe(c))")
                }
                close()
            }
        }
    }

    /// Ends the innermost open container at the closing byte under the cursor.
    @inline(__always)
    private mutating func close() {
        let top = Int(open.removeLast())
        lastChild.removeLast()
        nodes[top].end = i + 1
        nodes[top].endLine = line
        nodes[top].subtreeEnd = Int32(nodes.count)
        i += 1
    }

    /// Reads `"key"` and the colon after it; the key goes to the next node.
    private mutating func readKey() throws(JSONParseError) {
        guard i < n else { throw error(.truncated, "the input ended where a member name was expected") }
        guard p[i] == Self.quote else {
            throw error(.invalidToken, "expected a member name in double quotes, found \(Self.describe(p[i]))")
        }
        let (end, escapes) = try scanString()
        keyStart = i + 1
        keyEnd = end - 1
        keyEscapes = escapes
        i = end
        skipWhitespace()
        guard i < n else { throw error(.truncated, "the input ended where ':' was expected") }
        guard p[i] == Self.colon else {
            throw error(.invalidToken, "expected ':' after a member name, found \(Self.describe(p[i]))")
        }
        i += 1
    }

    /// Skips spaces, tabs, carriage returns and newlines, counting lines.
    @inline(__always)
    private mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                i += 1
            } else if c == 0x0A {
                line += 1
                i += 1
            } else {
                return
            }
        }
    }

    /// Scans the string whose opening quote is under the cursor, checking its escapes;
    /// returns the offset after the closing quote and whether it has escapes. Eight bytes at a
    /// time while none is a quote, a backslash or a control byte.
    @inline(__always)
    private func scanString() throws(JSONParseError) -> (end: Int, escapes: Bool) {
        var j = i + 1
        var escapes = false
        let base = UnsafeRawPointer(p.baseAddress!)
        while true {
            while j + 8 <= n, !Self.mayHoldSpecialByte(base.loadUnaligned(fromByteOffset: j, as: UInt64.self)) {
                j += 8
            }
            let stop = min(n, j + 8)
            while j < stop, p[j] != Self.quote, p[j] != Self.backslash, p[j] >= 0x20 { j += 1 }
            if j == stop && j < n { continue }
            guard j < n else { throw error(.truncated, "the input ended inside a string", at: n) }
            let c = p[j]
            if c == Self.quote { return (j + 1, escapes) }
            if c == Self.backslash {
                escapes = true
                guard j + 1 < n else { throw error(.truncated, "the input ended inside a string", at: n) }
                switch p[j + 1] {
                case Self.quote, Self.backslash, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: // " \ / b f n r t
                    j += 2
                case 0x75: // u
                    guard j + 6 <= n else { throw error(.truncated, "the input ended inside a \\u escape", at: n) }
                    for k in j + 2..<j + 6 where Self.hexValue(p[k]) < 0 {
                        throw error(.invalidEscape, "\\u must be followed by four hex digits", at: j)
                    }
                    j += 6
                default:
                    throw error(.invalidEscape, "invalid escape '\\\(Self.printable(p[j + 1]))' in a string", at: j)
                }
            } else if c < 0x20 {
                throw error(.invalidToken, "unescaped control byte 0x\(String(c, radix: 16)) inside a string", at: j)
            }
        }
    }

    /// True when some byte of `word` may be a quote, a backslash or below 0x20 (never false
    /// when one is; rarely true when none is).
    @inline(__always)
    private static func mayHoldSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & high != 0
    }

    /// Scans a number under the cursor (RFC 8259 grammar) and moves past it.
    @inline(__always)
    private mutating func scanNumber() throws(JSONParseError) {
        var j = i
        if p[j] == 0x2D { j += 1 }
        func digits(_ what: String) throws(JSONParseError) {
            guard j < n else { throw error(.truncated, "the input ended inside a number", at: n) }
            guard p[j] >= 0x30 && p[j] <= 0x39 else {
                throw error(.invalidToken, "expected a digit in \(what), found \(Self.describe(p[j]))", at: j)
            }
            while j < n && p[j] >= 0x30 && p[j] <= 0x39 { j += 1 }
        }
        if j < n && p[j] == 0x30 { j += 1 } else { try digits("a number") }
        if j < n && p[j] == 0x2E {
            j += 1
            try digits("the fraction of a number")
        }
        if j < n && (p[j] | 0x20) == 0x65 {
            j += 1
            if j < n && (p[j] == 0x2B || p[j] == 0x2D) { j += 1 }
            try digits("the exponent of a number")
        }
        i = j
    }

    /// Matches the literal `bytes` (`true`, `false`, `null`) under the cursor.
    @inline(__always)
    private mutating func literal(_ name: String, _ bytes: [UInt8]) throws(JSONParseError) {
        for (k, expected) in bytes.enumerated() {
            guard i + k < n else { throw error(.truncated, "the input ended inside '\(name)'", at: n) }
            guard p[i + k] == expected else {
                throw error(.invalidToken, "invalid literal: expected '\(name)', found \(Self.describe(p[i + k]))", at: i + k)
            }
        }
        i += bytes.count
    }

    /// The error `reason` at `offset` (the cursor by default), on the current line (strings
    /// and numbers hold no newline, so the line is that of any offset within the token).
    private func error(_ reason: JSONParseError.Reason, _ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(reason: reason, message: message, offset: offset ?? i, line: Int(line))
    }

    /// The value of a hex digit, or -1.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> Int {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return -1
        }
    }

    /// A byte for an error message: `'x'` or `byte 0x1f`.
    private static func describe(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? "'\(printable(c))'" : "byte 0x\(String(c, radix: 16))"
    }

    private static func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "0x\(String(c, radix: 16))"
    }
}
