/// Lossy selection of search results for a token budget.
///
/// The body is the first of these forms that fits `context.budget`, each showing every file
/// at one level of detail (so that no file is shown closer just for coming first):
/// 1. every hit, text and line numbers (context lines left out);
/// 2. the summary (below) with the line numbers of every other hit (`40,41,90:…`);
/// 3. the summary: every file with its first text (its most relevant with a query), the
///    texts relevant to the query, and the texts standing for two hits or more (identical
///    lines folded, the first few line numbers shown);
/// 4. every file with its first text, plus as many relevant texts as fit (best first);
/// 5. every file listed (`path (N hits)`), plus as many relevant texts as fit;
/// 6. as many files listed as fit (most relevant first, else in order); the others are
///    counted, by directory, in the marker of their run.
/// What a form leaves out is counted in markers, one retrieval away. A form does not fill
/// the rest of the budget with more detail for some files: a lossy body is a summary, and
/// the tokens it does not use are the agent's.
struct SearchSelection {
    let renderer: SearchRenderer
    let context: DocumentContext

    /// One upgrade of one file's plan.
    enum Step: Equatable {
        case list(Int)
        case group(Int, Int)
        /// List the line numbers of the file's hits whose text is not shown.
        case locations(Int)
    }

    /// The steps of the forms, by kind.
    struct Steps {
        /// Every file, most relevant first, else in order.
        var lists: [Step] = []
        /// One text per file (its most relevant, else its first).
        var firsts: [Step] = []
        /// Texts relevant to the query, best first (firsts included).
        var relevant: [Step] = []
        /// Other texts (not first, not relevant) standing for two hits or more, most hits first.
        var repeated: [Step] = []
        /// The remaining texts.
        var unique: [Step] = []
        /// The line numbers of every file's hits without their text.
        var locations: [Step] = []
    }

    /// The body for the budget (the first file list entries that fit, at worst none).
    func body() -> CompressedBody {
        let steps = self.steps()
        let all = steps.lists + steps.firsts + steps.relevant + steps.repeated + steps.unique
        let everyHit = renderer.render(plan(all[...], locationLimit: .max))
        if fits(everyHit) { return everyHit }
        let located = renderer.render(plan((steps.lists + steps.firsts + steps.relevant + steps.repeated + steps.locations)[...],
                                           locationLimit: .max))
        if fits(located) { return located }
        let summary = renderer.render(plan((steps.lists + steps.firsts + steps.relevant + steps.repeated)[...]))
        if fits(summary) { return summary }
        if let body = longestFitting(base: steps.lists + steps.firsts, extra: steps.relevant) { return body }
        if let body = longestFitting(base: steps.lists, extra: steps.relevant) { return body }
        return longestFitting(base: [], extra: steps.lists)!
    }

    private func fits(_ body: CompressedBody) -> Bool { context.tokens(body.body) <= context.budget }

    /// `base` and the longest prefix of `extra` that fit (binary search), or nil when `base`
    /// alone does not fit (never nil for an empty base).
    private func longestFitting(base: [Step], extra: [Step]) -> CompressedBody? {
        var best = renderer.render(plan(base[...]))
        guard base.isEmpty || fits(best) else { return nil }
        var lo = 0, hi = extra.count + 1
        // Invariant: prefix `lo` fits (or is empty), prefix `hi` does not (or is past the end).
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            let body = renderer.render(plan((base + extra[..<mid])[...]))
            if fits(body) {
                lo = mid
                best = body
            } else {
                hi = mid
            }
        }
        return best
    }

    /// Line numbers shown before a text in the summary (`12,40,88… ×45:text`).
    static let summaryLocations = 3

    /// The plan after applying `steps` to an all-hidden one.
    func plan(_ steps: ArraySlice<Step>, locationLimit: Int = SearchSelection.summaryLocations) -> SearchPlan {
        let results = renderer.results
        var plan = SearchPlan(files: results.files.count, level: .hidden, groups: renderer.groups.map(\.count))
        plan.locationLimit = locationLimit
        for step in steps {
            switch step {
            case .list(let f):
                plan.levels[f] = max(plan.levels[f], .listed)
            case .group(let f, let g):
                plan.levels[f] = max(plan.levels[f], .hits)
                plan.shownGroups[f][g] = true
            case .locations(let f):
                plan.levels[f] = max(plan.levels[f], .hits)
                plan.locations[f] = true
            }
        }
        return plan
    }

    /// The steps of every form (see `Steps`).
    func steps() -> Steps {
        let results = renderer.results
        let groups = renderer.groups
        let scores = relevance()
        let fileScore = scores.map { $0.max() ?? 0 }
        let files = results.files.indices.sorted { a, b in
            fileScore[a] != fileScore[b] ? fileScore[a] > fileScore[b] : a < b
        }
        var priority = [Int](repeating: 0, count: files.count)
        for (rank, f) in files.enumerated() { priority[f] = rank }
        var steps = Steps()
        steps.lists = files.map { .list($0) }
        var firsts: [(f: Int, g: Int)] = []
        for f in files where !groups[f].isEmpty {
            let best = groups[f].indices.max { scores[f][$0] != scores[f][$1] ? scores[f][$0] < scores[f][$1] : $0 > $1 }!
            firsts.append((f, scores[f][best] > 0 ? best : 0))
        }
        firsts.sort { a, b in
            scores[a.f][a.g] != scores[b.f][b.g] ? scores[a.f][a.g] > scores[b.f][b.g] : priority[a.f] < priority[b.f]
        }
        steps.firsts = firsts.map { .group($0.f, $0.g) }
        // Relevant texts include the files' first ones: the forms with fewer files' texts
        // still show them.
        let chosen = Set(firsts.filter { scores[$0.f][$0.g] == 0 }.map { $0.f << 32 | $0.g })
        var others: [(f: Int, g: Int)] = []
        for f in files {
            for g in groups[f].indices where !chosen.contains(f << 32 | g) { others.append((f, g)) }
        }
        others.sort { a, b in
            let sa = scores[a.f][a.g], sb = scores[b.f][b.g]
            if sa != sb { return sa > sb }
            let na = groups[a.f][a.g].members.count, nb = groups[b.f][b.g].members.count
            if na != nb { return na > nb }
            if priority[a.f] != priority[b.f] { return priority[a.f] < priority[b.f] }
            return a.g < b.g
        }
        for (f, g) in others {
            let step = Step.group(f, g)
            if scores[f][g] > 0 {
                steps.relevant.append(step)
            } else if groups[f][g].members.count > 1 {
                steps.repeated.append(step)
            } else {
                steps.unique.append(step)
            }
        }
        steps.locations = files.filter { !groups[$0].isEmpty }.map { .locations($0) }
        return steps
    }

    /// BM25 scores of every group's text against `context.query` (all 0 without one).
    private func relevance() -> [[Double]] {
        let results = renderer.results
        let groups = renderer.groups
        let ranker = BM25Ranker(query: context.query)
        guard !ranker.isEmpty else { return groups.map { [Double](repeating: 0, count: $0.count) } }
        var documents: [ArraySlice<UInt8>] = []
        for (f, fileGroups) in groups.enumerated() {
            for group in fileGroups {
                // The path counts too: a query may name a file or directory.
                documents.append(results[results.files[f].path] + results[results.lines[group.first].text])
            }
        }
        let flat = ranker.scores(documents)
        var out: [[Double]] = []
        var k = 0
        for fileGroups in groups {
            out.append(Array(flat[k..<(k + fileGroups.count)]))
            k += fileGroups.count
        }
        return out
    }
}
