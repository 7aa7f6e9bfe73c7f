/// One chunk: its text and where it came from.
public struct DocumentChunk: Sendable, Equatable {
    /// The text: for markdown, text and rst the document's lines `firstLine...lastLine` verbatim
    /// (joined by "\n", the original line ends dropped), or a byte piece of one over-long line;
    /// for html the visible text of those lines (tags, scripts, styles, comments and the head
    /// dropped, entities decoded, paragraphs separated by a blank line).
    public var text: [UInt8]
    /// 1-based line range of the document the chunk comes from (inclusive).
    public var firstLine: Int
    public var lastLine: Int
    /// The headings above the chunk, outermost first (their text without markup); the heading
    /// a chunk starts with is the last one.
    public var headings: [String]

    /// A chunk of `text` from lines `firstLine...lastLine` under `headings`.
    public init(text: [UInt8], firstLine: Int, lastLine: Int, headings: [String]) {
        self.text = text
        self.firstLine = firstLine
        self.lastLine = lastLine
        self.headings = headings
    }
}
