/// The visible text of an html document, as lines and blocks for the packer.
///
/// Drops `<script>`, `<style>`, `<head>` (and the other tags of `HTMLTag.raw`), comments,
/// doctypes and the tags themselves; block tags end a paragraph (paragraphs are separated by
/// a blank line in the text); `<h1>`..`<h6>` give heading blocks; entities are decoded
/// (`&nbsp;` as a plain space); runs of whitespace collapse to one space except inside
/// `<pre>`, whose lines are kept as they are and which is one paragraph. Each line of text
/// knows the source lines its bytes came from. One pass, O(n).
struct HTMLTextExtractor {
    private var out: [UInt8] = []
    /// Per line of text: its bytes in `out` and the source byte offsets of its first and last byte.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var firstOffsets: [Int] = []
    private var lastOffsets: [Int] = []
    private var blocks: [TextBlock] = []

    /// The line being written: where it starts in `out`, the source offsets of its first and
    /// last byte (-1 while it is empty), and whether a collapsed space is due before the next byte.
    private var lineStart = 0
    private var lineFirstOffset = -1
    private var lineLastOffset = -1
    private var pendingSpace = false
    /// The first line of the paragraph being written, and its heading level if it is a heading.
    private var paragraphFirst: Int?
    private var headingLevel: Int?
    private var preDepth = 0
    private var inHead = false

    /// The visible text of `html` as lines, and its paragraphs and headings.
    static func extract(_ html: [UInt8]) -> (lines: TextLines, blocks: [TextBlock]) {
        var extractor = HTMLTextExtractor()
        extractor.out.reserveCapacity(html.count / 2)
        html.withUnsafeBytes { extractor.scan($0) }
        extractor.endParagraph()
        return html.withUnsafeBytes { extractor.finish(source: $0) }
    }

    // MARK: Scanning

    private mutating func scan(_ src: UnsafeRawBufferPointer) {
        let n = src.count
        var i = 0
        while i < n {
            let b = src[i]
            if b == UInt8(ascii: "<") {
                i = tag(src, at: i)
                continue
            }
            if inHead {
                i = src.firstIndex(of: UInt8(ascii: "<"), from: i) ?? n
                continue
            }
            switch b {
            case UInt8(ascii: "&"):
                if let (scalar, end) = HTMLEntity.decode(src, at: i) {
                    character(scalar, from: i, to: end - 1)
                    i = end
                } else {
                    emit(b, at: i)
                    i += 1
                }
            case 10, 13:
                if preDepth > 0 {
                    if b == 13, i + 1 < n, src[i + 1] == 10 { i += 1 }
                    endLine(keepingEmpty: true)
                } else {
                    space()
                }
                i += 1
            case 32, 9, 12:
                if preDepth > 0 {
                    emit(b, at: i)
                    i += 1
                } else {
                    space()
                    i += 1
                    while i < n, src[i] == 32 || src[i] == 9 || src[i] == 10 || src[i] == 12 || src[i] == 13 { i += 1 }
                }
            default:
                // A run of plain text bytes (single spaces between them included: they collapse
                // to themselves) goes in one copy.
                var end = i + 1
                while end < n {
                    let c = src[end]
                    if Self.isPlainText(c) {
                        end += 1
                    } else if c == 32, end + 1 < n, Self.isPlainText(src[end + 1]) {
                        end += 2
                    } else {
                        break
                    }
                }
                emit(UnsafeRawBufferPointer(rebasing: src[i..<end]), at: i)
                i = end
            }
        }
    }

    /// Handles the markup starting with `<` at `start`; returns the index after it.
    private mutating func tag(_ src: UnsafeRawBufferPointer, at start: Int) -> Int {
        let n = src.count
        guard start + 1 < n else {
            if !inHead { emit(src[start], at: start) }
            return n
        }
        let next = src[start + 1]
        if next == UInt8(ascii: "!") {
            if src.starts(with: "<!--", at: start) { return HTMLMarkup.commentEnd(src, from: start + 4) }
            return (src.firstIndex(of: UInt8(ascii: ">"), from: start) ?? n - 1) + 1
        }
        if next == UInt8(ascii: "?") {
            return (src.firstIndex(of: UInt8(ascii: ">"), from: start) ?? n - 1) + 1
        }
        let closing = next == UInt8(ascii: "/")
        let nameStart = closing ? start + 2 : start + 1
        guard nameStart < n, HTMLMarkup.isLetter(src[nameStart]) else {
            if closing { return (src.firstIndex(of: UInt8(ascii: ">"), from: start) ?? n - 1) + 1 }
            if !inHead { emit(src[start], at: start) }
            return start + 1
        }
        var nameEnd = nameStart
        while nameEnd < n, HTMLMarkup.isLetter(src[nameEnd]) || (src[nameEnd] >= 48 && src[nameEnd] <= 57) || src[nameEnd] == UInt8(ascii: "-") {
            nameEnd += 1
        }
        let name = UnsafeRawBufferPointer(rebasing: src[nameStart..<nameEnd])
        let end = HTMLMarkup.tagEnd(src, from: nameEnd)
        let kind = HTMLTag.named(name)
        if closing {
            closeTag(kind)
            return end
        }
        if kind == .raw { return HTMLMarkup.rawContentEnd(src, from: end, name: name) }
        openTag(kind)
        // A newline right after <pre> is not part of its text.
        if kind == .pre, end < n {
            if src[end] == 10 { return end + 1 }
            if src[end] == 13 { return end + 1 < n && src[end + 1] == 10 ? end + 2 : end + 1 }
        }
        return end
    }

    /// What a start tag does to the text.
    private mutating func openTag(_ kind: HTMLTag) {
        // Flow content ends a head left open, as in browsers.
        if inHead, kind != .inline, kind != .raw, kind != .head { inHead = false }
        switch kind {
        case .head: inHead = true
        case .body: inHead = false; endParagraph()
        case .pre:
            endParagraph()
            preDepth += 1
        case .heading(let level):
            if preDepth == 0 {
                endParagraph()
                headingLevel = level
            }
        case .lineBreak:
            if preDepth > 0 {
                endLine(keepingEmpty: true)
            } else if headingLevel != nil {
                space()
            } else {
                endParagraph()
            }
        case .block: if preDepth == 0 { endParagraph() }
        case .cell: if preDepth == 0 { space() }
        case .raw, .inline: break
        }
    }

    /// What an end tag does to the text.
    private mutating func closeTag(_ kind: HTMLTag) {
        switch kind {
        case .head: inHead = false
        case .pre:
            guard preDepth > 0 else { return }
            preDepth -= 1
            if preDepth == 0 { endParagraph() }
        case .heading:
            guard preDepth == 0 else { return }
            endParagraph()
            headingLevel = nil
        case .block, .body: if preDepth == 0 { endParagraph() }
        case .cell: if preDepth == 0 { space() }
        case .lineBreak, .raw, .inline: break
        }
    }

    // MARK: Writing text

    /// Writes the decoded character `scalar` taken from source bytes `first...last`.
    private mutating func character(_ scalar: UInt32, from first: Int, to last: Int) {
        switch scalar {
        case 10, 13:
            if preDepth > 0 { endLine(keepingEmpty: true) } else { space() }
        case 32, 9, 12:
            if preDepth > 0 { emit(UInt8(scalar), at: first) } else { space() }
        case 0xA0:
            // A no-break space: a plain space that is not collapsed.
            emit(32, at: first, through: last)
        default:
            if scalar < 0x80 {
                emit(UInt8(scalar), at: first, through: last)
            } else {
                if lineFirstOffset < 0 { lineFirstOffset = first } else if pendingSpace { out.append(32) }
                pendingSpace = false
                appendUTF8(scalar, to: &out)
                lineLastOffset = last
            }
        }
    }

    /// Writes one byte of text taken from source bytes `first...last`.
    @inline(__always)
    private mutating func emit(_ byte: UInt8, at first: Int, through last: Int? = nil) {
        if lineFirstOffset < 0 {
            lineFirstOffset = first
        } else if pendingSpace {
            out.append(32)
        }
        pendingSpace = false
        out.append(byte)
        lineLastOffset = last ?? first
    }

    /// Writes the text bytes `run`, which start at source offset `first`.
    @inline(__always)
    private mutating func emit(_ run: UnsafeRawBufferPointer, at first: Int) {
        if lineFirstOffset < 0 {
            lineFirstOffset = first
        } else if pendingSpace {
            out.append(32)
        }
        pendingSpace = false
        out.append(contentsOf: UnsafeBufferPointer(start: run.baseAddress!.assumingMemoryBound(to: UInt8.self), count: run.count))
        lineLastOffset = first + run.count - 1
    }

    /// Whether `b` is text that needs no attention: not markup, an entity or whitespace.
    @inline(__always)
    private static func isPlainText(_ b: UInt8) -> Bool {
        b > 38 ? b != UInt8(ascii: "<") : b > 32 && b != UInt8(ascii: "&")
    }

    /// Collapsed whitespace: one space before the next byte of the line, if it has begun.
    @inline(__always)
    private mutating func space() {
        if lineFirstOffset >= 0 { pendingSpace = true }
    }

    /// Ends the line being written. An empty line is kept only inside a paragraph when
    /// `keepingEmpty` (an empty line of `<pre>`); a paragraph never starts with a blank line.
    private mutating func endLine(keepingEmpty: Bool) {
        defer {
            lineStart = out.count
            lineFirstOffset = -1
            lineLastOffset = -1
            pendingSpace = false
        }
        let isBlank = out[lineStart...].allSatisfy(\.isLineWhitespace)
        if paragraphFirst == nil {
            guard !isBlank else {
                out.removeSubrange(lineStart...)
                return
            }
            if !starts.isEmpty {
                // The blank line that separates paragraphs.
                record(start: lineStart, end: lineStart, first: lastOffsets[lastOffsets.count - 1], last: lastOffsets[lastOffsets.count - 1])
            }
            paragraphFirst = starts.count
        } else if lineFirstOffset < 0 && !keepingEmpty {
            return
        }
        let previous = lastOffsets.last ?? 0
        record(start: lineStart, end: out.count,
               first: lineFirstOffset >= 0 ? lineFirstOffset : previous,
               last: lineLastOffset >= 0 ? lineLastOffset : previous)
    }

    private mutating func record(start: Int, end: Int, first: Int, last: Int) {
        starts.append(start)
        ends.append(end)
        firstOffsets.append(first)
        lastOffsets.append(last)
    }

    /// Ends the paragraph being written (without its trailing blank lines) as a paragraph or
    /// heading block.
    private mutating func endParagraph() {
        endLine(keepingEmpty: false)
        guard let first = paragraphFirst else { return }
        paragraphFirst = nil
        var last = starts.count - 1
        while last > first, out[starts[last]..<ends[last]].allSatisfy(\.isLineWhitespace) {
            starts.removeLast()
            ends.removeLast()
            firstOffsets.removeLast()
            lastOffsets.removeLast()
            last -= 1
        }
        if let level = headingLevel {
            var title: [UInt8] = []
            for k in first...last {
                if k > first { title.append(32) }
                title.append(contentsOf: out[starts[k]..<ends[k]])
            }
            blocks.append(.heading(level: level, title: HeadingText.plain(title, markup: .plain), first, last))
            headingLevel = nil
        } else {
            blocks.append(.paragraph(first, last))
        }
    }

    // MARK: Result

    /// The lines of text with their source line numbers (offsets counted into lines in one
    /// forward pass; they never decrease), and the blocks.
    private func finish(source: UnsafeRawBufferPointer) -> (lines: TextLines, blocks: [TextBlock]) {
        var lines = TextLines(buffer: out)
        var line = 1
        var nextNewline = source.firstIndex(of: 10, from: 0) ?? source.count
        func lineNumber(_ target: Int) -> Int {
            while nextNewline < target {
                line += 1
                nextNewline = source.firstIndex(of: 10, from: nextNewline + 1) ?? source.count
            }
            return line
        }
        for k in 0..<starts.count {
            let first = lineNumber(firstOffsets[k])
            let last = lineNumber(lastOffsets[k])
            lines.append(start: starts[k], end: ends[k], sourceFirst: first, sourceLast: last)
        }
        return (lines, blocks)
    }
}
