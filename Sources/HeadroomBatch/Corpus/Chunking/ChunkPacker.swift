/// Packs the blocks of a document into chunks: each heading starts a chunk; within a section,
/// whole paragraphs are added greedily while the chunk stays within `maxBytes`; a paragraph
/// alone over `maxBytes` is cut at line ends, a line alone over it at UTF-8 boundaries.
/// A chunk under `minBytes` runs on into the next block when that block lies under the same
/// heading (a subsection, or the first lines of an over-long paragraph). With `overlapBytes`,
/// a chunk that continues a section starts with the last whole lines of the previous chunk.
///
/// Chunks cover whole lines `first...last` (never starting or ending with a blank line), so
/// without overlap every non-blank line is in exactly one chunk. O(lines + bytes).
struct ChunkPacker {
    /// A chunk before its text is made: lines `first...last`, or the bytes `piece` of line `first`.
    private struct Span {
        var first: Int
        var last: Int
        var piece: Range<Int>?
        var section: Int
    }

    private let lines: TextLines
    private let options: ChunkingOptions
    private var outline = SectionOutline()
    private var spans: [Span] = []
    /// The chunk being filled (whole lines), and the section it started in.
    private var open: Span?
    /// The section blocks now go to, and its first line after the heading (overlap stops there).
    private var section = 0
    private var sectionContentStart = 0

    /// A packer over `lines` with `options`.
    init(lines: TextLines, options: ChunkingOptions) {
        self.lines = lines
        self.options = options.sanitized
    }

    /// The chunks of `blocks` (in document order), with their texts and headings.
    mutating func pack(_ blocks: [TextBlock]) -> [DocumentChunk] {
        for block in blocks {
            if case .heading(let level, let title) = block.kind {
                let entered = outline.enter(level: level, title: title)
                // A short chunk runs on into a subsection of its own section; otherwise the
                // heading starts a chunk.
                if let current = open, !(lines.byteCount(current.first, current.last) < options.minBytes
                    && outline.section(entered, liesIn: current.section)) {
                    flush()
                }
                section = entered
                sectionContentStart = block.last + 1
            }
            add(block)
        }
        flush()
        return spans.map(chunk)
    }

    /// Adds one block to the open chunk, or starts the next chunk with it.
    private mutating func add(_ block: TextBlock) {
        let size = lines.byteCount(block.first, block.last)
        if let current = open {
            if lines.byteCount(current.first, block.last) <= options.maxBytes {
                open!.last = block.last
                return
            }
            if size <= options.maxBytes || lines.byteCount(current.first, current.last) >= options.minBytes {
                flush()
            }
        }
        if open == nil, size <= options.maxBytes {
            start(at: block.first, through: block.last)
        } else {
            addLines(block.first, block.last)
        }
    }

    /// Adds the lines of an over-long block one by one, cutting chunks at line ends.
    private mutating func addLines(_ first: Int, _ last: Int) {
        for line in first...last {
            if let current = open {
                if lines.byteCount(current.first, line) <= options.maxBytes {
                    open!.last = line
                    continue
                }
                flush()
            }
            if lines.blank[line] { continue }
            if lines.length(line) <= options.maxBytes {
                start(at: line, through: line)
            } else {
                cutLine(line)
            }
        }
    }

    /// Opens a chunk whose new content is lines `first...last`, preceded by the overlap.
    private mutating func start(at first: Int, through last: Int) {
        open = Span(first: overlapStart(before: first, through: last), last: last, piece: nil, section: section)
    }

    /// The first line of the chunk whose new content starts at `first`: the earliest non-blank
    /// line of the previous chunk (not its first line, not above this section's content) such
    /// that the repeated lines fit `overlapBytes` and the chunk through `last` fits `maxBytes`.
    private func overlapStart(before first: Int, through last: Int) -> Int {
        guard options.overlapBytes > 0, let previous = spans.last, previous.piece == nil,
              previous.last >= sectionContentStart else { return first }
        var best = first
        var line = previous.last
        let lowest = max(previous.first + 1, sectionContentStart)
        while line >= lowest {
            if !lines.blank[line] {
                if lines.byteCount(line, previous.last) > options.overlapBytes
                    || lines.byteCount(line, last) > options.maxBytes { break }
                best = line
            }
            line -= 1
        }
        return best
    }

    /// Cuts a line longer than `maxBytes` into pieces at UTF-8 boundaries, one chunk each.
    private mutating func cutLine(_ line: Int) {
        let buffer = lines.buffer
        let end = lines.ends[line]
        var start = lines.starts[line]
        while start < end {
            var cut = min(end, start + options.maxBytes)
            if cut < end, buffer[cut] & 0xC0 == 0x80 {
                // Inside a character: back up to its first byte (at most three bytes back).
                var boundary = cut - 1
                while boundary > start, cut - boundary < 3, buffer[boundary] & 0xC0 == 0x80 { boundary -= 1 }
                if buffer[boundary] & 0xC0 != 0x80 {
                    if boundary > start {
                        cut = boundary
                    } else {
                        // maxBytes is smaller than this one character: take the whole character.
                        cut = start + 1
                        while cut < end, cut - start < 4, buffer[cut] & 0xC0 == 0x80 { cut += 1 }
                    }
                }
                // Otherwise the bytes are not UTF-8 here and the cut stays at maxBytes.
            }
            spans.append(Span(first: line, last: line, piece: start..<cut, section: section))
            start = cut
        }
    }

    /// Closes the open chunk, without its trailing blank lines.
    private mutating func flush() {
        guard var current = open else { return }
        while current.last > current.first, lines.blank[current.last] { current.last -= 1 }
        spans.append(current)
        open = nil
    }

    /// The chunk of a span.
    private func chunk(_ span: Span) -> DocumentChunk {
        let text = span.piece.map { Array(lines.buffer[$0]) } ?? lines.joined(span.first, span.last)
        return DocumentChunk(text: text, firstLine: lines.sourceFirst(span.first),
                             lastLine: lines.sourceLast(span.last), headings: outline.paths[span.section])
    }
}
