/// Finds the blocks and line roles of a brace-language source (C, C++, C#, Java, Kotlin,
/// Swift, Rust, Go, JavaScript/TypeScript) from `BraceLexer`'s matched braces.
enum BraceScanner {
    static func scan(_ lines: DocumentLines, dialect: BraceDialect) -> CodeStructure {
        lines.bytes.withUnsafeBufferPointer { buffer in
            var lexer = BraceLexer(buffer, dialect: dialect)
            lexer.run()
            var (roles, parenDepth) = lineRoles(lines, classes: lexer.classes)
            let language = CodeLanguage.brace(dialect)
            var blocks: [CodeBlock] = []
            var parents: [Int?] = []
            var remap = [Int?](repeating: nil, count: lexer.pairs.count)
            var depths = [Int](repeating: 0, count: lexer.pairs.count)
            for (index, pair) in lexer.pairs.enumerated() {
                let openLine = lineOf(pair.open, lines)
                let closeLine = pair.close >= buffer.count ? lines.count - 1 : lineOf(pair.close, lines)
                let statementLine = lineOf(pair.statementStart, lines)
                let first = headerStart(openLine: openLine, statementLine: statementLine, lines, roles, parenDepth)
                let headerFrom = first == statementLine ? pair.statementStart : lines.starts[first]
                let header = lines.bytes[headerFrom..<pair.open]
                if header.trimmingWhitespace().hasPrefix("import ") {
                    // `import { a, b } from "x"` over several lines: import lines, not a block.
                    for line in first...closeLine where roles[line] == .code { roles[line] = .importLine }
                    continue
                }
                var (kind, keyword) = DeclarationHeader.classify(header)
                if kind == .other, keyword.isEmpty, pair.statementStart < headerFrom {
                    let wide = DeclarationHeader.classify(lines.bytes[pair.statementStart..<pair.open])
                    if wide.0 != .other { (kind, keyword) = wide }
                }
                let parent = pair.parent.flatMap { remap[$0] }
                depths[index] = pair.parent.map { depths[$0] + 1 } ?? 0
                var bodyEnd = closeLine + 1
                if pair.close < buffer.count,
                   lines.bytes[lines.starts[closeLine]..<pair.close].allSatisfy({ $0.isLineWhitespace }) {
                    bodyEnd = closeLine
                }
                let bodyStart = openLine + 1
                var block = CodeBlock(kind: kind, keyword: keyword, headerFirst: first, headerLast: openLine,
                                      body: bodyStart..<max(bodyStart, bodyEnd), end: max(openLine, closeLine))
                block.isPrivate = DeclarationHeader.isPrivate(header, language: language, depth: depths[index])
                remap[index] = blocks.count
                blocks.append(block)
                parents.append(parent)
            }
            var structure = CodeStructure(language: language, roles: roles, blocks: blocks, topLevel: [])
            structure.link(parents: parents)
            return structure
        }
    }

    /// The 0-based line holding byte `offset`.
    static func lineOf(_ offset: Int, _ lines: DocumentLines) -> Int {
        var lo = 0, hi = lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lines.starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Each line's role, and the depth of `(`/`[` nesting at each line's start.
    static func lineRoles(_ lines: DocumentLines, classes: [LexClass]) -> ([CodeLineRole], [Int]) {
        var roles = [CodeLineRole](repeating: .blank, count: lines.count)
        var parenDepth = [Int](repeating: 0, count: lines.count)
        var depth = 0
        var inImportGroup = false
        for line in 0..<lines.count {
            parenDepth[line] = depth
            var hasCode = false, hasComment = false
            var firstClass: LexClass?
            for k in lines.starts[line]..<lines.ends[line] {
                let b = lines.bytes[k]
                if b.isLineWhitespace { continue }
                let lexClass = classes[k]
                if firstClass == nil { firstClass = lexClass }
                switch lexClass {
                case .code:
                    hasCode = true
                    if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") { depth += 1 }
                    if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") { depth = max(0, depth - 1) }
                case .directive, .string: hasCode = true
                case .comment: hasComment = true
                }
            }
            let start = lines.starts[line]
            if firstClass == nil, start > 0, classes[start - 1] != .code {
                // A blank line inside a block comment or a multi-line string belongs to it.
                roles[line] = classes[start - 1] == .comment ? .comment : classes[start - 1] == .string ? .string : .blank
            } else if firstClass == .string, start > 0, classes[start - 1] == .string {
                roles[line] = .string
            } else if hasCode {
                let trimmed = lines.content(line).trimmingWhitespace()
                if inImportGroup {
                    roles[line] = .importLine
                    if trimmed.first == UInt8(ascii: ")") { inImportGroup = false }
                } else if trimmed.hasPrefix("import (") && trimmed.count == 8 {
                    roles[line] = .importLine
                    inImportGroup = true
                } else {
                    roles[line] = isImport(trimmed) ? .importLine : .code
                }
            } else if hasComment {
                roles[line] = .comment
            }
        }
        return (roles, parenDepth)
    }

    /// Whether a trimmed code line is an import, include, use or using statement.
    static func isImport(_ line: ArraySlice<UInt8>) -> Bool {
        line.hasPrefix("import ") || line.hasPrefix("#include") || line.hasPrefix("#import")
            || line.hasPrefix("@import ") || line.hasPrefix("use ") || line.hasPrefix("pub use ")
            || line.hasPrefix("extern crate ") || (line.hasPrefix("using ") && line.last == UInt8(ascii: ";"))
            || line.hasPrefix("@_exported import ") || line.hasPrefix("@testable import ")
            || (line.hasPrefix("const ") && line.containsLiteral("= require("))
    }

    /// The first line of the signature whose `{` is on `openLine`: back over lines inside
    /// the signature's parentheses, a `{` on its own line, and lines that continue the one
    /// above (`where`, `->`, a trailing `,`), never before the statement's first line.
    static func headerStart(openLine: Int, statementLine: Int, _ lines: DocumentLines,
                            _ roles: [CodeLineRole], _ parenDepth: [Int]) -> Int {
        var first = openLine
        while first > statementLine {
            let trimmed = lines.content(first).trimmingWhitespace()
            let above = lines.content(first - 1).trimmingWhitespace()
            let continues = parenDepth[first] > parenDepth[statementLine] || trimmed.first == UInt8(ascii: "{")
                || continuationStarts.contains { trimmed.hasPrefix($0) }
                || (roles[first - 1] == .code && continuationEnds.contains { above.hasSuffix($0) })
            guard continues, roles[first - 1] != .blank else { break }
            first -= 1
        }
        return first
    }

    private static let continuationStarts: [StaticString] = [
        "where ", "extends ", "implements ", ": ", "-> ", "throws", "rethrows", ")", "]", ".", "&&", "||",
        "=> ", "? ", "+ ", "| ", "async ", "const ", "noexcept", "requires ", "override ",
    ]
    private static let continuationEnds: [StaticString] = [",", "(", "[", "->", "&&", "||", "=", ":", "|", "+", "\\"]
}
