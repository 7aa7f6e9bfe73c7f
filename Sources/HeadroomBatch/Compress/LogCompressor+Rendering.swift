/// Selection within the token budget, and rendering: the template table, kept lines, and a
/// marker for every run of omitted lines.
extension LogCompressor {
    /// Renders the section body once every line has been added, within `budget` tokens
    /// (0: no bound); `tokens` counts the tokens of a rendered body.
    func finish(reference: ReferenceID, budget: Int, tokens: ([UInt8]) -> Int) -> CompressedBody {
        flush()
        // The template table takes at most a quarter of the budget: what failures and
        // summaries leave, but an eighth at least (its rows count the repeats of the error
        // templates whose first lines are kept), and it comes before every other kept line.
        let essential = selectWithinBudget(budget, atLeast: .failure).spent
        let tableLimit = budget > 0 ? min(budget / 4, max(budget - essential, budget / 8)) : Int.max
        // Selection prices lines at bytes / 4 and every kept line as if it needed a marker of
        // its own; the table's share is estimated with every kept line shown. The rendered
        // body is then counted, and the line budget scaled by what the estimate missed, at
        // most twice: down when over the budget, up when well under.
        let everything = [Bool](repeating: true, count: kept.count)
        let mined = table.miner.templates
        let reserve = templateTable(reference, everything, mined, tokenLimit: tableLimit).text.count / 4
        var lineBudget = budget - reserve
        var selected = selectWithinBudget(lineBudget).selected
        var body = render(reference, selected, mined, tableLimit: tableLimit)
        guard budget > 0 else { return body }
        var spent = tokens(body.body)
        for _ in 0..<2 where spent > budget || (spent < budget * 9 / 10 && selected.contains(false)) {
            lineBudget = Int(Double(lineBudget) * Double(budget) / Double(max(spent, 1)))
            let next = selectWithinBudget(lineBudget).selected
            let retry = render(reference, next, mined, tableLimit: tableLimit)
            let retrySpent = tokens(retry.body)
            guard retrySpent <= budget || retrySpent < spent else { break }
            (selected, body, spent) = (next, retry, retrySpent)
        }
        return body
    }

    /// Estimated tokens of a marker line.
    static let markerTokens = 32

    /// The kept lines of at least priority `atLeast` that fit the budget, and their estimated
    /// tokens: highest priority first; within a priority, the first and last line of every
    /// template cluster (`TemplateMiner.cluster(ofSignature:)`) before the second ones (forty failing tests of one template do not crowd out
    /// a compiler error), then the lines nearest either end of the log (the first failures,
    /// the last ones and the final status). Every kept line when there is no budget or all fit.
    func selectWithinBudget(_ budget: Int, atLeast floor: Priority = .context) -> (selected: [Bool], spent: Int) {
        func cost(_ line: KeptLine) -> Int { line.bytes.count / 4 + 1 + (line.occurrences > 1 ? 12 : 0) }
        let everything = kept.reduce(Self.markerTokens * (items.count - kept.count)) { $0 + cost($1) }
        guard budget > 0, everything > budget || floor > .context else {
            return ([Bool](repeating: true, count: kept.count), everything)
        }
        var selected = [Bool](repeating: false, count: kept.count)
        var rank = [Int](repeating: 0, count: kept.count)
        var rankInTemplate = [Int](repeating: 0, count: kept.count)
        for priority in [Priority.context, .window, .notable, .failure, .summary] {
            let members = kept.indices.filter { kept[$0].priority == priority }
            for (position, index) in members.enumerated() { rank[index] = min(position, members.count - 1 - position) }
            var byCluster: [Int: [Int]] = [:]
            for index in members { byCluster[table.miner.cluster(ofSignature: Int(kept[index].signature)), default: []].append(index) }
            for lines in byCluster.values {
                for (position, index) in lines.enumerated() { rankInTemplate[index] = min(position, lines.count - 1 - position) }
            }
        }
        let order = kept.indices.sorted {
            kept[$0].priority != kept[$1].priority ? kept[$0].priority > kept[$1].priority
                : rankInTemplate[$0] != rankInTemplate[$1] ? rankInTemplate[$0] < rankInTemplate[$1]
                : rank[$0] != rank[$1] ? rank[$0] < rank[$1] : $0 < $1
        }
        var spent = Self.markerTokens
        for index in order where kept[index].priority >= floor {
            let price = cost(kept[index]) + Self.markerTokens
            if spent + price <= budget {
                selected[index] = true
                spent += price
            }
        }
        return (selected, spent)
    }

    /// Items after the budget: unselected kept lines join the runs of omitted lines around them.
    private func budgetedItems(_ selected: [Bool]) -> [Item] {
        var result: [Item] = []
        func absorb(_ part: Gap) {
            guard case .gap(var gap)? = result.last else {
                result.append(.gap(part))
                return
            }
            result.removeLast()
            gap.last = part.last
            gap.count += part.count
            for i in gap.levels.indices { gap.levels[i] += part.levels[i] }
            gap.repeatsOfKept += part.repeatsOfPrevious + part.repeatsOfKept
            gap.templates.merge(part.templates)
            gap.longLines += part.longLines
            gap.controlLines += part.controlLines
            gap.pastLimit += part.pastLimit
            if part.traceRepeats > 0 {
                gap.traceRepeatOf = gap.traceRepeats == 0 || gap.traceRepeatOf == part.traceRepeatOf ? part.traceRepeatOf : -1
                gap.traceRepeats += part.traceRepeats
            }
            gap.traceRepeatLines += part.traceRepeatLines
            gap.overBudget += part.overBudget
            result.append(.gap(gap))
        }
        for item in items {
            switch item {
            case .kept(let index) where selected[index]:
                result.append(item)
            case .kept(let index):
                var part = Gap(first: kept[index].number, last: kept[index].number, count: 1)
                part.levels[Int(kept[index].level.rawValue)] = 1
                part.templates.add(kept[index].signature)
                part.overBudget = 1
                absorb(part)
            case .gap(let gap):
                absorb(gap)
            }
        }
        return result
    }

    private func render(_ reference: ReferenceID, _ selected: [Bool], _ mined: [MinedTemplate], tableLimit: Int) -> CompressedBody {
        var text = TextBuffer()
        var omissions: [Omission] = []
        let items = budgetedItems(selected)
        let templates = templateTable(reference, selected, mined, tokenLimit: tableLimit)
        text.append(templates.text)
        // The last line shown of each kept trace, which a `×N` note follows when it recurred.
        var lastShownOfTrace: [Int: Int] = [:]
        for (index, line) in kept.enumerated() where line.trace >= 0 && selected[index] { lastShownOfTrace[line.trace] = index }
        for (position, item) in items.enumerated() {
            switch item {
            case .kept(let index):
                let line = kept[index]
                text.appendLine(stripping: line.bytes)
                let following: Int
                if position + 1 < items.count, case .gap(let gap) = items[position + 1] { following = gap.repeatsOfPrevious } else { following = 0 }
                if line.occurrences > 1 + following {
                    text.append("[↑ ×\(Format.count(line.occurrences)) in all · last at line \(Format.count(line.lastNumber))]")
                    text.newline()
                }
                if line.trace >= 0, lastShownOfTrace[line.trace] == index, traces[line.trace].occurrences > 1 {
                    let trace = traces[line.trace]
                    text.append("[↑ this trace ×\(Format.count(trace.occurrences)) in all · last at line \(Format.count(trace.lastNumber))]")
                    text.newline()
                }
            case .gap(let gap):
                let omission = Omission(unit: "lines", range: LineRange(gap.first, gap.last), count: gap.count,
                                        kinds: describe(gap), templates: templateCounts(gap, templates.templateIDs),
                                        reference: reference)
                omissions.append(omission)
                text.append(marker(gap, omission, templates.labels))
                text.newline()
            }
        }
        return CompressedBody(body: text.bytes, omissions: omissions)
    }

    private func describe(_ gap: Gap) -> [(name: String, count: Int)] {
        var kinds: [(name: String, count: Int)] = []
        for level in LineLevel.allCases.reversed() where gap.levels[Int(level.rawValue)] > 0 {
            kinds.append((level.name, gap.levels[Int(level.rawValue)]))
        }
        return kinds
    }

    /// The table of the templates of the lines `selected` leaves out.
    private func templateTable(_ reference: ReferenceID, _ selected: [Bool], _ mined: [MinedTemplate],
                               tokenLimit: Int) -> TemplateTable.Rendered {
        var shown: [Int32: Int] = [:]
        for (index, line) in kept.enumerated() where selected[index] { shown[line.signature, default: 0] += 1 }
        return table.render(table.rows(of: mined, shown: shown), reference: reference, tokenLimit: tokenLimit,
                            maxRows: options.templateRows)
    }

    /// The templates of a run of omitted lines, by id, most lines first (those the tally
    /// holds; the rest of the run is in `other`).
    private func templateCounts(_ gap: Gap, _ ids: [Int32: TemplateID]) -> [(id: String, count: Int)] {
        var counts: [TemplateID: Int] = [:]
        for (signature, count) in gap.templates.counts {
            counts[ids[signature] ?? table.miner.templateID(ofSignature: Int(signature)), default: 0] += count
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { ($0.key.description, $0.value) }
    }

    /// `T1 ×1,100, T4 ×80`: the labelled templates of a run, most lines first (at most three).
    private func templateLabels(_ gap: Gap, _ labels: [Int32: String]) -> String? {
        var counts: [String: Int] = [:]
        for (signature, count) in gap.templates.counts {
            if let label = labels[signature] { counts[label, default: 0] += count }
        }
        guard !counts.isEmpty else { return nil }
        let ranked = counts.sorted {
            $0.value != $1.value ? $0.value > $1.value : Int($0.key.dropFirst())! < Int($1.key.dropFirst())!
        }
        return ranked.prefix(3).map { "\($0.key) ×\(Format.count($0.value))" }.joined(separator: ", ")
    }

    private func marker(_ gap: Gap, _ omission: Omission, _ labels: [Int32: String]) -> String {
        let place = "lines \(omission.range) · \(omission.query)"
        if gap.repeatsOfPrevious == gap.count {
            return "[... ×\(Format.count(gap.count)) identical to the line above · \(place) ...]"
        }
        var details = omission.kinds.map { "\($0.name) \(Format.count($0.count))" }
        if let templates = templateLabels(gap, labels) { details.append(templates) }
        if gap.repeatsOfPrevious + gap.repeatsOfKept > 0 {
            details.append("\(Format.count(gap.repeatsOfPrevious + gap.repeatsOfKept)) repeats of earlier lines")
        }
        if gap.traceRepeats > 0 {
            let what = gap.traceRepeatOf > 0 ? "the trace at line \(Format.count(gap.traceRepeatOf))" : "earlier traces"
            let times = gap.traceRepeats == 1 ? "a repeat" : "\(Format.count(gap.traceRepeats)) repeats"
            details.append("\(Format.count(gap.traceRepeatLines)) lines: \(times) of \(what)")
        }
        if gap.pastLimit > 0 { details.append("\(Format.count(gap.pastLimit)) past the keep limit") }
        if gap.overBudget > 0 { details.append("\(Format.count(gap.overBudget)) kept lines over the token budget") }
        if gap.longLines > 0 { details.append("\(Format.count(gap.longLines)) over \(Format.count(BlockAnalyzer.longLine)) bytes") }
        if gap.controlLines > 0 { details.append("\(Format.count(gap.controlLines)) with control bytes") }
        let noun = gap.count == 1 ? "line" : "lines"
        return "[... \(Format.count(gap.count)) \(noun) omitted (\(details.joined(separator: ", "))) · \(place) ...]"
    }
}
