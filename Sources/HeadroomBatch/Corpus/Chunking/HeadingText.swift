/// The text of a heading without its markup: inline code marks, emphasis, links, roles and
/// tags removed, whitespace collapsed. Code spans keep their content verbatim.
enum HeadingText {
    /// Which inline markup to read.
    enum Markup {
        /// `` `code` ``, `*em*`, `_em_`, `[text](url)`, `![alt](url)`, `<tags>`.
        case markdown
        /// ``` ``code`` ```, `:role:`text``, `` `text <target>`_ ``, `*em*`, `**strong**`.
        case restructuredText
        /// Already plain; only whitespace is collapsed and a trailing `¶` permalink dropped.
        case plain
    }

    /// The plain text of the heading `bytes` written in `markup`.
    static func plain<Bytes: Collection<UInt8>>(_ bytes: Bytes, markup: Markup) -> String {
        let source = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var i = 0
        let n = source.count
        while i < n {
            let b = source[i]
            switch (b, markup) {
            case (UInt8(ascii: "`"), .markdown), (UInt8(ascii: "`"), .restructuredText):
                i = copyCodeSpan(source, from: i, into: &out, markup: markup)
            case (UInt8(ascii: ":"), .restructuredText) where roleEnd(source, from: i) != nil:
                i = copyCodeSpan(source, from: roleEnd(source, from: i)!, into: &out, markup: markup, role: true)
            case (UInt8(ascii: "["), .markdown), (UInt8(ascii: "!"), .markdown):
                i = copyLinkText(source, from: i, into: &out)
            case (UInt8(ascii: "<"), .markdown) where i + 1 < n && (isLetter(source[i + 1]) || source[i + 1] == UInt8(ascii: "/")):
                var j = i + 1
                while j < n, source[j] != UInt8(ascii: ">") { j += 1 }
                if j < n { i = j + 1 } else { out.append(b); i += 1 }
            case (UInt8(ascii: "*"), .markdown), (UInt8(ascii: "_"), .markdown),
                 (UInt8(ascii: "*"), .restructuredText), (UInt8(ascii: "_"), .restructuredText):
                var j = i
                while j < n, source[j] == b { j += 1 }
                let before: UInt8? = i > 0 ? source[i - 1] : nil
                let after: UInt8? = j < n ? source[j] : nil
                // Emphasis marks flank a word; a run inside a word (snake_case) or between
                // spaces (a * b) is text.
                let opens = (before.map { isSpaceOrPunctuation($0) } ?? true) && (after.map { !isSpace($0) } ?? false)
                let closes = (before.map { !isSpace($0) } ?? false) && (after.map { isSpaceOrPunctuation($0) } ?? true)
                if !(opens || closes) { out.append(contentsOf: source[i..<j]) }
                i = j
            default:
                out.append(b)
                i += 1
            }
        }
        return collapsed(out)
    }

    /// Copies the content of the code span opening at `start` (its run of backticks) and returns
    /// the index after it; an unclosed run is copied as text. In rst, `` `text <target>`_ ``
    /// keeps only `text`, and the content of a `role` is shown as Sphinx shows it
    /// (`` :class:`.datetime` `` as `datetime`, `` :meth:`~a.b.c` `` as `c`).
    private static func copyCodeSpan(_ source: [UInt8], from start: Int, into out: inout [UInt8], markup: Markup,
                                     role: Bool = false) -> Int {
        let n = source.count
        var ticks = start
        while ticks < n, source[ticks] == UInt8(ascii: "`") { ticks += 1 }
        let run = ticks - start
        var j = ticks
        while j < n {
            if source[j] == UInt8(ascii: "`") {
                var k = j
                while k < n, source[k] == UInt8(ascii: "`") { k += 1 }
                if k - j == run {
                    var content = source[ticks..<j]
                    if markup == .restructuredText, run == 1, content.last == UInt8(ascii: ">"),
                       let open = content.lastIndex(of: UInt8(ascii: "<")), open > content.startIndex,
                       source[open - 1] == 32 {
                        content = content[content.startIndex..<(open - 1)]
                    } else if role, let first = content.first {
                        if first == UInt8(ascii: "~") {
                            content = content.dropFirst()
                            if let dot = content.lastIndex(of: UInt8(ascii: ".")) { content = content[(dot + 1)...] }
                        } else if first == UInt8(ascii: ".") || first == UInt8(ascii: "!") {
                            content = content.dropFirst()
                        }
                    }
                    out.append(contentsOf: content)
                    // An rst reference's trailing underscores go with it.
                    while markup == .restructuredText, k < n, source[k] == UInt8(ascii: "_") { k += 1 }
                    return k
                }
                j = k
            } else {
                j += 1
            }
        }
        out.append(contentsOf: source[start..<ticks])
        return ticks
    }

    /// The index of the backtick after an rst role `:name:` (or `:domain:name:`) at `start`, or nil.
    private static func roleEnd(_ source: [UInt8], from start: Int) -> Int? {
        var j = start + 1
        let n = source.count
        while j < n {
            let c = source[j]
            guard isLetter(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: ":") else { break }
            j += 1
        }
        guard j > start + 2, j < n, source[j - 1] == UInt8(ascii: ":"), source[j] == UInt8(ascii: "`") else { return nil }
        return j
    }

    /// Copies the text of a markdown link or image `[text](url)` / `![alt](url)` at `start` and
    /// returns the index after it; anything else is copied as one byte.
    private static func copyLinkText(_ source: [UInt8], from start: Int, into out: inout [UInt8]) -> Int {
        let n = source.count
        let open = source[start] == UInt8(ascii: "!") ? start + 1 : start
        guard open < n, source[open] == UInt8(ascii: "[") else {
            out.append(source[start])
            return start + 1
        }
        var close = open + 1
        while close < n, source[close] != UInt8(ascii: "]") { close += 1 }
        guard close + 1 < n, source[close + 1] == UInt8(ascii: "(") else {
            out.append(source[start])
            return start + 1
        }
        var end = close + 2
        while end < n, source[end] != UInt8(ascii: ")") { end += 1 }
        guard end < n else {
            out.append(source[start])
            return start + 1
        }
        out.append(contentsOf: source[(open + 1)..<close])
        return end + 1
    }

    /// `bytes` with runs of whitespace as one space, trimmed, without a trailing `¶`, as a String.
    private static func collapsed(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for b in bytes {
            if isSpace(b) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(32) }
                pendingSpace = false
                out.append(b)
            }
        }
        // The pilcrow permalink Sphinx and others put after a heading.
        if out.count >= 2, out[out.count - 2] == 0xC2, out[out.count - 1] == 0xB6 {
            out.removeLast(2)
            while out.last == 32 { out.removeLast() }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 || b == 11 }
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static func isSpaceOrPunctuation(_ b: UInt8) -> Bool {
        isSpace(b) || (b < 128 && !isLetter(b) && !isDigit(b))
    }
}
