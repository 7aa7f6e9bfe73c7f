/// The structure of a reStructuredText document: section titles (a title line underlined, and
/// optionally overlined, with one punctuation character repeated at least as long as the
/// title; levels in the order the adornment styles first appear), literal blocks (a paragraph
/// ending in `::`, or a code directive, with the indented lines after it: one paragraph), and
/// blank-line separated paragraphs.
enum RestructuredTextStructure {
    /// An adornment style: its character and whether it has an overline.
    private struct Style: Equatable {
        var character: UInt8
        var overlined: Bool
    }

    /// Directives whose content is code or literal text, kept whole like a literal block.
    private static let literalDirectives: [String] = [
        "code", "code-block", "sourcecode", "doctest", "testcode", "testoutput", "testsetup",
        "testcleanup", "parsed-literal", "productionlist", "math", "highlight", "ipython", "jupyter-execute",
    ]

    /// The blocks of `lines`, in order. O(lines).
    static func blocks(_ lines: TextLines) -> [TextBlock] {
        var blocks: [TextBlock] = []
        var styles: [Style] = []
        let n = lines.count
        var paragraphStart: Int?
        var line = 0

        /// Closes the paragraph ending at `end` (with its literal block, if it introduces one)
        /// and returns the line to continue from.
        func closeParagraph(through end: Int) -> Int {
            guard let start = paragraphStart else { return end + 1 }
            paragraphStart = nil
            if introducesLiteralBlock(lines, start, end), let last = literalBlockEnd(lines, after: end, indentation: lines.indentation(start)) {
                blocks.append(.paragraph(start, last))
                return last + 1
            }
            blocks.append(.paragraph(start, end))
            return end + 1
        }

        while line < n {
            if lines.blank[line] {
                line = paragraphStart == nil ? line + 1 : closeParagraph(through: line - 1)
                continue
            }
            if paragraphStart == nil, let title = sectionTitle(lines, line) {
                var level = (styles.firstIndex(of: title.style) ?? styles.count) + 1
                if level > styles.count {
                    styles.append(title.style)
                    level = styles.count
                }
                blocks.append(.heading(level: level, title: title.text, line, title.last))
                line = title.last + 1
                continue
            }
            if paragraphStart == nil { paragraphStart = line }
            line += 1
        }
        if paragraphStart != nil { _ = closeParagraph(through: n - 1) }
        return blocks
    }

    /// The section title starting at `line`: overline, title, underline, or title, underline.
    private static func sectionTitle(_ lines: TextLines, _ line: Int) -> (style: Style, text: String, last: Int)? {
        let n = lines.count
        if let over = adornment(lines, line), line + 2 < n, !lines.blank[line + 1],
           let under = adornment(lines, line + 2), under.character == over.character {
            let title = lines.markup(line + 1).trimmingWhitespace()
            let width = characterCount(title)
            if width <= over.length, width <= under.length {
                return (Style(character: over.character, overlined: true),
                        HeadingText.plain(title, markup: .restructuredText), line + 2)
            }
        }
        guard line + 1 < n, lines.indentation(line) == 0, adornment(lines, line) == nil,
              let under = adornment(lines, line + 1) else { return nil }
        let title = lines.markup(line).trimmingTrailingWhitespace()
        guard characterCount(title) <= under.length else { return nil }
        return (Style(character: under.character, overlined: false),
                HeadingText.plain(title, markup: .restructuredText), line + 1)
    }

    /// The character and length of an adornment line: one ASCII punctuation character repeated
    /// (at least twice; not the `..` and `::` markers), from the first column, then only whitespace.
    private static func adornment(_ lines: TextLines, _ line: Int) -> (character: UInt8, length: Int)? {
        let text = lines.markup(line).trimmingTrailingWhitespace()
        guard let c = text.first, isPunctuation(c), text.count >= 2, text.allSatisfy({ $0 == c }) else { return nil }
        if text.count == 2, c == UInt8(ascii: ".") || c == UInt8(ascii: ":") { return nil }
        return (c, text.count)
    }

    /// Whether the paragraph `start...end` introduces a literal block: it ends in `::` and is
    /// not explicit markup, or it is a directive whose content is code.
    private static func introducesLiteralBlock(_ lines: TextLines, _ start: Int, _ end: Int) -> Bool {
        let first = lines.afterIndentation(start)
        if first.hasPrefix("..") {
            guard first.count > 3, first[first.startIndex + 2] == 32 else { return false }
            var nameEnd = first.startIndex + 3
            while nameEnd < first.endIndex, first[nameEnd] != UInt8(ascii: ":"), first[nameEnd] != 32 { nameEnd += 1 }
            guard nameEnd + 1 < first.endIndex, first[nameEnd] == UInt8(ascii: ":"),
                  first[nameEnd + 1] == UInt8(ascii: ":") else { return false }
            let name = first[(first.startIndex + 3)..<nameEnd]
            return literalDirectives.contains { name.elementsEqual($0.utf8) }
        }
        return lines.markup(end).trimmingTrailingWhitespace().hasSuffix("::")
    }

    /// The last line of the literal block after a paragraph ending at `end` whose first line is
    /// indented `indentation` columns: the following lines (blank ones between) indented more.
    private static func literalBlockEnd(_ lines: TextLines, after end: Int, indentation: Int) -> Int? {
        var line = end + 1
        var last: Int?
        while line < lines.count {
            if !lines.blank[line] {
                guard lines.indentation(line) > indentation else { break }
                last = line
            }
            line += 1
        }
        return last
    }

    /// The number of characters (UTF-8 scalars) of `bytes`.
    private static func characterCount(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for b in bytes where b & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The ASCII punctuation characters rst allows in adornments.
    private static func isPunctuation(_ c: UInt8) -> Bool {
        (33...47).contains(c) || (58...64).contains(c) || (91...96).contains(c) || (123...126).contains(c)
    }
}
