/// The body for bytes that are not valid JSON: the parse error, then the text itself (the
/// first lines, the lines around the error, the last lines) with a marker over each gap.
/// When even that exceeds the budget (a minified document is one huge line), each long line
/// shown is cut at a byte limit and followed by a `[… line N continues: M bytes · hb_…:N-N]`
/// marker, since references select whole lines.
enum JSONMalformedFallback {
    /// Bytes assumed per token when sizing what may fit (o200k_base averages about 4 on text).
    static let bytesPerTokenGuess = 4

    static func body(_ bytes: [UInt8], _ error: JSONParseError, _ context: DocumentContext) -> CompressedBody {
        var header = TextBuffer()
        header.append("[not valid JSON: \(error.message) at line \(Format.count(error.line)), byte \(Format.count(error.offset)); shown as plain text]")
        header.newline()
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        bytes.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count where buffer[index] == 10 {
                lines.append(bytes[start..<index])
                start = index + 1
            }
        }
        if start < bytes.count { lines.append(bytes[start...]) }

        /// The lines marked in `shown`, each cut at `clip` bytes (0: not cut), a marker over each gap.
        func render(_ shown: [Bool], clip: Int = 0) -> CompressedBody {
            var text = header
            var omissions: [Omission] = []
            var index = 0
            while index < lines.count {
                if shown[index] {
                    let line = lines[index]
                    if clip > 0 && line.count > clip {
                        let cut = utf8Boundary(line, at: line.startIndex + clip)
                        text.append(Array(line[line.startIndex..<cut]))
                        let range = LineRange(index + 1, index + 1)
                        text.append("[… line \(Format.count(index + 1)) continues: \(Format.count(line.endIndex - cut)) bytes · \(context.query(range))]")
                        text.newline()
                        omissions.append(context.omission(range, count: 1))
                    } else {
                        text.appendLine(stripping: Array(line))
                    }
                    index += 1
                    continue
                }
                var last = index
                while last + 1 < lines.count && !shown[last + 1] { last += 1 }
                let range = LineRange(index + 1, last + 1)
                text.append("[... \(Format.count(range.count)) lines omitted (not parsed) · lines \(range) · \(context.query(range)) ...]")
                text.newline()
                omissions.append(context.omission(range, count: range.count))
                index = last + 1
            }
            return CompressedBody(body: text.bytes, omissions: omissions)
        }

        let all = [Bool](repeating: true, count: lines.count)
        let bounded = !context.lossless && context.budget > 0
        // Far more bytes than the budget could hold: skip counting the tokens of everything.
        let clearlyOver = bounded && bytes.count > context.budget * bytesPerTokenGuess * 8
        if !bounded { return render(all) }
        if !clearlyOver {
            let everything = render(all)
            if context.tokens(everything.body) <= context.budget { return everything }
        }
        // Show a share of lines at each end and around the error, shrinking until it fits.
        var share = max(1, lines.count / 4)
        var shown: [Bool]
        while true {
            shown = [Bool](repeating: false, count: lines.count)
            for index in 0..<min(lines.count, share) { shown[index] = true }
            for index in max(0, lines.count - share / 2)..<lines.count { shown[index] = true }
            let errorLine = error.line - 1
            if errorLine >= 0 && errorLine < lines.count {
                for index in max(0, errorLine - 2)...min(lines.count - 1, errorLine + 2) { shown[index] = true }
            }
            let shownBytes = zip(shown, lines).reduce(0) { $0 + ($1.0 ? $1.1.count : 0) }
            if shownBytes <= context.budget * bytesPerTokenGuess * 8 {
                let body = render(shown)
                if context.tokens(body.body) <= context.budget { return body }
            }
            if share == 1 { break }
            share /= 2
        }
        // Still too large: cut the long lines, halving the limit until the body fits.
        var clip = max(64, context.budget * bytesPerTokenGuess / max(1, shown.filter { $0 }.count))
        while true {
            let body = render(shown, clip: clip)
            if clip <= 64 || context.tokens(body.body) <= context.budget { return body }
            clip = clip * 2 / 3
        }
    }

    /// `index` moved back to the start of a UTF-8 character, so a cut never splits one.
    private static func utf8Boundary(_ line: ArraySlice<UInt8>, at index: Int) -> Int {
        var cut = index
        while cut > line.startIndex && line[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }
}
