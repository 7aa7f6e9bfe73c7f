/// The body for bytes that are not valid JSON: the parse error, then the text itself (the
/// first lines, the lines around the error, the last lines) with a marker over each gap.
enum JSONMalformedFallback {
    static func body(_ bytes: [UInt8], _ error: JSONParseError, _ context: DocumentContext) -> CompressedBody {
        var header = TextBuffer()
        header.append("[not valid JSON: \(error.message) at line \(Format.count(error.line)), byte \(Format.count(error.offset)); shown as plain text]")
        header.newline()
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 10 {
            lines.append(bytes[start..<index])
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        func render(_ shown: [Bool]) -> CompressedBody {
            var text = header
            var omissions: [Omission] = []
            var index = 0
            while index < lines.count {
                if shown[index] {
                    text.appendLine(stripping: Array(lines[index]))
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
        let everything = render([Bool](repeating: true, count: lines.count))
        guard !context.lossless, context.budget > 0, context.tokens(everything.body) > context.budget else { return everything }
        // Show a share of lines at each end and around the error, shrinking until it fits.
        var share = max(1, lines.count / 4)
        while true {
            var shown = [Bool](repeating: false, count: lines.count)
            for index in 0..<min(lines.count, share) { shown[index] = true }
            for index in max(0, lines.count - share / 2)..<lines.count { shown[index] = true }
            let errorLine = error.line - 1
            for index in max(0, errorLine - 2)...max(0, min(lines.count - 1, errorLine + 2)) where index < lines.count { shown[index] = true }
            let body = render(shown)
            if share == 1 || context.tokens(body.body) <= context.budget { return body }
            share /= 2
        }
    }
}
