/// What a line of source is, for the outline: code, a comment, an import, blank, or the
/// inside of a multi-line string or comment that started on an earlier line.
enum CodeLineRole: Equatable {
    case blank
    case code
    /// Only comment text (a line comment, or a line within or opening a block comment).
    case comment
    /// `import`, `#include`, `use`, `using`, `from … import`, or a line of such a statement.
    case importLine
    /// Inside a string literal that started on an earlier line.
    case string
}

/// One block of the source: a brace pair, or an indented Python suite, with the lines its
/// declaration spans. Line numbers are 0-based.
struct CodeBlock {
    /// What the block declares, which decides how the outline treats it.
    enum Kind: Equatable {
        /// A type, extension, impl, namespace or module: its members are outlined.
        case container
        /// A function or method: its body collapses to one marker.
        case function
        /// Any other block (a computed property, a closure, a control statement): collapses.
        case other
    }

    var kind: Kind
    /// The keyword that decided the kind (`class`, `func`, `def`, …), empty when none did.
    var keyword: String
    /// First and last line of the signature (multi-line signatures whole).
    var headerFirst: Int
    var headerLast: Int
    /// The lines a body marker replaces; empty when the body shares the header's line.
    var body: Range<Int>
    /// The last line of the declaration (its closing brace, or its last body line).
    var end: Int
    /// A Python docstring's lines, when the body starts with one.
    var docstring: Range<Int>?
    /// Nested blocks, in source order (indices into `CodeStructure.blocks`).
    var children: [Int] = []
    var depth: Int = 0
    /// Declared private (`private`, `fileprivate`, C `static`, Python `_name`, Rust without `pub`).
    var isPrivate: Bool = false
}

/// The blocks and line roles of one source file, from `BraceScanner` or `IndentScanner`.
struct CodeStructure {
    var language: CodeLanguage
    var roles: [CodeLineRole]
    /// All blocks, ordered by their opening.
    var blocks: [CodeBlock]
    /// The blocks not nested in another, in source order.
    var topLevel: [Int]
    /// Statements over several lines that open no block (a long `__all__ = [` list), as
    /// line ranges; the outline keeps their first line.
    var statements: [Range<Int>] = []

    /// Scans `lines` in the language its content shows.
    static func scan(_ lines: DocumentLines) -> CodeStructure {
        let language = CodeLanguage.detect(lines)
        switch language {
        case .python: return IndentScanner.scan(lines)
        case .brace(let dialect): return BraceScanner.scan(lines, dialect: dialect)
        }
    }

    /// Fills `children`, `depth` and `topLevel` from blocks ordered by opening whose line
    /// extents nest; `parents[i]` is the index of block `i`'s enclosing block.
    mutating func link(parents: [Int?]) {
        topLevel = []
        for index in blocks.indices {
            if let parent = parents[index] {
                blocks[index].depth = blocks[parent].depth + 1
                blocks[parent].children.append(index)
            } else {
                topLevel.append(index)
            }
        }
    }
}

/// Reads a declaration's header to decide its kind and visibility.
enum DeclarationHeader {
    static let containerWords: Set<String> = [
        "class", "struct", "enum", "protocol", "interface", "trait", "impl", "extension", "namespace",
        "union", "object", "record", "actor", "mod", "module", "extern",
    ]
    static let functionWords: Set<String> = [
        "func", "fn", "function", "def", "fun", "init", "deinit", "subscript", "constructor", "operator",
    ]
    static let controlWords: Set<String> = [
        "if", "else", "for", "while", "do", "switch", "match", "try", "catch", "finally", "loop", "guard",
        "return", "case", "default", "defer", "repeat", "unsafe", "with", "select", "go", "synchronized",
    ]

    /// The words (identifiers and keywords) of `text`, in order, skipping string literals.
    static func words(_ text: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                i += 1
                while i < text.endIndex, text[i] != c { i += text[i] == UInt8(ascii: "\\") ? 2 : 1 }
                i += 1
                continue
            }
            if c.isIdentifierStart {
                let start = i
                while i < text.endIndex, text[i].isIdentifierByte { i += 1 }
                // `obj.class`, `@property`-like member access is not a keyword use.
                let previous = start > text.startIndex ? text[start - 1] : 32
                if previous != UInt8(ascii: ".") { out.append(text[start..<i]) }
                continue
            }
            i += 1
        }
        return out
    }

    /// The kind and deciding keyword of a brace block whose header reads `text`.
    ///
    /// The first container or function keyword decides; a control keyword first means a
    /// statement. A C `struct X *f(…) {` is a function: the type keyword there is followed by
    /// a name and then more words before the parenthesis.
    static func classify(_ text: ArraySlice<UInt8>) -> (CodeBlock.Kind, String) {
        let all = words(text)
        for (position, word) in all.enumerated() {
            let name = String(decoding: word, as: UTF8.self)
            if controlWords.contains(name) { return (.other, name) }
            if functionWords.contains(name) { return (.function, name) }
            if containerWords.contains(name) {
                if name == "struct" || name == "union" || name == "enum",
                   text.contains(UInt8(ascii: "(")), position + 2 < all.count,
                   !containerWords.contains(String(decoding: all[position + 1], as: UTF8.self)),
                   !text.containsLiteral(":"), !text.containsLiteral("=") {
                    return (.function, name)
                }
                return (.container, name)
            }
        }
        // `name(args) {`: a C-family function or a JavaScript method.
        if let paren = text.firstIndex(of: UInt8(ascii: "(")), paren > text.startIndex,
           text[..<paren].trimmingTrailingWhitespace().last?.isIdentifierByte == true,
           !text.containsLiteral("=>"), !text.containsLiteral(" = ") {
            return (.function, "")
        }
        return (.other, "")
    }

    /// Whether the header `text` declares a private member.
    static func isPrivate(_ text: ArraySlice<UInt8>, language: CodeLanguage, depth: Int) -> Bool {
        let all = words(text).map { String(decoding: $0, as: UTF8.self) }
        if all.contains("private") || all.contains("fileprivate") { return true }
        switch language {
        case .python:
            guard let index = all.firstIndex(where: { $0 == "def" || $0 == "class" }), index + 1 < all.count else { return false }
            let name = all[index + 1]
            return name.hasPrefix("_") && !(name.hasPrefix("__") && name.hasSuffix("__"))
        case .brace(.c), .brace(.cpp):
            return depth == 0 && all.first == "static"
        case .brace(.rust):
            return !all.contains("pub") && !all.contains("impl") && !all.contains("trait")
        case .brace(.go):
            guard let index = all.firstIndex(of: "func") else { return false }
            // `func (r *T) name(`: the name follows the receiver's closing parenthesis.
            var rest = text[...]
            if let close = text.firstIndex(of: UInt8(ascii: ")")), text.containsLiteral("func (") { rest = text[(close + 1)...] }
            let names = words(rest).map { String(decoding: $0, as: UTF8.self) }.filter { $0 != "func" }
            let name = text.containsLiteral("func (") ? names.first : (index + 1 < all.count ? all[index + 1] : nil)
            return name.map { $0.utf8.first.map { $0 >= 97 && $0 <= 122 } ?? false } ?? false
        default:
            return false
        }
    }
}

extension UInt8 {
    /// ASCII letter, `_`, `$`, or a non-ASCII byte.
    var isIdentifierStart: Bool {
        (self | 0x20) &- 97 < 26 || self == UInt8(ascii: "_") || self == UInt8(ascii: "$") || self >= 0x80
    }
    /// An identifier start or an ASCII digit.
    var isIdentifierByte: Bool { isIdentifierStart || self &- 48 < 10 }
}
