/// Settings of the chunker.
public struct ChunkingOptions: Sendable, Equatable {
    /// A chunk's text is at most this many bytes, unless one line alone is longer (default 2,000);
    /// a line longer than this is cut at UTF-8 boundaries into pieces of at most this many bytes.
    public var maxBytes = 2000
    /// Chunks shorter than this are merged with the next one under the same heading (default 200):
    /// a short section runs on into its first subsection, a short chunk before an over-long
    /// paragraph runs on into that paragraph's first lines.
    public var minBytes = 200
    /// Bytes of the previous chunk's end repeated at the start of the next, whole lines only
    /// (default 0). Only within one section: a chunk that starts at a heading repeats nothing.
    public var overlapBytes = 0

    /// The defaults: 2,000 bytes at most, 200 at least, no overlap.
    public init() {}

    /// The options with every value in its working range (maxBytes at least 1, the others at least 0).
    var sanitized: ChunkingOptions {
        var options = self
        options.maxBytes = max(1, maxBytes)
        options.minBytes = max(0, minBytes)
        options.overlapBytes = max(0, overlapBytes)
        return options
    }
}
