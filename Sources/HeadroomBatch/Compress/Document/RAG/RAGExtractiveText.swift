/// What extractive selection keeps of the passages: per passage its sentences and which of
/// them are printed, and what the sentences were ranked against.
struct RAGExtract {
    /// Per passage, its sentences.
    var sentences: [PassageSentences]
    /// Per passage, per sentence: printed.
    var kept: [[Bool]]
    /// Per passage, per sentence: its window (index into `PassageStitcher.windows`).
    let windowOfSentence: [[Int]]
    /// What the sentences were ranked against, in words for the notice.
    var rankedBy: String

    /// Nothing selected yet.
    init(sentences: [PassageSentences], stitcher: PassageStitcher, rankedBy: String) {
        self.sentences = sentences
        kept = sentences.map { [Bool](repeating: false, count: $0.sentences.count) }
        windowOfSentence = sentences.indices.map { passage in
            sentences[passage].sentences.map { stitcher.passages[passage].lines[$0.line].window }
        }
        self.rankedBy = rankedBy
    }

    /// The windows of `passage` holding a kept sentence (a window without one counts as an
    /// omitted record).
    func shownWindows(_ passage: Int) -> Set<Int> {
        var out = Set<Int>()
        for (index, isKept) in kept[passage].enumerated() where isKept { out.insert(windowOfSentence[passage][index]) }
        return out
    }

    /// True when every sentence of `passage` is kept: it is printed as usual.
    func isWhole(_ passage: Int) -> Bool { !kept[passage].contains(false) }

    /// The line that opens the section: selection is on, against what, and how much it kept.
    func notice(opened: [Bool]) -> String {
        let total = sentences.reduce(0) { $0 + $1.sentences.count }
        var keptCount = 0
        var passages = 0
        for passage in kept.indices where opened[passage] {
            let count = kept[passage].reduce(0) { $0 + ($1 ? 1 : 0) }
            keptCount += count
            if count > 0 { passages += 1 }
        }
        let of = passages == 1 ? "1 passage" : "\(Format.count(passages)) passages"
        return "[extractive selection: on · \(rankedBy) · \(Format.count(keptCount)) of \(Format.count(total)) sentences kept, from \(of); "
            + "each run of omitted sentences is marked in place]\n"
    }
}

extension RAGRenderer {
    /// The kept sentences of a passage in their order, verbatim (whole lines where every
    /// sentence of a line is kept, else the kept runs of a line each on a line of its own),
    /// each run of omitted sentences of one window replaced by a marker
    /// `[... 7 sentences omitted (extractive selection) · hb_…:12-12 ...]` whose range is the
    /// line of the window's first record. The lines of windows not in `windowShown` are left
    /// out (their records are under the markers of omitted records). Blank lines are printed
    /// between printed lines, and decoration lines (underlines, rules) next to a printed line.
    func extractiveText(_ passage: Int, _ extract: RAGExtract, windowShown: [Bool], omissions: inout [Omission], into out: inout TextBuffer) {
        let item = stitcher.passages[passage]
        let split = extract.sentences[passage]
        let kept = extract.kept[passage]
        let lines = RAGNearDuplicateText.lines(of: passage, stitcher)
        func anyKept(_ line: Int) -> Bool { split.sentencesOfLine[line].contains { kept[$0] } }
        func opensKept(_ line: Int) -> Bool { split.sentencesOfLine[line].first.map { kept[$0] } ?? false }
        /// The nearest line before (`step` -1) or after (+1) that is neither blank nor decoration.
        func nearestText(_ line: Int, step: Int) -> Int? {
            var index = line + step
            while index >= 0, index < lines.count {
                if split.kinds[index] == .prose || split.kinds[index] == .code { return index }
                index += step
            }
            return nil
        }
        func decorationPrinted(_ line: Int) -> Bool {
            (nearestText(line, step: -1).map(anyKept) ?? false) || (nearestText(line, step: 1).map(anyKept) ?? false)
        }
        /// True when the next line that is not blank starts with printed text.
        func nextStartsPrinted(_ line: Int) -> Bool {
            var index = line + 1
            while index < lines.count, split.kinds[index] == .blank { index += 1 }
            guard index < lines.count else { return false }
            return split.kinds[index] == .decoration ? decorationPrinted(index) : opensKept(index)
        }

        var pending = 0
        var pendingWindow = 0
        var lastPrinted = false
        func flush() {
            guard pending > 0 else { return }
            let recordLine = input.records[stitcher.windows[pendingWindow].records[0]].line
            let range = LineRange(recordLine, recordLine)
            let unit = pending == 1 ? "sentence" : "sentences"
            out.append("[... \(Format.count(pending)) \(unit) omitted (extractive selection) · \(context.query(range)) ...]\n")
            omissions.append(context.omission(range, count: pending, unit: "sentences"))
            pending = 0
            lastPrinted = false
        }
        func printRun(_ line: Int, _ first: Int, _ last: Int) {
            let slice = lines[line]
            let bytes = split.sentences[first].bytes.lowerBound..<split.sentences[last].bytes.upperBound
            out.appendLine(stripping: Array(slice[(slice.startIndex + bytes.lowerBound)..<(slice.startIndex + bytes.upperBound)]))
            lastPrinted = true
        }

        for index in lines.indices {
            let window = item.lines[index].window
            if pending > 0, window != pendingWindow { flush() }
            guard windowShown[window] else {
                lastPrinted = false
                continue
            }
            switch split.kinds[index] {
            case .blank:
                if lastPrinted, pending == 0, nextStartsPrinted(index) { out.appendLine(stripping: Array(lines[index])) }
            case .decoration:
                if decorationPrinted(index) {
                    flush()
                    out.appendLine(stripping: Array(lines[index]))
                    lastPrinted = true
                } else {
                    lastPrinted = false
                }
            case .prose, .code:
                var run: (first: Int, last: Int)?
                for sentence in split.sentencesOfLine[index] {
                    if kept[sentence] {
                        flush()
                        run = (run?.first ?? sentence, sentence)
                    } else {
                        if let open = run { printRun(index, open.first, open.last) }
                        run = nil
                        pending += 1
                        pendingWindow = window
                        lastPrinted = false
                    }
                }
                if let open = run { printRun(index, open.first, open.last) }
            }
        }
        flush()
    }
}
