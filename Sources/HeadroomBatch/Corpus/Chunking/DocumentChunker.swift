/// Cuts documents (markdown, plain text, reStructuredText, html) into passages for retrieval:
/// sections start at headings, paragraphs are packed whole into chunks of at most
/// `options.maxBytes`, and every chunk says which lines it came from and which headings it
/// lies under. A pure function of the bytes and options: no I/O, no Foundation.
public struct DocumentChunker: Sendable {
    /// The settings every document is chunked with.
    public let options: ChunkingOptions

    /// A chunker with `options`.
    public init(options: ChunkingOptions = ChunkingOptions()) {
        self.options = options
    }

    /// The chunks of one document, in order. Deterministic. Never fails: bytes that are not
    /// UTF-8, or no structure at all, still give chunks (paragraphs, then lines, then byte cuts
    /// at UTF-8 boundaries for a single over-long line). An empty or whitespace-only document
    /// gives none. O(n) in the document's size.
    public func chunks(of document: [UInt8], format: DocumentFormat) -> [DocumentChunk] {
        let lines: TextLines
        let blocks: [TextBlock]
        switch format {
        case .markdown:
            lines = TextLines(splitting: document)
            blocks = MarkdownStructure.blocks(lines)
        case .text:
            lines = TextLines(splitting: document)
            blocks = PlainTextStructure.blocks(lines)
        case .restructuredText:
            lines = TextLines(splitting: document)
            blocks = RestructuredTextStructure.blocks(lines)
        case .html:
            (lines, blocks) = HTMLTextExtractor.extract(document)
        }
        var packer = ChunkPacker(lines: lines, options: options)
        return packer.pack(blocks)
    }
}
