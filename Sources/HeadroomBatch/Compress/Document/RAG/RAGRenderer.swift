/// Writes the body of a RAG section: a summary, the boilerplate blocks (stated once, `[Bn]`
/// where a printed passage holds them), the passages grouped under their source (or, when
/// records carry queries, under their query in score order, each passage printed once and
/// referenced by label elsewhere; near-duplicates as their differences from a labelled
/// canonical passage; under extractive selection, some passages as their selected sentences),
/// the lines kept verbatim, and a marker per run of omitted records.
struct RAGRenderer {
    let input: RAGRecords
    let stitcher: PassageStitcher
    let context: DocumentContext
    /// Passage indices in print order; labels are positions in it (P1 is the first).
    let printOrder: [Int]
    /// The label number of each passage.
    let label: [Int]
    /// What a cut says about why passages went.
    var cutReason = "retrieved least often"
    /// The start shared by every source name, stated once (empty when none worth it).
    let sourcePrefix: [UInt8]
    /// Per source, a part every id of its records holds, stated once and written `…` in them.
    let idStems: [[UInt8]]
    /// Near-duplicate passages and their canonical ones.
    let nearDuplicates: NearDuplicateGrouper
    /// Per passage, its differences from its canonical passage as printed (nil: printed whole).
    let memberDiffs: [[UInt8]?]
    /// Passages that near-duplicates are printed against (labelled `P…` in their header).
    let referencedCanonicals: Set<Int>
    /// Runs of lines repeated across sources, folded where passages are printed whole.
    let boilerplate: BoilerplateFolding
    /// The fold labels of the full body (every passage printed whole), for cost estimates.
    let defaultFolds: [Int?]

    init(input: RAGRecords, stitcher: PassageStitcher, context: DocumentContext, options: RAGOptions = RAGOptions()) {
        self.input = input
        self.stitcher = stitcher
        self.context = context
        let order = input.hasQueries ? Self.queryOrder(input, stitcher) : Self.sourceOrder(stitcher)
        printOrder = order
        var label = [Int](repeating: 0, count: stitcher.passages.count)
        for (position, passage) in order.enumerated() { label[passage] = position + 1 }
        self.label = label
        sourcePrefix = RAGIDFactoring.commonSourcePrefix(stitcher.sources)
        idStems = input.hasQueries ? stitcher.sources.map { _ in [] } : RAGIDFactoring.idStems(input, stitcher)
        let nearDuplicates = NearDuplicateGrouper(stitcher, threshold: options.nearDuplicateThreshold,
                                                  shingleWords: options.shingleWords)
        self.nearDuplicates = nearDuplicates
        var diffs = [[UInt8]?](repeating: nil, count: stitcher.passages.count)
        for group in nearDuplicates.groups {
            for member in group.members {
                diffs[member.passage] = RAGNearDuplicateText.differences(
                    member: member.passage, canonical: group.canonical, similarity: member.similarity,
                    canonicalLabel: label[group.canonical], stitcher: stitcher)
            }
        }
        memberDiffs = diffs
        referencedCanonicals = Set(diffs.indices.compactMap { diffs[$0] == nil ? nil : nearDuplicates.canonical(of: $0) })
        let boilerplate = BoilerplateFolding(stitcher, order: order, minimumSources: options.boilerplateMinSources, tokens: context.tokens)
        self.boilerplate = boilerplate
        defaultFolds = Self.foldLabels(whole: [Bool](repeating: true, count: stitcher.passages.count), boilerplate: boilerplate,
                                       printedAsDifferences: { diffs[$0] != nil && nearDuplicates.canonical(of: $0) != nil })
    }

    /// Passages by source (first appearance), then by first record.
    static func sourceOrder(_ stitcher: PassageStitcher) -> [Int] {
        stitcher.passages.indices.sorted {
            let (a, b) = (stitcher.passages[$0], stitcher.passages[$1])
            return (a.source, a.firstRecord) < (b.source, b.firstRecord)
        }
    }

    /// Passages in the order the query groups first reference them.
    static func queryOrder(_ input: RAGRecords, _ stitcher: PassageStitcher) -> [Int] {
        let passageOfWindow = passageIndexOfWindows(stitcher)
        var seen = Set<Int>()
        var order: [Int] = []
        for group in queryGroups(input) {
            for record in group.records {
                let passage = passageOfWindow[stitcher.windowOfRecord[record]]
                if seen.insert(passage).inserted { order.append(passage) }
            }
        }
        return order
    }

    /// The passage holding each window.
    static func passageIndexOfWindows(_ stitcher: PassageStitcher) -> [Int] {
        var out = [Int](repeating: 0, count: stitcher.windows.count)
        for (index, passage) in stitcher.passages.enumerated() {
            for entry in passage.windows { out[entry.window] = index }
        }
        return out
    }

    /// Records grouped by query (first appearance; records without one last), each group in
    /// score order (highest first, unscored after, ties in input order).
    static func queryGroups(_ input: RAGRecords) -> [(query: [UInt8]?, records: [Int])] {
        var index: [[UInt8]: Int] = [:]
        var groups: [(query: [UInt8]?, records: [Int])] = []
        var unqueried: [Int] = []
        for (recordIndex, record) in input.records.enumerated() {
            guard let query = record.query else {
                unqueried.append(recordIndex)
                continue
            }
            if let known = index[query] { groups[known].records.append(recordIndex) } else {
                index[query] = groups.count
                groups.append((query, [recordIndex]))
            }
        }
        if !unqueried.isEmpty { groups.append((nil, unqueried)) }
        return groups.map { group in
            let sorted = group.records.sorted {
                let (a, b) = (input.records[$0].score ?? -.infinity, input.records[$1].score ?? -.infinity)
                return a != b ? a > b : $0 < $1
            }
            return (group.query, sorted)
        }
    }

    // MARK: - Body

    /// What one rendering prints of the passages besides which are kept.
    struct Style {
        /// Per passage: printed whole (not as selected sentences); empty: every passage.
        var whole: [Bool]
        /// Per boilerplate block, its label number when folded, nil when printed in place.
        var folds: [Int?]
        /// The sentences kept by extractive selection, nil when off.
        var extract: RAGExtract?
        /// Per window: its text (some of it, under extractive selection) is printed; the
        /// records of the other windows are under markers of omitted records (read only for
        /// passages not printed whole).
        var windowShown: [Bool]
        /// The headers of cut passages and windows are shown.
        var droppedHeaders: Bool
        /// Whether near-duplicates' canonical passages are printed whole, instead of `whole`.
        var canonicalWhole: Bool? = nil
        /// The markers of omitted sentences, as printed.
        var omissions: [Omission] = []
    }

    /// The body with the passages flagged in `kept` printed (in full, or as the sentences
    /// `extract` keeps of them); the others are cut (their records under markers), their
    /// headers shown when `droppedHeaders`.
    func render(kept: [Bool], droppedHeaders: Bool, extract: RAGExtract? = nil) -> CompressedBody {
        var out = TextBuffer()
        let whole = kept.indices.map { kept[$0] && (extract?.isWhole($0) ?? true) }
        var windowShown = [Bool](repeating: false, count: stitcher.windows.count)
        for (passage, item) in stitcher.passages.enumerated() where kept[passage] {
            if whole[passage] {
                for entry in item.windows { windowShown[entry.window] = true }
            } else if let extract {
                for window in extract.shownWindows(passage) { windowShown[window] = true }
            }
        }
        var style = Style(whole: whole, folds: foldLabels(whole: whole), extract: extract,
                          windowShown: windowShown, droppedHeaders: droppedHeaders)
        if let extract { out.append(extract.notice(opened: kept)) }
        summary(kept: whole, into: &out)
        boilerplateStatements(style.folds, into: &out)
        if input.hasQueries {
            queryBody(kept: kept, droppedHeaders: droppedHeaders, style: &style, into: &out)
        } else {
            sourceBody(kept: kept, droppedHeaders: droppedHeaders, style: &style, into: &out)
        }
        verbatimLines(into: &out)
        let omissions = style.omissions + markers(windowShown: windowShown, into: &out)
        return CompressedBody(body: out.bytes, omissions: omissions)
    }

    /// The label of each boilerplate block folded when the passages flagged in `whole` are
    /// printed whole: those whose occurrences there save tokens, numbered from 1 in order.
    func foldLabels(whole: [Bool]) -> [Int?] {
        Self.foldLabels(whole: whole, boilerplate: boilerplate,
                        printedAsDifferences: { memberDiffs[$0] != nil && canonicalKept($0, whole) })
    }

    /// `foldLabels(whole:)`, given which passages are printed as differences.
    static func foldLabels(whole: [Bool], boilerplate: BoilerplateFolding, printedAsDifferences: (Int) -> Bool) -> [Int?] {
        var counts = [Int](repeating: 0, count: boilerplate.blocks.count)
        guard !counts.isEmpty else { return [] }
        for passage in whole.indices where whole[passage] && !printedAsDifferences(passage) {
            for occurrence in boilerplate.occurrences[passage] { counts[occurrence.block] += 1 }
        }
        var next = 1
        return boilerplate.blocks.indices.map { block in
            guard counts[block] > 0, boilerplate.blocks[block].saves(occurrences: counts[block]) else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// The folded boilerplate blocks, each stated once.
    private func boilerplateStatements(_ folds: [Int?], into out: inout TextBuffer) {
        guard folds.contains(where: { $0 != nil }) else { return }
        out.append(BoilerplateFolding.legend)
        for (block, label) in folds.enumerated() {
            guard let label else { continue }
            out.append(BoilerplateFolding.label(number: label, boilerplate.blocks[block]))
            for line in boilerplate.blocks[block].lines { out.appendLine(stripping: Array(line)) }
        }
    }

    private func summary(kept: [Bool], into out: inout TextBuffer) {
        let records = input.records.count
        let windows = stitcher.windows.count
        var text = "[rag: \(Format.count(records)) records · \(Format.count(windows)) distinct texts"
        if records > windows { text += " (\(Format.count(records - windows)) exact duplicates folded)" }
        text += " · \(Format.count(stitcher.passages.count)) passages"
        if stitcher.stitchedWindows > 0 { text += " (\(Format.count(stitcher.stitchedWindows)) overlapping windows stitched)" }
        // Near-duplicates printed as differences: kept, with their canonical passage kept.
        let diffed = memberDiffs.indices.filter { memberDiffs[$0] != nil && kept[$0] && canonicalKept($0, kept) }.count
        if diffed > 0 { text += diffed == 1 ? " (1 near-duplicate printed as differences)" : " (\(Format.count(diffed)) near-duplicates printed as differences)" }
        text += " · \(Format.count(stitcher.sources.count)) sources"
        if input.blankLines > 0 { text += " · \(Format.count(input.blankLines)) blank lines" }
        text += "]\n"
        text += "[passage headers: @N = the window starts at passage line N · #N = the record on input line N (no id) · {a,b}x = the ids ax and bx]\n"
        if diffed > 0 { text += RAGNearDuplicateText.legend }
        out.append(text)
        if !sourcePrefix.isEmpty {
            out.append("[every source starts with \"")
            out.append(sourcePrefix)
            out.append("\", written …]\n")
        }
    }

    private func sourceBody(kept: [Bool], droppedHeaders: Bool, style: inout Style, into out: inout TextBuffer) {
        var lastSource = -1
        for passage in printOrder where kept[passage] || droppedHeaders {
            let source = stitcher.passages[passage].source
            if source != lastSource {
                out.append("== source: ")
                out.append(sourceName(source))
                if !idStems[source].isEmpty {
                    out.append(" · ids: … = ")
                    out.append(idStems[source])
                }
                out.newline()
                lastSource = source
            }
            passageBlock(passage, sourceLabel: nil, withText: kept[passage], style: &style, into: &out)
        }
    }

    private func queryBody(kept: [Bool], droppedHeaders: Bool, style: inout Style, into out: inout TextBuffer) {
        let passageOfWindow = Self.passageIndexOfWindows(stitcher)
        var printed = [Bool](repeating: false, count: stitcher.passages.count)
        var sourceShown = [Bool](repeating: false, count: stitcher.sources.count)
        for group in Self.queryGroups(input) {
            let visible = group.records.filter { style.windowShown[stitcher.windowOfRecord[$0]] || droppedHeaders }
            guard !visible.isEmpty else { continue }
            if let query = group.query {
                out.append("== query: ")
                out.append(query.map { $0 == 10 || $0 == 13 ? 32 : $0 })
                out.newline()
            } else {
                out.append("== records without a query\n")
            }
            for recordIndex in visible {
                let record = input.records[recordIndex]
                let window = stitcher.windowOfRecord[recordIndex]
                let passage = passageOfWindow[window]
                var line = "#\(record.line)"
                if let score = record.scoreText { line += " score " + String(decoding: score, as: UTF8.self) }
                line += " → P\(label[passage])"
                if let start = stitcher.passages[passage].windows.first(where: { $0.window == window })?.start, start > 1 {
                    line += " @\(start)"
                }
                if !style.windowShown[window] { line += " (omitted)" }
                out.append(line + "\n")
                guard !printed[passage] else { continue }
                printed[passage] = true
                let source = stitcher.passages[passage].source
                if !sourceShown[source] {
                    sourceShown[source] = true
                    out.append("[S\(source + 1): ")
                    out.append(sourceName(source))
                    out.append("]\n")
                }
                passageBlock(passage, sourceLabel: source + 1, withText: kept[passage], style: &style, into: &out)
            }
        }
    }

    /// True when the canonical passage of `passage` (if it has one) is printed whole.
    private func canonicalKept(_ passage: Int, _ kept: [Bool]) -> Bool {
        nearDuplicates.canonical(of: passage).map { kept[$0] } ?? true
    }

    /// `passageBlock` as printed when every passage is printed whole (boilerplate folded as
    /// in the full body): for cost estimates.
    func passageBlock(_ passage: Int, sourceLabel: Int?, withText: Bool, canonicalKept: Bool = true, into out: inout TextBuffer) {
        var style = Style(whole: [], folds: defaultFolds, extract: nil, windowShown: [], droppedHeaders: true,
                          canonicalWhole: canonicalKept)
        passageBlock(passage, sourceLabel: sourceLabel, withText: withText, style: &style, into: &out)
    }

    /// The header of a passage (its windows, their records and ids) and, with `withText`,
    /// its lines verbatim (boilerplate folded as `style.folds` says), or its differences from
    /// its canonical passage when it is a near-duplicate whose canonical passage is printed
    /// whole, or, when `style` says it is not printed whole, its selected sentences.
    func passageBlock(_ passage: Int, sourceLabel: Int?, withText: Bool, style: inout Style, into out: inout TextBuffer) {
        let item = stitcher.passages[passage]
        let labelled = input.hasQueries || referencedCanonicals.contains(passage)
        var head = labelled ? "-- P\(label[passage]) · " : "-- "
        if let sourceLabel { head += "S\(sourceLabel) · " }
        if !withText { head += "(omitted) " }
        out.append(head)
        // Under extractive selection, without the headers of cut windows, only the windows
        // some of whose text is printed.
        let printedWhole = style.whole.isEmpty || style.whole[passage]
        let partial = withText && !printedWhole && style.extract != nil && !style.droppedHeaders
        let windows = partial ? item.windows.filter { style.windowShown[$0.window] } : item.windows
        if item.windows.count == 1 {
            windowLine(item.windows[0].window, into: &out)
            out.newline()
        } else {
            out.append(windows.count < item.windows.count ? "\(windows.count) of \(item.windows.count) windows\n" : "\(item.windows.count) windows\n")
            for entry in windows {
                out.append("@\(entry.start) ")
                windowLine(entry.window, into: &out)
                out.newline()
            }
        }
        guard withText else { return }
        if !printedWhole, let extract = style.extract {
            extractiveText(passage, extract, windowShown: style.windowShown, omissions: &style.omissions, into: &out)
            return
        }
        if style.canonicalWhole ?? canonicalKept(passage, style.whole), let differences = memberDiffs[passage] {
            out.append(differences)
            return
        }
        // The lines go into one buffer, appended at once (the buffer follows a newline, as
        // `TextBuffer.appendLine` expects of a line it strips a carriage return from).
        var text: [UInt8] = []
        var folds = boilerplate.occurrences[passage][...]
        var index = 0
        while index < item.lines.count {
            if let next = folds.first, next.line == index {
                folds.removeFirst()
                if let label = style.folds[next.block] {
                    let block = boilerplate.blocks[next.block]
                    text.append(contentsOf: block.indentation)
                    text.append(contentsOf: "[B\(label)]\n".utf8)
                    index += block.lines.count
                    continue
                }
            }
            let (window, line) = item.lines[index]
            let w = stitcher.windows[window]
            TextBuffer.appendLine(w.text[w.lines[line]], to: &text)
            index += 1
        }
        out.append(text)
    }

    /// `#1,57 {a,b}suffix`: the input lines of a window's records and their ids.
    func windowLine(_ window: Int, into out: inout TextBuffer) {
        let stem = idStems[stitcher.windows[window].source]
        let ids = stitcher.windows[window].records.map { index in
            let record = input.records[index]
            guard let id = record.id else { return Array("#\(record.line)".utf8) }
            return RAGIDFactoring.abbreviated(id, stem: stem)
        }
        out.append(Self.factored(ids))
    }

    /// One id, or several as `prefix{middle1,middle2}suffix` around their common ends.
    static func factored(_ ids: [[UInt8]]) -> [UInt8] {
        var distinct: [[UInt8]] = []
        for id in ids where !distinct.contains(id) { distinct.append(id) }
        guard distinct.count > 1 else { return distinct[0] }
        let shortest = distinct.map(\.count).min()!
        var prefix = 0
        while prefix < shortest, distinct.allSatisfy({ $0[prefix] == distinct[0][prefix] }) { prefix += 1 }
        while prefix > 0, prefix < shortest, distinct.contains(where: { $0[prefix] & 0xC0 == 0x80 }) { prefix -= 1 }
        var suffix = 0
        while suffix < shortest - prefix,
              distinct.allSatisfy({ $0[$0.count - 1 - suffix] == distinct[0][distinct[0].count - 1 - suffix] }) { suffix += 1 }
        while suffix > 0, distinct.contains(where: { $0[$0.count - suffix] & 0xC0 == 0x80 }) { suffix -= 1 }
        var out = Array(distinct[0].prefix(prefix))
        out.append(UInt8(ascii: "{"))
        for (index, id) in distinct.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: id[prefix..<(id.count - suffix)])
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: distinct[0].suffix(suffix))
        return out
    }

    private func sourceName(_ source: Int) -> [UInt8] {
        guard var name = stitcher.sources[source] else { return Array("(no source)".utf8) }
        if !sourcePrefix.isEmpty { name = Array("…".utf8) + name.dropFirst(sourcePrefix.count) }
        return name.map { $0 == 10 || $0 == 13 ? 32 : $0 }
    }

    private func verbatimLines(into out: inout TextBuffer) {
        guard !input.verbatim.isEmpty else { return }
        let numbers = input.verbatim.map { String($0.line) }.joined(separator: ", ")
        out.append("[\(Format.count(input.verbatim.count)) input lines kept verbatim (not a JSON object with a text field): lines \(numbers)]\n")
        for entry in input.verbatim { out.appendLine(stripping: Array(entry.bytes)) }
    }

    /// One marker per run of omitted records (blank lines between them join the run).
    private func markers(windowShown: [Bool], into out: inout TextBuffer) -> [Omission] {
        let passageOfWindow = Self.passageIndexOfWindows(stitcher)
        var omissions: [Omission] = []
        var run: (first: Int, last: Int, records: Int, passages: Set<Int>)?
        func close() {
            guard let current = run else { return }
            let range = LineRange(current.first, current.last)
            let unit = current.records == 1 ? "record" : "records"
            let passages = current.passages.count == 1 ? "1 passage" : "\(Format.count(current.passages.count)) passages"
            out.append("[... \(Format.count(current.records)) \(unit) omitted (\(passages), \(cutReason)) · lines \(range) · \(context.query(range)) ...]\n")
            omissions.append(context.omission(range, count: current.records, unit: "records",
                                              kinds: [(name: "passages", count: current.passages.count)]))
            run = nil
        }
        var recordIndex = 0
        var verbatimIndex = 0
        for line in 1...max(1, input.lineCount) {
            if recordIndex < input.records.count, input.records[recordIndex].line == line {
                let window = stitcher.windowOfRecord[recordIndex]
                let passage = passageOfWindow[window]
                recordIndex += 1
                if windowShown[window] { close(); continue }
                if run == nil { run = (line, line, 0, []) }
                run!.last = line
                run!.records += 1
                run!.passages.insert(passage)
            } else if verbatimIndex < input.verbatim.count, input.verbatim[verbatimIndex].line == line {
                verbatimIndex += 1
                close()
            }
        }
        close()
        return omissions
    }
}
