/// Writes a `DiffPlan` as the section body: text lines as they are, a compact header per file,
/// `@@` lines, shown lines verbatim, `~` lines for whitespace-only changes and a marker for
/// every run of omitted lines, each with its reference range.
///
/// ```
/// ### src/_pytest/config/__init__.py (+3 -1)
/// @@ -1943,7 +1943,9 @@ class Config:
/// [... 3 context lines · hb_3f9a1c0d2e7b4a51:45-47 ...]
/// -                return [t for t in (x.strip() for x in value.split("\n")) if t]
/// +                return [
/// ```
struct DiffRenderer {
    let plan: DiffPlan
    let context: DocumentContext
    private var out = TextBuffer()
    private var omissions: [Omission] = []

    init(plan: DiffPlan, context: DocumentContext) {
        self.plan = plan
        self.context = context
    }

    /// The body and its omissions.
    static func render(_ plan: DiffPlan, context: DocumentContext) -> CompressedBody {
        var renderer = DiffRenderer(plan: plan, context: context)
        var fileIndex = 0
        var omittedText: [Int] = []
        for item in plan.items {
            if case .text(let line) = item, plan.fate[line] == .omitted {
                omittedText.append(line)
                continue
            }
            if let first = omittedText.first, let last = omittedText.last {
                renderer.omittedMessage(LineRange(first + 1, last + 1))
                omittedText = []
            }
            switch item {
            case .text(let line):
                renderer.out.appendLine(stripping: Array(plan.textLine(line)))
            case .file:
                renderer.file(plan.files[fileIndex])
                fileIndex += 1
            }
        }
        if let first = omittedText.first, let last = omittedText.last {
            renderer.omittedMessage(LineRange(first + 1, last + 1))
        }
        return CompressedBody(body: renderer.out.bytes, omissions: renderer.omissions)
    }

    /// A marker for commit message lines cut under the budget.
    private mutating func omittedMessage(_ range: LineRange) {
        marker(range, "\(lineCount(range.count)) of the commit header and message omitted", kinds: [("message", range.count)], full: true)
    }

    /// `### path (new file, +17 -0)`, `### old → new (renamed 97%, +1 -1)`, `### x (binary)`.
    static func header(_ file: PlannedFile) -> String {
        let diff = file.diff
        var name = diff.path
        var notes: [String] = []
        if diff.isRename || diff.isCopy, let old = diff.oldPath, let new = diff.newPath, old != new {
            name = "\(old) → \(new)"
            notes.append((diff.isRename ? "renamed" : "copied") + (diff.similarity.map { " \($0)" } ?? ""))
        }
        if diff.isNew {
            notes.append("new file" + (diff.newMode.map { $0 == "100644" ? "" : " mode \($0)" } ?? ""))
        } else if diff.isDeleted {
            notes.append("deleted")
        } else if let old = diff.oldMode, let new = diff.newMode, old != new {
            notes.append("mode \(old) → \(new)")
        }
        if diff.isBinary { notes.append("binary") }
        if diff.added + diff.removed > 0 || !diff.isBinary {
            notes.append("+\(Format.count(diff.added)) -\(Format.count(diff.removed))")
        }
        return "### \(name) (\(notes.joined(separator: ", ")))"
    }

    private mutating func file(_ file: PlannedFile) {
        let diff = file.diff
        if file.fileClass.isSummarised {
            let range = LineRange(diff.lines.lowerBound + 1, diff.lines.upperBound)
            let hunks = diff.hunks.count == 1 ? "1 hunk" : "\(Format.count(diff.hunks.count)) hunks"
            let text = "\(file.fileClass.rawValue) \(diff.path) (+\(Format.count(diff.added)) -\(Format.count(diff.removed)), \(hunks))"
            marker(range, "\(text): \(lineCount(range.count)) omitted", kinds: [(file.fileClass.rawValue, range.count)], full: true)
            return
        }
        out.append(Self.header(file))
        if trims(file) {
            out.append(" · \(context.query(LineRange(diff.lines.lowerBound + 1, diff.lines.upperBound)))")
        }
        out.newline()
        if let patch = diff.binaryPatch {
            let range = LineRange(patch.lowerBound + 1, patch.upperBound)
            marker(range, "binary patch: \(lineCount(range.count)) omitted", kinds: [("binary", range.count)], full: true)
        }
        guard let first = diff.hunks.first, let last = diff.hunks.last else { return }
        if file.collapsed {
            let range = LineRange(first.header + 1, last.body.upperBound)
            let counts = tally(first.header..<last.body.upperBound)
            let hunks = diff.hunks.count == 1 ? "1 hunk" : "\(Format.count(diff.hunks.count)) hunks"
            marker(range, "\(hunks), \(lineCount(range.count)) omitted (\(describe(counts)))",
                   kinds: kinds(counts, headers: diff.hunks.count), full: true)
            return
        }
        for hunk in diff.hunks { self.hunk(hunk) }
    }

    /// Writes a hunk as one or more parts, each with a `@@` line giving exactly the lines it
    /// spans: context runs that were trimmed split the hunk (their lines are in the file
    /// header's reference, and each is an omission in the manifest).
    private mutating func hunk(_ hunk: DiffHunk) {
        let base = hunk.body.lowerBound
        let kinds = hunk.kinds
        let oldCount = kinds.reduce(0) { $0 + ($1 == .context || $1 == .removed ? 1 : 0) }
        let newCount = kinds.reduce(0) { $0 + ($1 == .context || $1 == .added ? 1 : 0) }
        var oldNext = oldCount == 0 ? hunk.oldStart + 1 : hunk.oldStart
        var newNext = newCount == 0 ? hunk.newStart + 1 : hunk.newStart
        var first = true
        var k = 0
        while k < kinds.count {
            if let end = contextGap(hunk, from: k) {
                let range = LineRange(base + k + 1, base + end)
                omissions.append(context.omission(range, count: range.count, kinds: [("context", range.count)]))
                oldNext += end - k
                newNext += end - k
                k = end
                continue
            }
            var end = k
            while end < kinds.count, contextGap(hunk, from: end) == nil { end = runEnd(hunk, from: end) }
            var olds = 0, news = 0
            for kind in kinds[k..<end] {
                if kind == .context || kind == .removed { olds += 1 }
                if kind == .context || kind == .added { news += 1 }
            }
            out.append(plan.positionsDropped ? "@@" : "@@ -\(Self.span(oldNext, olds)) +\(Self.span(newNext, news)) @@")
            if first, !plan.sectionsDropped { out.append(Array(DiffParser.sectionText(plan.lines.content(hunk.header)))) }
            out.newline()
            first = false
            part(base + k, base + end)
            oldNext += olds
            newNext += news
            k = end
        }
        if first {
            // A hunk without lines (only a malformed header): keep the header as it was.
            out.appendLine(stripping: Array(plan.lines[hunk.header]))
        }
    }

    /// `start,count` as a `@@` line writes it: the count left out when 1, and for no lines
    /// the line before.
    static func span(_ next: Int, _ count: Int) -> String {
        if count == 0 { return "\(next - 1),0" }
        return count == 1 ? "\(next)" : "\(next),\(count)"
    }

    /// The end (body offset) of the run of lines with the same fate starting at `k`.
    private func runEnd(_ hunk: DiffHunk, from k: Int) -> Int {
        let base = hunk.body.lowerBound
        let fate = plan.fate[base + k]
        var end = k + 1
        while end < hunk.kinds.count, plan.fate[base + end] == fate { end += 1 }
        return end
    }

    /// When an omitted run of context lines only starts at `k`, its end (body offset).
    private func contextGap(_ hunk: DiffHunk, from k: Int) -> Int? {
        let base = hunk.body.lowerBound
        guard plan.fate[base + k] == .omitted else { return nil }
        let end = runEnd(hunk, from: k)
        return hunk.kinds[k..<end].allSatisfy { $0 == .context } ? end : nil
    }

    /// The lines `start..<end` (payload indices) of one part of a hunk.
    private mutating func part(_ start: Int, _ end: Int) {
        var line = start
        while line < end {
            var stop = line + 1
            while stop < end, plan.fate[stop] == plan.fate[line] { stop += 1 }
            switch plan.fate[line] {
            case .shown:
                for index in line..<stop { out.appendLine(stripping: Array(plan.lines[index])) }
            case .omitted:
                omitted(line..<stop)
            case .folded:
                folded(line..<stop)
            }
            line = stop
        }
    }

    /// Whether the body shows less than all of `file`'s hunk lines (so its header gives the
    /// reference of the file's lines).
    private func trims(_ file: PlannedFile) -> Bool {
        file.diff.binaryPatch != nil || file.collapsed || (plan.positionsDropped && !file.diff.hunks.isEmpty)
            || file.diff.hunks.contains { $0.body.contains { plan.fate[$0] != .shown } }
    }

    /// A marker for omitted hunk lines `lines` (0-based).
    private mutating func omitted(_ lines: Range<Int>) {
        let range = LineRange(lines.lowerBound + 1, lines.upperBound)
        let counts = tally(lines)
        if counts.added + counts.removed + counts.notes == 0 {
            let noun = counts.context == 1 ? "context line" : "context lines"
            marker(range, "\(Format.count(counts.context)) \(noun)", kinds: [("context", counts.context)], full: false)
        } else {
            marker(range, "\(lineCount(lines.count)) omitted (\(describe(counts)))", kinds: kinds(counts), full: true)
        }
    }

    /// A whitespace-only block: a note, then each new line as `~text` (trailing blanks trimmed);
    /// the exact lines are in the file header's reference and the manifest.
    private mutating func folded(_ lines: Range<Int>) {
        let range = LineRange(lines.lowerBound + 1, lines.upperBound)
        let pairs = lines.count / 2
        omissions.append(context.omission(range, count: range.count, kinds: [("whitespace-only", range.count)]))
        out.append(Self.foldNote(pairs: pairs))
        out.newline()
        var text: [UInt8] = []
        for line in (lines.lowerBound + pairs)..<lines.upperBound {
            TextBuffer.stripEscapes(plan.foldedText(line), into: &text)
        }
        out.append(text)
    }

    /// `[… 2 lines changed only in whitespace, new text as ~lines]`
    static func foldNote(pairs: Int) -> String {
        "[… \(pairs == 1 ? "1 line" : "\(Format.count(pairs)) lines") changed only in whitespace, new text as ~lines]"
    }

    /// Appends `[... text · hb_…:A-B ...]` (with `· lines A-B` when `full`) and its omission.
    private mutating func marker(_ range: LineRange, _ text: String, kinds: [(name: String, count: Int)], full: Bool) {
        out.append("[... \(text) · \(context.query(range)) ...]")
        out.newline()
        omissions.append(context.omission(range, count: range.count, kinds: kinds.filter { $0.count > 0 }))
    }

    private struct Counts { var added = 0, removed = 0, context = 0, notes = 0 }

    /// Kinds of the hunk body lines in `lines`.
    private func tally(_ lines: Range<Int>) -> Counts {
        var counts = Counts()
        for line in lines {
            let content = plan.lines.content(line)
            switch content.first {
            case 43: counts.added += 1
            case 45: counts.removed += 1
            case 92: counts.notes += 1
            case 64 where DiffParser.hunkHeader(content) != nil: break
            default: counts.context += 1
            }
        }
        return counts
    }

    private func describe(_ counts: Counts) -> String {
        "+\(Format.count(counts.added)) -\(Format.count(counts.removed))"
    }

    private func kinds(_ counts: Counts, headers: Int = 0) -> [(name: String, count: Int)] {
        [("added", counts.added), ("removed", counts.removed), ("context", counts.context),
         ("hunk headers", headers), ("notes", counts.notes)]
    }

    private func lineCount(_ n: Int) -> String { n == 1 ? "1 line" : "\(Format.count(n)) lines" }
}
