/// Compresses unified diffs (`git diff`, `git log -p`, `diff -u`).
///
/// Lossless form, always applied: commit headers and messages as they are; per file one
/// compact header with its stats instead of the `diff --git`/`index`/`---`/`+++` lines;
/// every changed line verbatim; `@@` lines verbatim; context trimmed to 1 line either side of
/// each change (none before the first change when the `@@` line names the function), each
/// trimmed run a marker with its line range; lockfiles, generated and vendored files one
/// summary line each; whitespace-only changes folded to their new text. Past
/// `context.budget`, and never when `context.lossless`, the stages of `DiffPlan.reduce` cut
/// more (see DiffBudget.swift). A payload without any file diff is kept line by line
/// (`PlainLines`).
struct DiffCompressor: DocumentCompressor {
    func compress(_ document: [UInt8], context: DocumentContext) -> CompressedBody {
        let sample = context.query(LineRange(12_345, 12_356)).description
        var plan = DiffPlan(document, tokens: context.tokens, query: context.query, sampleReference: sample)
        guard !plan.files.isEmpty else { return PlainLines.compress(plan.lines, context: context) }
        var body = DiffRenderer.render(plan, context: context)
        guard !context.lossless, context.budget > 0 else { return body }
        // The estimate sums line by line; measure the real body and cut again while it is over.
        for _ in 0..<8 {
            let over = context.tokens(body.body) - context.budget
            guard over > 0 else { break }
            let excess = over + context.budget / 200
            let before = plan.estimatedTotal
            plan.reduce(by: excess)
            guard plan.estimatedTotal < before else { break }
            body = DiffRenderer.render(plan, context: context)
        }
        return body
    }
}

/// The fallback for text that is not a diff: lines kept as they are; past the budget (when
/// lossy) the head and tail stay and the middle is one marker.
enum PlainLines {
    static func compress(_ lines: DocumentLines, context: DocumentContext) -> CompressedBody {
        var out = TextBuffer()
        let all = (0..<lines.count).map { Array(lines[$0]) }
        guard !context.lossless, context.budget > 0 else {
            for line in all { out.appendLine(stripping: line) }
            return CompressedBody(body: out.bytes, omissions: [])
        }
        let costs = all.map { context.tokens($0 + [10]) }
        guard costs.reduce(0, +) > context.budget else {
            for line in all { out.appendLine(stripping: line) }
            return CompressedBody(body: out.bytes, omissions: [])
        }
        // Two thirds of the budget for the head, the rest for the tail, less the marker.
        let room = max(0, context.budget - 40)
        var head = 0, spent = 0
        while head < all.count, spent + costs[head] <= room * 2 / 3 { spent += costs[head]; head += 1 }
        var tail = all.count
        while tail > head, spent + costs[tail - 1] <= room { spent += costs[tail - 1]; tail -= 1 }
        for line in all[..<head] { out.appendLine(stripping: line) }
        var omissions: [Omission] = []
        if tail > head {
            let range = LineRange(head + 1, tail)
            let noun = range.count == 1 ? "line" : "lines"
            out.append("[... \(Format.count(range.count)) \(noun) omitted (over the token budget) · lines \(range) · \(context.query(range)) ...]")
            out.newline()
            omissions.append(context.omission(range, count: range.count))
        }
        for line in all[tail...] { out.appendLine(stripping: line) }
        return CompressedBody(body: out.bytes, omissions: omissions)
    }
}
