/// The structure of a markdown document: ATX headings (`#`..`######`), setext headings (a
/// paragraph underlined with `===` or `---`), fenced code blocks (```` ``` ```` or `~~~`, one
/// paragraph however many blank lines they hold; no heading inside), YAML front matter, and
/// blank-line separated paragraphs.
enum MarkdownStructure {
    /// The blocks of `lines`, in order. O(lines), looking only at the first bytes of most lines.
    static func blocks(_ lines: TextLines) -> [TextBlock] {
        var blocks: [TextBlock] = []
        let n = lines.count
        var paragraphStart: Int?
        var line = 0

        func closeParagraph(before end: Int) {
            if let start = paragraphStart { blocks.append(.paragraph(start, end - 1)) }
            paragraphStart = nil
        }

        if let end = frontMatterEnd(lines) {
            blocks.append(.paragraph(0, end))
            line = end + 1
        }
        while line < n {
            if lines.blank[line] {
                closeParagraph(before: line)
                line += 1
                continue
            }
            // Only the first byte decides which constructs the line may open.
            let lead = lines.leadingByte(line) ?? 0
            if lead == UInt8(ascii: "`") || lead == UInt8(ascii: "~"), let fence = fenceOpening(lines, line) {
                closeParagraph(before: line)
                var end = line + 1
                while end < n, !isFenceClosing(lines, end, fence) { end += 1 }
                var last = min(end, n - 1)
                while last > line, lines.blank[last] { last -= 1 }
                blocks.append(.paragraph(line, last))
                line = end + 1
                continue
            }
            if lead == UInt8(ascii: "#"), let heading = atxHeading(lines, line) {
                closeParagraph(before: line)
                blocks.append(.heading(level: heading.level, title: heading.title, line, line))
                line += 1
                continue
            }
            if lead == UInt8(ascii: "=") || lead == UInt8(ascii: "-"), let start = paragraphStart,
               let level = setextLevel(lines, line), mayBeSetextTitle(lines, start) {
                var title: [UInt8] = []
                for k in start..<line {
                    if k > start { title.append(32) }
                    title.append(contentsOf: lines.markup(k))
                }
                blocks.append(.heading(level: level, title: HeadingText.plain(title, markup: .markdown), start, line))
                paragraphStart = nil
                line += 1
                continue
            }
            if paragraphStart == nil { paragraphStart = line }
            line += 1
        }
        closeParagraph(before: n)
        return blocks
    }

    /// The opening of a fenced code block: its character and run length.
    struct Fence {
        var character: UInt8
        var length: Int
    }

    /// The fence line `line` opens: three or more backticks or tildes (a backtick fence's info
    /// string holds no backtick). Any indentation, so fences inside list items count.
    static func fenceOpening(_ lines: TextLines, _ line: Int) -> Fence? {
        let text = lines.afterIndentation(line)
        guard let c = text.first, c == UInt8(ascii: "`") || c == UInt8(ascii: "~") else { return nil }
        var i = text.startIndex
        while i < text.endIndex, text[i] == c { i += 1 }
        let length = i - text.startIndex
        guard length >= 3 else { return nil }
        if c == UInt8(ascii: "`"), text[i...].contains(UInt8(ascii: "`")) { return nil }
        return Fence(character: c, length: length)
    }

    /// Whether `line` closes `fence`: its character at least as many times, then only whitespace.
    static func isFenceClosing(_ lines: TextLines, _ line: Int, _ fence: Fence) -> Bool {
        let text = lines.afterIndentation(line)
        var i = text.startIndex
        while i < text.endIndex, text[i] == fence.character { i += 1 }
        guard i - text.startIndex >= fence.length else { return false }
        return text[i...].allSatisfy(\.isLineWhitespace)
    }

    /// The level and title of an ATX heading on `line`: at most three spaces, one to six `#`,
    /// then a space, a tab or the line end; the optional closing `#`s are not part of the title.
    static func atxHeading(_ lines: TextLines, _ line: Int) -> (level: Int, title: String)? {
        guard lines.indentation(line) <= 3 else { return nil }
        let text = lines.afterIndentation(line)
        var i = text.startIndex
        while i < text.endIndex, text[i] == UInt8(ascii: "#") { i += 1 }
        let level = i - text.startIndex
        guard (1...6).contains(level), i == text.endIndex || text[i] == 32 || text[i] == 9 || text[i] == 13 else { return nil }
        var title = text[i...].trimmingWhitespace()
        // A closing sequence: #s preceded by a space (or the whole title).
        var end = title.endIndex
        while end > title.startIndex, title[end - 1] == UInt8(ascii: "#") { end -= 1 }
        if end < title.endIndex, end == title.startIndex || title[end - 1] == 32 || title[end - 1] == 9 {
            title = title[title.startIndex..<end].trimmingWhitespace()
        }
        return (level, HeadingText.plain(title, markup: .markdown))
    }

    /// The level of a setext underline on `line` (1 for `=`, 2 for `-`): at most three spaces,
    /// one character repeated, then only whitespace.
    static func setextLevel(_ lines: TextLines, _ line: Int) -> Int? {
        guard lines.indentation(line) <= 3 else { return nil }
        let text = lines.afterIndentation(line).trimmingTrailingWhitespace()
        guard let c = text.first, c == UInt8(ascii: "=") || c == UInt8(ascii: "-"),
              text.allSatisfy({ $0 == c }) else { return nil }
        return c == UInt8(ascii: "=") ? 1 : 2
    }

    /// Whether the paragraph starting at `start` may be a setext title: not a list item, block
    /// quote or table, whose underline would be a thematic break or a table rule.
    static func mayBeSetextTitle(_ lines: TextLines, _ start: Int) -> Bool {
        let text = lines.afterIndentation(start)
        guard let c = text.first else { return false }
        if c == UInt8(ascii: ">") || c == UInt8(ascii: "|") { return false }
        let next: UInt8? = text.count > 1 ? text[text.startIndex + 1] : nil
        if (c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+")), next == nil || next == 32 || next == 9 {
            return false
        }
        var i = text.startIndex
        while i < text.endIndex, text[i] >= 48, text[i] <= 57 { i += 1 }
        if i > text.startIndex, i < text.endIndex, text[i] == UInt8(ascii: ".") || text[i] == UInt8(ascii: ")"),
           i + 1 == text.endIndex || text[i + 1] == 32 {
            return false
        }
        return true
    }

    /// The last line of YAML front matter: `---` on the first line, closed by `---` or `...`.
    static func frontMatterEnd(_ lines: TextLines) -> Int? {
        guard lines.count > 1, lines.markup(0).trimmingTrailingWhitespace().elementsEqual("---".utf8) else { return nil }
        for k in 1..<lines.count {
            let text = lines.markup(k).trimmingTrailingWhitespace()
            if text.elementsEqual("---".utf8) || text.elementsEqual("...".utf8) { return k }
        }
        return nil
    }
}
