/// The byte classes a brace-language lexer assigns: which bytes are code, comment, string
/// or preprocessor directive. Braces count only in `code`.
enum LexClass: UInt8 {
    case code = 0, comment = 1, string = 2, directive = 3
}

/// One `{ … }` pair found by `BraceLexer`, as byte offsets.
struct BracePair {
    var open: Int
    /// The offset of the `}`; the payload's end when the brace is never closed.
    var close: Int
    /// The first code byte of the statement the `{` belongs to (after the last `;`, `{` or
    /// `}` at that level).
    var statementStart: Int
    /// The index of the enclosing pair, if any.
    var parent: Int?
}

/// Lexes a brace-language payload: classifies every byte and matches braces that are code,
/// skipping strings, characters and comments as `dialect` writes them (nested block
/// comments, template literals with `${…}`, Swift `\(…)` interpolation and `"""` strings,
/// raw strings approximately, C preprocessor lines).
struct BraceLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    let dialect: BraceDialect
    /// The class of every byte (newlines inside a string or comment take its class).
    private(set) var classes: [LexClass]
    private(set) var pairs: [BracePair] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, dialect: BraceDialect) {
        self.bytes = bytes
        self.dialect = dialect
        classes = [LexClass](repeating: .code, count: bytes.count)
    }

    private var n: Int { bytes.count }

    private func at(_ i: Int) -> UInt8 { i < n ? bytes[i] : 0 }

    private mutating func mark(_ range: Range<Int>, _ lexClass: LexClass) {
        for k in range.clamped(to: 0..<n) { classes[k] = lexClass }
    }

    /// Runs the lexer over the whole payload.
    mutating func run() {
        var i = 0
        var atLineStart = true
        var statementStart: Int?
        var open: [Int] = []  // indices into `pairs`
        var lastCode: UInt8 = 0
        while i < n {
            let c = bytes[i]
            if c == 10 { atLineStart = true; i += 1; continue }
            if c == 32 || c == 9 || c == 13 || c == 12 || c == 11 { i += 1; continue }
            let lineStart = atLineStart
            atLineStart = false
            if lineStart, dialect.preprocessor, c == UInt8(ascii: "#") {
                let end = directiveEnd(i)
                mark(i..<end, .directive)
                i = end
                continue
            }
            if c == UInt8(ascii: "/"), at(i + 1) == UInt8(ascii: "/") {
                let end = lineEnd(i)
                mark(i..<end, .comment)
                i = end
                continue
            }
            if c == UInt8(ascii: "/"), at(i + 1) == UInt8(ascii: "*") {
                let end = blockCommentEnd(i)
                mark(i..<end, .comment)
                i = end
                continue
            }
            if let end = literalEnd(i, lastCode: lastCode) {
                mark(i..<end, .string)
                if statementStart == nil { statementStart = i }
                lastCode = UInt8(ascii: "\"")
                i = end
                continue
            }
            if statementStart == nil { statementStart = i }
            switch c {
            case UInt8(ascii: "{"):
                pairs.append(BracePair(open: i, close: n, statementStart: statementStart ?? i, parent: open.last))
                open.append(pairs.count - 1)
                statementStart = nil
            case UInt8(ascii: "}"):
                if let top = open.popLast() { pairs[top].close = i }
                statementStart = nil
            case UInt8(ascii: ";"):
                statementStart = nil
            default:
                break
            }
            lastCode = c
            i += 1
        }
    }

    /// The end of the line holding `i` (the offset of its `\n`, or the payload's end).
    private func lineEnd(_ i: Int) -> Int {
        var j = i
        while j < n, bytes[j] != 10 { j += 1 }
        return j
    }

    /// The end of a preprocessor directive, following `\` line continuations.
    private func directiveEnd(_ i: Int) -> Int {
        var j = lineEnd(i)
        while j < n {
            var k = j - 1
            while k > i, bytes[k] == 13 || bytes[k] == 32 { k -= 1 }
            guard bytes[k] == UInt8(ascii: "\\") else { break }
            j = lineEnd(j + 1)
        }
        return j
    }

    /// The offset after the `*/` closing the block comment at `i` (nesting when the dialect does).
    private func blockCommentEnd(_ i: Int) -> Int {
        var depth = 1
        var j = i + 2
        while j < n {
            if bytes[j] == UInt8(ascii: "*"), at(j + 1) == UInt8(ascii: "/") {
                depth -= 1
                j += 2
                if depth == 0 || !dialect.nestedComments { return j }
                continue
            }
            if dialect.nestedComments, bytes[j] == UInt8(ascii: "/"), at(j + 1) == UInt8(ascii: "*") {
                depth += 1
                j += 2
                continue
            }
            j += 1
        }
        return n
    }

    /// When a string, character, raw string, template or regex literal starts at `i`, the
    /// offset after it.
    private func literalEnd(_ i: Int, lastCode: UInt8) -> Int? {
        let c = bytes[i]
        let previous = i > 0 ? bytes[i - 1] : 0
        switch c {
        case UInt8(ascii: "\""):
            if dialect.tripleQuotes, at(i + 1) == c, at(i + 2) == c { return quotedEnd(i + 3, triple: true, depth: 0) }
            if dialect == .csharp, previous == UInt8(ascii: "@") || (previous == UInt8(ascii: "$") && i > 1 && bytes[i - 2] == UInt8(ascii: "@")) {
                return verbatimEnd(i + 1)
            }
            return quotedEnd(i + 1, triple: false, depth: 0)
        case UInt8(ascii: "'"):
            if dialect.singleQuoteStrings { return quotedEnd(i + 1, quote: c, depth: 0) }
            return characterEnd(i)
        case UInt8(ascii: "`"):
            if dialect.templateLiterals { return templateEnd(i + 1, depth: 0) }
            var j = i + 1
            while j < n, bytes[j] != c { j += 1 }
            return min(n, j + 1)
        case UInt8(ascii: "#") where dialect == .swift:
            var j = i
            while j < n, bytes[j] == UInt8(ascii: "#") { j += 1 }
            guard at(j) == UInt8(ascii: "\"") else { return nil }
            return rawEnd(j + 1, hashes: j - i)
        case UInt8(ascii: "r") where dialect == .rust && !previous.isIdentifierByte,
             UInt8(ascii: "b") where dialect == .rust && !previous.isIdentifierByte && at(i + 1) == UInt8(ascii: "r"):
            var j = c == UInt8(ascii: "b") ? i + 2 : i + 1
            let hashStart = j
            while j < n, bytes[j] == UInt8(ascii: "#") { j += 1 }
            guard at(j) == UInt8(ascii: "\"") else { return nil }
            return rawEnd(j + 1, hashes: j - hashStart)
        case UInt8(ascii: "R") where (dialect == .cpp || dialect == .c) && at(i + 1) == UInt8(ascii: "\""):
            // R"delim( … )delim"
            var j = i + 2
            while j < n, j - i < 20, bytes[j] != UInt8(ascii: "("), bytes[j] != 10 { j += 1 }
            guard at(j) == UInt8(ascii: "(") else { return nil }
            let delimiter = Array(bytes[(i + 2)..<j])
            var k = j + 1
            while k < n {
                if bytes[k] == UInt8(ascii: ")"), k + delimiter.count + 1 < n + 1,
                   Array(bytes[(k + 1)..<min(n, k + 1 + delimiter.count)]) == delimiter,
                   at(k + 1 + delimiter.count) == UInt8(ascii: "\"") {
                    return k + 2 + delimiter.count
                }
                k += 1
            }
            return n
        case UInt8(ascii: "/") where dialect.regexLiterals:
            return regexEnd(i, lastCode: lastCode)
        default:
            return nil
        }
    }

    /// The end of a `"…"` or `"""…"""` string whose text starts at `start`.
    private func quotedEnd(_ start: Int, triple: Bool, depth: Int) -> Int {
        quotedEnd(start, quote: UInt8(ascii: "\""), triple: triple, depth: depth)
    }

    /// The end of a string closed by `quote` (three of them when `triple`), with Swift `\(…)`
    /// and Kotlin `${…}` interpolations lexed as code.
    private func quotedEnd(_ start: Int, quote: UInt8, triple: Bool = false, depth: Int) -> Int {
        var j = start
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: "\\") {
                if dialect == .swift, at(j + 1) == UInt8(ascii: "("), depth < 16 {
                    j = interpolationEnd(j + 2, opener: UInt8(ascii: "("), closer: UInt8(ascii: ")"), depth: depth + 1)
                    continue
                }
                j += 2
                continue
            }
            if dialect == .kotlin, b == UInt8(ascii: "$"), at(j + 1) == UInt8(ascii: "{"), depth < 16 {
                j = interpolationEnd(j + 2, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"), depth: depth + 1)
                continue
            }
            if b == quote {
                if !triple { return j + 1 }
                if at(j + 1) == quote, at(j + 2) == quote { return j + 3 }
            }
            // An unterminated single-line string ends at its line (keeps one typo local).
            if b == 10, !triple { return j }
            j += 1
        }
        return n
    }

    /// The end of a C# `@"…"` verbatim string (`""` is a quote).
    private func verbatimEnd(_ start: Int) -> Int {
        var j = start
        while j < n {
            if bytes[j] == UInt8(ascii: "\"") {
                if at(j + 1) == UInt8(ascii: "\"") { j += 2; continue }
                return j + 1
            }
            j += 1
        }
        return n
    }

    /// The end of a raw string closed by `"` and `hashes` `#`s (Swift `#"…"#`, Rust `r#"…"#`).
    private func rawEnd(_ start: Int, hashes: Int) -> Int {
        var j = start
        while j < n {
            if bytes[j] == UInt8(ascii: "\"") {
                var k = j + 1
                while k < n, k - j - 1 < hashes, bytes[k] == UInt8(ascii: "#") { k += 1 }
                if k - j - 1 == hashes { return k }
            }
            j += 1
        }
        return n
    }

    /// A character literal's end, or nil when the `'` at `i` is not one (a Rust lifetime, a
    /// C++ digit separator).
    private func characterEnd(_ i: Int) -> Int? {
        if at(i + 1) == UInt8(ascii: "\\") {
            var j = i + 3
            while j < n, j - i < 12, bytes[j] != UInt8(ascii: "'"), bytes[j] != 10 { j += 1 }
            return at(j) == UInt8(ascii: "'") ? j + 1 : nil
        }
        // One UTF-8 scalar, then the closing quote.
        var j = i + 1
        guard j < n, bytes[j] != 10, bytes[j] != UInt8(ascii: "'") else { return nil }
        j += 1
        while j < n, bytes[j] & 0xC0 == 0x80 { j += 1 }
        return at(j) == UInt8(ascii: "'") ? j + 1 : nil
    }

    /// The end of a JavaScript template literal whose text starts at `start`.
    private func templateEnd(_ start: Int, depth: Int) -> Int {
        var j = start
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: "\\") { j += 2; continue }
            if b == UInt8(ascii: "`") { return j + 1 }
            if b == UInt8(ascii: "$"), at(j + 1) == UInt8(ascii: "{"), depth < 16 {
                j = interpolationEnd(j + 2, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"), depth: depth + 1)
                continue
            }
            j += 1
        }
        return n
    }

    /// The offset after the `closer` that ends an interpolation whose code starts at `start`.
    private func interpolationEnd(_ start: Int, opener: UInt8, closer: UInt8, depth: Int) -> Int {
        var level = 1
        var j = start
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: "/"), at(j + 1) == UInt8(ascii: "*") { j = blockCommentEnd(j); continue }
            if b == UInt8(ascii: "/"), at(j + 1) == UInt8(ascii: "/") { j = lineEnd(j); continue }
            if b == UInt8(ascii: "\"") {
                j = dialect.tripleQuotes && at(j + 1) == b && at(j + 2) == b
                    ? quotedEnd(j + 3, triple: true, depth: depth) : quotedEnd(j + 1, triple: false, depth: depth)
                continue
            }
            if b == UInt8(ascii: "'"), dialect.singleQuoteStrings { j = quotedEnd(j + 1, quote: b, depth: depth); continue }
            if b == UInt8(ascii: "`"), dialect.templateLiterals { j = templateEnd(j + 1, depth: depth + 1); continue }
            if b == opener { level += 1 }
            if b == closer {
                level -= 1
                if level == 0 { return j + 1 }
            }
            j += 1
        }
        return n
    }

    /// A JavaScript regex literal's end when the `/` at `i` starts one: after an operator,
    /// an opening bracket, `return`, or at the start of a statement; within one line.
    private func regexEnd(_ i: Int, lastCode: UInt8) -> Int? {
        let next = at(i + 1)
        guard next != UInt8(ascii: "/"), next != UInt8(ascii: "*"), next != 32 else { return nil }
        let operators: [UInt8] = Array("(,=:[!&|?{};+-*%<>~^".utf8)
        var allowed = lastCode == 0 || operators.contains(lastCode)
        if !allowed, i >= 6 {
            let word = Array(bytes[(i - 6)..<i]).filter { $0 != 32 }
            allowed = word == Array("return".utf8)
        }
        guard allowed else { return nil }
        var j = i + 1
        var inClass = false
        while j < n {
            let b = bytes[j]
            if b == 10 { return nil }
            if b == UInt8(ascii: "\\") { j += 2; continue }
            if b == UInt8(ascii: "[") { inClass = true }
            if b == UInt8(ascii: "]") { inClass = false }
            if b == UInt8(ascii: "/"), !inClass {
                j += 1
                while j < n, bytes[j].isIdentifierByte { j += 1 }
                return j
            }
            j += 1
        }
        return nil
    }
}
