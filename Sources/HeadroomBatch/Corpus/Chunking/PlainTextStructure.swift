/// The structure of plain text: paragraphs (runs of non-blank lines), no headings.
enum PlainTextStructure {
    /// The paragraphs of `lines`, in order. O(lines).
    static func blocks(_ lines: TextLines) -> [TextBlock] {
        var blocks: [TextBlock] = []
        var start: Int?
        for k in 0..<lines.count {
            if lines.blank[k] {
                if let s = start { blocks.append(.paragraph(s, k - 1)) }
                start = nil
            } else if start == nil {
                start = k
            }
        }
        if let s = start { blocks.append(.paragraph(s, lines.count - 1)) }
        return blocks
    }
}
