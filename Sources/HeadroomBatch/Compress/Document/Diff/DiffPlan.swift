/// How one payload line appears in the body.
enum LineFate: UInt8 {
    /// Verbatim.
    case shown
    /// Replaced by (part of) a marker.
    case omitted
    /// Part of a whitespace-only change block shown as `~` lines.
    case folded
}

/// A maximal run of changed lines in a hunk (lossy cuts take it apart in `CutSegment`s).
struct ChangeBlock {
    var lines: Range<Int>
    /// All its `-` lines pair with its `+` lines, in order, differing only in whitespace.
    var isWhitespaceOnly: Bool
    /// Index into `DiffPlan.hunks`.
    var hunk: Int
}

/// A hunk with what the planner needs: its file, its cut tier and its blocks.
struct PlannedHunk {
    var hunk: DiffHunk
    var file: Int
    /// Lower is cut first: the file class's `cutOrder`, plus 10 when it matches the query.
    var tier: Int
    var blocks: [Int]
    /// Tokens of its body as currently planned (markers estimated).
    var cost = 0
    /// Tokens of the function context after its `@@`.
    var sectionCost = 0
}

/// A file with its class and whether it is shown, summarised or collapsed to its header.
struct PlannedFile {
    var diff: FileDiff
    var fileClass: DiffFileClass
    var hunks: Range<Int>
    /// Everything after the header is one marker (a budget cut).
    var collapsed = false
}

/// The lossless plan of a diff body and the state the budget stages change: which lines are
/// shown, omitted or folded. Token costs are per rendered line; a marker is estimated at
/// `markerCost`, a constant measured once.
struct DiffPlan {
    let lines: DocumentLines
    let items: [DiffItem]
    var files: [PlannedFile] = []
    var hunks: [PlannedHunk] = []
    var blocks: [ChangeBlock] = []
    var fate: [LineFate]
    /// Tokens of each line as shown (with its newline); for folded `+` lines, of its `~` form.
    var cost: [Int]
    let markerCost: Int
    /// Tokens of a `@@ -a,b +c,d @@` line without function context (of a bare `@@` once
    /// positions are dropped).
    var headerCost: Int
    /// Tokens of a bare `@@` line.
    let bareHeaderCost: Int
    /// Tokens of the note before a whitespace-only block.
    let noteCost: Int
    /// A budget stage dropped the function context after every `@@`.
    var sectionsDropped = false
    /// A budget stage dropped the line positions of every `@@` line (each is a bare `@@`).
    var positionsDropped = false
    /// Text lines that are commit message lines (shown without git's 4-space indent).
    var messageLines = Set<Int>()
    /// Tokens of everything outside hunk bodies (text lines, file headers, `@@` lines).
    var fixedCost = 0

    /// Parses `document`, classifies files, finds whitespace-only blocks and trims context.
    init(_ document: [UInt8], tokens: ([UInt8]) -> Int, query: String, sampleReference: String) {
        let sampleMarker = "[... 12 lines omitted (+5 -7) · \(sampleReference) ...]\n"
        lines = DocumentLines(document)
        items = DiffParser(lines).parse()
        fate = [LineFate](repeating: .shown, count: lines.count)
        cost = [Int](repeating: 0, count: lines.count)
        markerCost = tokens(Array(sampleMarker.utf8))
        headerCost = tokens(Array("@@ -1234,5 +1234,6 @@\n".utf8))
        bareHeaderCost = tokens(Array("@@\n".utf8))
        noteCost = tokens(Array(DiffRenderer.foldNote(pairs: 2).utf8)) + 1
        for item in items {
            guard case .file(let diff) = item else { continue }
            let first = files.isEmpty ? 0 : files[files.count - 1].hunks.upperBound
            var head: [ArraySlice<UInt8>] = []
            if let hunk = diff.hunks.first, hunk.newStart <= 1 {
                head = hunk.body.prefix(5).map { lines.content($0) }
            }
            let fileClass = DiffFileClass.of(path: diff.path, head: head)
            files.append(PlannedFile(diff: diff, fileClass: fileClass, hunks: first..<(first + diff.hunks.count)))
            for hunk in diff.hunks {
                hunks.append(PlannedHunk(hunk: hunk, file: files.count - 1, tier: fileClass.cutOrder, blocks: []))
            }
        }
        findMessageLines()
        for index in 0..<lines.count { cost[index] = tokens(Array(textLine(index)) + [10]) }
        rankByQuery(query)
        findBlocks(tokens: tokens)
        for index in hunks.indices { trimContext(index) }
        for index in hunks.indices {
            hunks[index].cost = estimate(index)
            hunks[index].sectionCost = tokens(Array(DiffParser.sectionText(lines.content(hunks[index].hunk.header))))
        }
        let referenceCost = tokens(Array(" · \(sampleReference)".utf8))
        for item in items { if case .text(let line) = item { fixedCost += cost[line] } }
        for file in files where !file.fileClass.isSummarised {
            fixedCost += tokens(Array(DiffRenderer.header(file).utf8)) + 1 + referenceCost
            for index in file.hunks { fixedCost += hunks[index].sectionCost }
            if file.diff.binaryPatch != nil { fixedCost += markerCost }
        }
    }

    /// Marks the lines of commit messages: after a `commit <hash>` line and its `Author:`,
    /// `Date:`… lines, those indented by 4 spaces (or blank), until the next file or commit.
    private mutating func findMessageLines() {
        var inCommit = false
        for item in items {
            guard case .text(let line) = item else { inCommit = false; continue }
            let content = lines.content(line)
            if content.hasPrefix("commit ") {
                inCommit = true
            } else if inCommit, content.hasPrefix("    ") {
                messageLines.insert(line)
            }
        }
    }

    /// A text line as shown: commit message lines lose git's 4-space indent.
    func textLine(_ index: Int) -> ArraySlice<UInt8> {
        let content = lines.content(index)
        return messageLines.contains(index) ? content.dropFirst(4) : content
    }

    /// Raises the tier of hunks that match `query` (BM25 score above 0), so they are cut last.
    private mutating func rankByQuery(_ query: String) {
        let ranker = BM25Ranker(query: query)
        guard !ranker.isEmpty, !hunks.isEmpty else { return }
        let texts = hunks.map { hunk in hunk.hunk.lines.flatMap { lines.content($0) + [10] } }
        for (index, score) in ranker.scores(texts).enumerated() where score > 0 { hunks[index].tier += 10 }
    }

    /// Splits every hunk into change blocks and marks the whitespace-only ones as folded.
    private mutating func findBlocks(tokens: ([UInt8]) -> Int) {
        for index in hunks.indices {
            let hunk = hunks[index].hunk
            var i = 0
            while i < hunk.kinds.count {
                guard hunk.kinds[i] != .context else { i += 1; continue }
                var j = i
                while j < hunk.kinds.count, hunk.kinds[j] != .context { j += 1 }
                let range = (hunk.body.lowerBound + i)..<(hunk.body.lowerBound + j)
                let whitespaceOnly = isWhitespaceOnly(hunk.kinds[i..<j], range)
                blocks.append(ChangeBlock(lines: range, isWhitespaceOnly: whitespaceOnly, hunk: index))
                hunks[index].blocks.append(blocks.count - 1)
                if whitespaceOnly {
                    let pairs = range.count / 2
                    for line in range {
                        fate[line] = .folded
                        cost[line] = line - range.lowerBound < pairs ? 0 : tokens(foldedText(line))
                    }
                }
                i = j
            }
        }
    }

    /// `m` removed lines then `m` added lines, pair by pair equal but for indentation and trailing blanks.
    private func isWhitespaceOnly(_ kinds: ArraySlice<DiffLineKind>, _ range: Range<Int>) -> Bool {
        let n = range.count
        guard n >= 2, n % 2 == 0 else { return false }
        let m = n / 2
        for (k, kind) in kinds.enumerated() where kind != (k < m ? .removed : .added) { return false }
        for k in 0..<m where !Self.equalIgnoringWhitespace(lines.content(range.lowerBound + k).dropFirst(),
                                                          lines.content(range.lowerBound + m + k).dropFirst()) {
            return false
        }
        return true
    }

    /// Whether `a` and `b` differ only in leading and trailing whitespace (indentation, trailing
    /// blanks); a change of whitespace inside the text (e.g. in a string) is a real change.
    static func equalIgnoringWhitespace(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        a.trimmingWhitespace().elementsEqual(b.trimmingWhitespace())
    }

    /// The `~` line for an added line of a whitespace-only block: its text, trailing blanks trimmed.
    func foldedText(_ line: Int) -> [UInt8] {
        [126] + Array(lines.content(line).dropFirst().trimmingTrailingWhitespace()) + [10]
    }

    /// The lossless context trim of hunk `index`: no context before the first or after the last
    /// change (the `@@` line is rewritten to the lines shown, as `git diff -U0` would print it),
    /// runs of up to `keptGap` context lines between changes stay, longer ones go and split the
    /// hunk. The file header then carries the reference of the file's lines.
    private mutating func trimContext(_ index: Int) {
        let hunk = hunks[index].hunk
        let kinds = hunk.kinds
        var i = 0
        while i < kinds.count {
            guard kinds[i] == .context else { i += 1; continue }
            var j = i
            while j < kinds.count, kinds[j] == .context { j += 1 }
            if i == 0 || j == kinds.count || j - i > Self.keptGap {
                for k in i..<j { fate[hunk.body.lowerBound + k] = .omitted }
            }
            i = j
        }
    }

    /// Context lines between two changes kept whole in the lossless form.
    static let keptGap = 2

    /// Tokens of hunk `index`'s body as planned: a `@@` line per part (the first also carries
    /// the function context, counted in `fixedCost`), shown and folded lines, a note per
    /// whitespace-only block and a marker per run of omitted changed lines.
    func estimate(_ index: Int) -> Int {
        let hunk = hunks[index].hunk
        var total = 0
        var line = hunk.body.lowerBound
        var partOpen = false
        while line < hunk.body.upperBound {
            switch fate[line] {
            case .shown:
                if !partOpen { total += headerCost; partOpen = true }
                total += cost[line]
                line += 1
            case .folded:
                if !partOpen { total += headerCost; partOpen = true }
                total += noteCost
                while line < hunk.body.upperBound, fate[line] == .folded { total += cost[line]; line += 1 }
            case .omitted:
                var end = line, changed = false
                while end < hunk.body.upperBound, fate[end] == .omitted {
                    if hunk.kinds[end - hunk.body.lowerBound] != .context { changed = true }
                    end += 1
                }
                if changed {
                    if !partOpen { total += headerCost; partOpen = true }
                    total += markerCost
                } else {
                    partOpen = false
                }
                line = end
            }
        }
        return total
    }
}
