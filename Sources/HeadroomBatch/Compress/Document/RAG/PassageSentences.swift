/// One unit of extractive selection: a sentence of a passage line, or a whole line of code or
/// markup (a directive such as `.. method::`, a doctest line, a line of a literal or fenced
/// block), which is never split.
struct PassageSentence {
    /// The passage line (index into `RAGPassage.lines`).
    var line: Int
    /// Byte offsets within the line: from the line start for its first sentence (indentation
    /// kept), else from the sentence's first non-space byte; to just after its closing `.`,
    /// `?` or `!`, or to the line end for its last sentence.
    var bytes: Range<Int>
}

/// How a passage line takes part in extractive selection.
enum PassageLineKind: Equatable {
    /// Only whitespace: printed between printed lines, never counted.
    case blank
    /// No letter or digit (a heading underline, a rule): printed next to a printed line.
    case decoration
    /// Split into sentences.
    case prose
    /// One sentence, whole.
    case code
}

/// Splits a passage's lines into sentences on bytes: a sentence ends at `. `, `? `, `! ` or
/// the line end (sentences never span lines). Directive lines (`.. name::`), doctest lines
/// (`>>>`, `...`), lines of a literal block (after a line ending `::`, or the body of a
/// `code-block`-like directive, while indented deeper) and of a fenced block (```` ``` ````,
/// `~~~`) are one sentence each.
struct PassageSentences {
    private(set) var sentences: [PassageSentence] = []
    /// Per passage line, its kind and the range of its sentences (empty unless prose or code).
    private(set) var kinds: [PassageLineKind] = []
    private(set) var sentencesOfLine: [Range<Int>] = []

    /// Directives whose body is code, not prose.
    static let codeDirectives: [[UInt8]] = ["code-block", "code", "sourcecode", "doctest", "testcode", "testoutput",
                                            "productionlist", "highlight", "parsed-literal"].map { Array($0.utf8) }

    init(_ lines: [ArraySlice<UInt8>]) {
        var literalIndent: Int?
        var inFence = false
        for (index, line) in lines.enumerated() {
            let first = sentences.count
            let trimmed = PassageStitcher.trimmed(line)
            let indent = Self.indentation(line)
            var kind: PassageLineKind
            if trimmed.isEmpty {
                kind = .blank
            } else if Self.startsWith(trimmed, "```") || Self.startsWith(trimmed, "~~~") {
                inFence.toggle()
                kind = .code
            } else if inFence {
                kind = .code
            } else if let outer = literalIndent, indent > outer {
                kind = .code
            } else {
                literalIndent = nil
                if Self.startsWith(trimmed, ".. ") || Self.startsWith(trimmed, ">>>") || Self.startsWith(trimmed, "...") {
                    kind = .code
                } else {
                    kind = .prose
                }
                if Self.opensLiteralBlock(trimmed) { literalIndent = indent }
            }
            if kind != .blank, !trimmed.contains(where: Self.isAlphanumeric) { kind = .decoration }
            switch kind {
            case .code:
                sentences.append(PassageSentence(line: index, bytes: 0..<line.count))
            case .prose:
                split(line, index: index)
            case .blank, .decoration:
                break
            }
            kinds.append(kind)
            sentencesOfLine.append(first..<sentences.count)
        }
    }

    /// Appends the sentences of a prose line.
    private mutating func split(_ line: ArraySlice<UInt8>, index: Int) {
        let bytes = Array(line)
        var start = 0
        var offset = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "!"),
               offset + 1 < bytes.count, bytes[offset + 1] == 32 {
                appendSentence(bytes, start..<(offset + 1), line: index)
                start = offset + 1
                while start < bytes.count, PassageStitcher.isSpace(bytes[start]) { start += 1 }
                offset = start
                continue
            }
            offset += 1
        }
        if start < bytes.count { appendSentence(bytes, start..<bytes.count, line: index) }
        // The last sentence runs to the line end (trailing whitespace included).
        if let last = sentences.last, last.line == index { sentences[sentences.count - 1].bytes = last.bytes.lowerBound..<bytes.count }
    }

    /// Appends `range` of a line when it holds more than whitespace (the line's first sentence
    /// starts at the line start).
    private mutating func appendSentence(_ bytes: [UInt8], _ range: Range<Int>, line: Int) {
        guard bytes[range].contains(where: { !PassageStitcher.isSpace($0) }) else { return }
        let isFirst = sentences.last?.line != line
        sentences.append(PassageSentence(line: line, bytes: (isFirst ? 0 : range.lowerBound)..<range.upperBound))
    }

    /// True for a line after which an indented literal block follows: `Example::`, or a
    /// code directive (`.. code-block:: python`).
    static func opensLiteralBlock(_ trimmed: ArraySlice<UInt8>) -> Bool {
        if trimmed.count >= 2, trimmed.suffix(2).elementsEqual("::".utf8) { return true }
        guard startsWith(trimmed, ".. ") else { return false }
        let rest = trimmed.dropFirst(3)
        guard let end = rest.indices.first(where: { rest[$0] == UInt8(ascii: ":") && $0 + 1 < rest.endIndex && rest[$0 + 1] == UInt8(ascii: ":") })
        else { return false }
        let name = PassageStitcher.trimmed(rest[rest.startIndex..<end])
        return codeDirectives.contains { name.elementsEqual($0) }
    }

    static func indentation(_ line: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in line {
            if byte == 32 { count += 1 } else if byte == 9 { count += 8 - count % 8 } else { break }
        }
        return count
    }

    static func startsWith(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        bytes.count >= prefix.utf8.count && bytes.prefix(prefix.utf8.count).elementsEqual(prefix.utf8)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte | 0x20 >= 97 && byte | 0x20 <= 122) || byte >= 0x80
    }
}
