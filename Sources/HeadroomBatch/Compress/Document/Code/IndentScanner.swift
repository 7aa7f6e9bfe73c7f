/// Finds the blocks and line roles of an indentation language (Python): logical lines join
/// physical lines inside brackets, after a `\` and inside `'''`/`"""` strings; a logical line
/// ending in `:` after a compound keyword opens a suite of the more indented lines below it.
enum IndentScanner {
    /// One physical line as the lexer saw it.
    private struct PhysicalLine {
        /// Inside brackets, a triple-quoted string, or after a `\` when the line began.
        var continues = false
        /// Inside a triple-quoted string when the line began.
        var inString = false
        var hasCode = false
        var hasComment = false
        /// The last byte of code on the line (strings count as code), 0 when none.
        var lastCode: UInt8 = 0
    }

    /// A logical line: physical lines `first...last`.
    private struct LogicalLine {
        var first: Int
        var last: Int
        var indent: Int
    }

    private static let compoundWords: Set<String> = [
        "def", "class", "async", "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "match", "case",
    ]

    static func scan(_ lines: DocumentLines) -> CodeStructure {
        let physical = lex(lines)
        var roles = [CodeLineRole](repeating: .blank, count: lines.count)
        var logical: [LogicalLine] = []
        for (index, line) in physical.enumerated() {
            if line.continues, !logical.isEmpty {
                logical[logical.count - 1].last = index
                roles[index] = line.inString ? .string : line.hasCode ? .code : line.hasComment ? .comment : .blank
                continue
            }
            if line.hasCode {
                logical.append(LogicalLine(first: index, last: index, indent: indentation(lines.content(index))))
                roles[index] = .code
            } else if line.hasComment {
                roles[index] = .comment
            }
        }
        for entry in logical {
            let trimmed = lines.content(entry.first).trimmingWhitespace()
            if trimmed.hasPrefix("import ") || (trimmed.hasPrefix("from ") && trimmed.containsLiteral(" import")) {
                for k in entry.first...entry.last where roles[k] != .blank { roles[k] = .importLine }
            }
        }

        var blocks: [CodeBlock] = []
        var parents: [Int?] = []
        var open: [(block: Int, indent: Int)] = []
        /// Ends the suite of `block` before line `next`, leaving out trailing blank lines and
        /// comments no deeper than its header (they introduce what follows).
        func close(_ block: Int, indent: Int, before next: Int) {
            var end = next
            let start = blocks[block].body.lowerBound
            while end > start {
                let role = roles[end - 1]
                if role == .blank || (role == .comment && indentation(lines.content(end - 1)) <= indent) {
                    end -= 1
                } else {
                    break
                }
            }
            blocks[block].body = start..<max(start, end)
            blocks[block].end = max(blocks[block].headerLast, end - 1)
        }
        var statements: [Range<Int>] = []
        for entry in logical {
            if entry.last > entry.first + 2, roles[entry.first] == .code, physical[entry.last].lastCode != UInt8(ascii: ":"),
               !startsWithString(lines.content(entry.first).trimmingWhitespace()) {
                statements.append(entry.first..<(entry.last + 1))
            }
            while let top = open.last, entry.indent <= top.indent {
                close(top.block, indent: top.indent, before: entry.first)
                open.removeLast()
            }
            guard physical[entry.last].lastCode == UInt8(ascii: ":") else { continue }
            let text = lines.bytes[lines.starts[entry.first]..<lines.ends[entry.last]]
            let words = DeclarationHeader.words(text.prefix(64))
            guard let word = words.first.map({ String(decoding: $0, as: UTF8.self) }), compoundWords.contains(word) else { continue }
            var keyword = word
            if word == "async", words.count > 1 { keyword = String(decoding: words[1], as: UTF8.self) }
            let kind: CodeBlock.Kind = keyword == "def" ? .function : keyword == "class" ? .container : .other
            var block = CodeBlock(kind: kind, keyword: keyword, headerFirst: entry.first, headerLast: entry.last,
                                  body: (entry.last + 1)..<(entry.last + 1), end: entry.last)
            block.isPrivate = DeclarationHeader.isPrivate(text, language: .python, depth: open.count)
            parents.append(open.last?.block)
            blocks.append(block)
            open.append((blocks.count - 1, entry.indent))
        }
        while let top = open.popLast() { close(top.block, indent: top.indent, before: lines.count) }

        // Docstrings: a body whose first logical line is a string literal.
        var firstLogical = [Int: LogicalLine]()
        for entry in logical { firstLogical[entry.first] = entry }
        for index in blocks.indices where blocks[index].kind != .other {
            var line = blocks[index].body.lowerBound
            while line < blocks[index].body.upperBound, roles[line] == .blank || roles[line] == .comment { line += 1 }
            guard line < blocks[index].body.upperBound, let entry = firstLogical[line],
                  startsWithString(lines.content(line).trimmingWhitespace()) else { continue }
            blocks[index].docstring = entry.first..<min(entry.last + 1, blocks[index].body.upperBound)
        }

        var structure = CodeStructure(language: .python, roles: roles, blocks: blocks, topLevel: [], statements: statements)
        structure.link(parents: parents)
        // A compound statement holding definitions (`if TYPE_CHECKING:`, `try:`) is outlined
        // like a class; children come after their parent, so a reverse pass sees them first.
        for index in structure.blocks.indices.reversed() where structure.blocks[index].kind == .other {
            if structure.blocks[index].children.contains(where: { structure.blocks[$0].kind != .other }) {
                structure.blocks[index].kind = .container
            }
        }
        return structure
    }

    /// Columns of leading whitespace (a tab advances to the next multiple of 8).
    static func indentation(_ line: ArraySlice<UInt8>) -> Int {
        var width = 0
        for b in line {
            if b == 32 { width += 1 } else if b == 9 { width = (width / 8 + 1) * 8 } else { break }
        }
        return width
    }

    /// Whether a trimmed line starts with a string literal (with an optional `r`/`b`/`u`/`f` prefix).
    static func startsWithString(_ line: ArraySlice<UInt8>) -> Bool {
        var i = line.startIndex
        while i < line.endIndex, i - line.startIndex < 2, "rRbBuUfF".utf8.contains(line[i]) { i += 1 }
        return i < line.endIndex && (line[i] == UInt8(ascii: "\"") || line[i] == UInt8(ascii: "'"))
    }

    /// Lexes every physical line: brackets, strings (single-line and triple-quoted), comments.
    private static func lex(_ lines: DocumentLines) -> [PhysicalLine] {
        var out = [PhysicalLine](repeating: PhysicalLine(), count: lines.count)
        var depth = 0
        var triple: UInt8 = 0  // the quote of an open triple-quoted string
        var backslash = false
        let bytes = lines.bytes
        for line in 0..<lines.count {
            out[line].continues = depth > 0 || triple != 0 || backslash
            out[line].inString = triple != 0
            backslash = false
            let end = lines.ends[line]
            var k = lines.starts[line]
            var info = out[line]
            while k < end {
                let b = bytes[k]
                if triple != 0 {
                    info.hasCode = true
                    if b == UInt8(ascii: "\\") { k += 2; continue }
                    if b == triple, k + 2 < end + 1, k + 2 < bytes.count, bytes[k + 1] == b, bytes[k + 2] == b {
                        triple = 0
                        info.lastCode = b
                        k += 3
                        continue
                    }
                    k += 1
                    continue
                }
                if b.isLineWhitespace { k += 1; continue }
                if b == UInt8(ascii: "#") { info.hasComment = true; break }
                info.hasCode = true
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    if k + 2 < end, bytes[k + 1] == b, bytes[k + 2] == b {
                        triple = b
                        k += 3
                        continue
                    }
                    k += 1
                    while k < end, bytes[k] != b { k += bytes[k] == UInt8(ascii: "\\") ? 2 : 1 }
                    info.lastCode = b
                    k += 1
                    continue
                }
                if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { depth += 1 }
                if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { depth = max(0, depth - 1) }
                if b == UInt8(ascii: "\\"), lines.content(line)[(k + 1)...].trimmingWhitespace().isEmpty { backslash = true }
                info.lastCode = b
                k += 1
            }
            out[line] = info
        }
        return out
    }
}
