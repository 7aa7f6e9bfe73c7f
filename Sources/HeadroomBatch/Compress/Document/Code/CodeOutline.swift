/// A run of source lines that the outline replaces with one marker.
struct CodeFold {
    /// Why the fold exists, which decides whether a later step may undo it.
    enum Reason: Equatable {
        case body(Int)
        case other
    }

    /// 0-based lines.
    var range: Range<Int>
    var reason: Reason
    /// The marker line, with its newline.
    var marker: [UInt8]
    var markerTokens: Int
    var kinds: [(name: String, count: Int)]
}

/// The outline of a source file as a set of disjoint folds over its lines, built in steps
/// that each cut more: bodies, doc comments and long import runs first (`outline`), then
/// whole type bodies (`collapseTypes`), then private declarations (`dropPrivate`), and as a
/// last resort everything past the budget (`truncate`). Every other line stays verbatim.
///
/// Token counts are estimated line by line (`estimate`); the compressor measures the
/// rendered body and plans again with a tighter target when the estimate was low.
struct CodeOutline {
    let lines: DocumentLines
    let structure: CodeStructure
    let context: DocumentContext
    /// The tokens of each line with its newline, and their prefix sums.
    let costs: [Int]
    private let prefix: [Int]
    /// Disjoint folds, ordered by first line.
    private(set) var folds: [CodeFold] = []
    /// Estimated tokens of the rendered outline.
    private(set) var estimate: Int

    init(lines: DocumentLines, structure: CodeStructure, context: DocumentContext, costs: [Int]) {
        self.lines = lines
        self.structure = structure
        self.context = context
        self.costs = costs
        var sums = [0]
        sums.reserveCapacity(costs.count + 1)
        for cost in costs { sums.append(sums[sums.count - 1] + cost) }
        prefix = sums
        estimate = sums[sums.count - 1]
    }

    /// Tokens of the lines in `range` as they are.
    func cost(_ range: Range<Int>) -> Int { prefix[range.upperBound] - prefix[range.lowerBound] }

    private func saving(_ fold: CodeFold) -> Int { cost(fold.range) - fold.markerTokens }

    // MARK: - Folds

    /// The index of the first fold ending after `line`.
    private func firstFold(endingAfter line: Int) -> Int {
        var lo = 0, hi = folds.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if folds[mid].range.upperBound <= line { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether `line` is inside a fold.
    func isFolded(_ line: Int) -> Bool {
        let index = firstFold(endingAfter: line)
        return index < folds.count && folds[index].range.contains(line)
    }

    /// Folds `range` into a marker saying `what` (replacing every fold it overlaps) when that
    /// saves at least `minimumSaving` tokens over what is shown now.
    @discardableResult
    mutating func fold(_ range: Range<Int>, what: String, details: String = "", reason: CodeFold.Reason = .other,
                       kinds: [(name: String, count: Int)], minimumSaving: Int = 1) -> Bool {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= lines.count else { return false }
        let lineRange = LineRange(range.lowerBound + 1, range.upperBound)
        let noun = range.count == 1 ? "line" : "lines"
        let text = "[... \(what): \(Format.count(range.count)) \(noun) omitted\(details) · lines \(lineRange) · \(context.query(lineRange)) ...]\n"
        let marker = Array(text.utf8)
        let fold = CodeFold(range: range, reason: reason, marker: marker, markerTokens: context.tokens(marker), kinds: kinds)
        let lower = firstFold(endingAfter: range.lowerBound)
        var upper = lower
        var replaced = 0
        while upper < folds.count, folds[upper].range.lowerBound < range.upperBound {
            replaced += saving(folds[upper])
            upper += 1
        }
        guard saving(fold) - replaced >= minimumSaving else { return false }
        folds.replaceSubrange(lower..<upper, with: [fold])
        estimate -= saving(fold) - replaced
        return true
    }

    /// Removes the fold at `index`, showing its lines again.
    mutating func unfold(at index: Int) {
        estimate += saving(folds[index])
        folds.remove(at: index)
    }

    // MARK: - Steps

    /// Bodies to one marker each (bodies of 2 lines or less stay), doc comments and
    /// docstrings to their first line, import runs longer than 8 lines to their first and
    /// last line.
    mutating func outline() {
        foldImports()
        foldComments()
        for statement in structure.statements {
            let rest = (statement.lowerBound + 1)..<statement.upperBound
            fold(rest, what: "statement continues", kinds: [("statement", rest.count)])
        }
        if case .python = structure.language, let run = moduleDocstring() { foldDoc(run, what: "docstring") }
        for index in structure.topLevel { outline(block: index) }
    }

    private mutating func outline(block index: Int) {
        let block = structure.blocks[index]
        if block.kind == .container {
            if let doc = block.docstring { foldDoc(doc, what: "docstring") }
            for child in block.children { outline(block: child) }
            return
        }
        var start = block.body.lowerBound
        if let doc = block.docstring { start = doc.lowerBound + keptDocLines(doc) }
        let range = start..<max(start, block.body.upperBound)
        guard range.count > 2 else { return }
        let what = block.keyword.isEmpty || block.kind == .other && !DeclarationHeader.controlWords.contains(block.keyword)
            ? "body" : "\(block.keyword) body"
        fold(range, what: what, reason: .body(index), kinds: [("body", range.count)])
    }

    /// How many first lines of a doc comment or docstring stay: one, or two when the first
    /// only opens it (`/**`, `"""`).
    private func keptDocLines(_ range: Range<Int>) -> Int {
        let first = lines.content(range.lowerBound).trimmingWhitespace()
        let openers: [StaticString] = ["/**", "/*", "/*!", "\"\"\"", "'''", "r\"\"\"", "///", "//", "#", "//!", "*"]
        let bare = openers.contains { first.count == $0.utf8CodeUnitCount && first.hasPrefix($0) }
        return min(range.count, bare ? 2 : 1)
    }

    /// Folds a doc comment or docstring to its first line(s) when that saves tokens.
    private mutating func foldDoc(_ range: Range<Int>, what: String) {
        let start = range.lowerBound + keptDocLines(range)
        guard range.upperBound - start >= 2 else { return }
        fold(start..<range.upperBound, what: what, kinds: [(what, range.upperBound - start)])
    }

    /// Every run of comment lines (a doc comment, a license header) to its first line.
    private mutating func foldComments() {
        var line = 0
        let roles = structure.roles
        while line < roles.count {
            guard roles[line] == .comment else { line += 1; continue }
            var end = line
            while end < roles.count, roles[end] == .comment { end += 1 }
            foldDoc(line..<end, what: "comment")
            line = end
        }
    }

    /// The lines of a Python module docstring (the file's first statement, a string).
    private func moduleDocstring() -> Range<Int>? {
        let roles = structure.roles
        guard let first = roles.firstIndex(where: { $0 != .blank && $0 != .comment }), roles[first] == .code,
              IndentScanner.startsWithString(lines.content(first).trimmingWhitespace()) else { return nil }
        var end = first + 1
        while end < roles.count, roles[end] == .string { end += 1 }
        return first..<end
    }

    /// Runs of import lines (blank and comment lines between them included) longer than 8
    /// imports: the first and last stay, the middle is one marker.
    private mutating func foldImports() {
        let roles = structure.roles
        var line = 0
        while line < roles.count {
            guard roles[line] == .importLine else { line += 1; continue }
            var last = line
            var count = 0
            var end = line
            while end < roles.count, roles[end] == .importLine || roles[end] == .blank || roles[end] == .comment {
                if roles[end] == .importLine { last = end; count += 1 }
                end += 1
            }
            if count > 8 {
                // Keep the first import statement and the last one (whole, when multi-line).
                var middleStart = line + 1
                while middleStart < last, roles[middleStart] == .importLine,
                      !BraceScanner.isImport(lines.content(middleStart).trimmingWhitespace()),
                      !lines.content(middleStart).trimmingWhitespace().hasPrefix("from ") {
                    middleStart += 1
                }
                var lastStart = last
                while lastStart > middleStart, roles[lastStart - 1] == .importLine,
                      !startsImport(lastStart) { lastStart -= 1 }
                if lastStart > middleStart {
                    let folded = (middleStart..<lastStart).filter { roles[$0] == .importLine }.count
                    fold(middleStart..<lastStart, what: "imports", kinds: [("imports", folded)])
                }
            }
            line = last + 1
        }
    }

    private func startsImport(_ line: Int) -> Bool {
        let trimmed = lines.content(line).trimmingWhitespace()
        return BraceScanner.isImport(trimmed) || trimmed.hasPrefix("from ")
    }

    /// With a query, shows again the folded bodies that match it best while the estimate
    /// stays within `target`.
    mutating func expandMatching(_ query: String, target: Int) {
        let ranker = BM25Ranker(query: query)
        guard !ranker.isEmpty else { return }
        let bodies = folds.enumerated().filter { if case .body = $0.element.reason { return true } else { return false } }
        let texts = bodies.map { lines.bytes[lines.starts[$0.element.range.lowerBound]..<lines.ends[$0.element.range.upperBound - 1]] }
        let scores = ranker.scores(texts)
        let order = scores.indices.filter { scores[$0] > 0 }.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var removed: [Int] = []
        var extra = 0
        for position in order {
            let fold = bodies[position].element
            let gain = saving(fold)
            if estimate + extra + gain <= target {
                extra += gain
                removed.append(bodies[position].offset)
            }
        }
        for index in removed.sorted(by: >) { unfold(at: index) }
    }

    /// Collapses type bodies, innermost types first and larger ones first at each depth,
    /// until the estimate is within `target`.
    mutating func collapseTypes(target: Int) {
        let candidates = structure.blocks.indices.filter { structure.blocks[$0].kind == .container && structure.blocks[$0].body.count > 2 }
        let ordered = candidates.sorted { a, b in
            let x = structure.blocks[a], y = structure.blocks[b]
            if x.depth != y.depth { return x.depth > y.depth }
            if x.body.count != y.body.count { return x.body.count > y.body.count }
            return a < b
        }
        for index in ordered {
            guard estimate > target else { return }
            let block = structure.blocks[index]
            guard !isFolded(block.headerFirst) else { continue }
            let members = block.children.count
            let details = members == 0 ? "" : " (\(Format.count(members)) \(members == 1 ? "member" : "members"))"
            fold(block.body, what: "\(block.keyword) body", details: details, kinds: [("members", members)])
        }
    }

    /// Drops private declarations still shown (consecutive ones as one marker), largest
    /// runs first, until the estimate is within `target`.
    mutating func dropPrivate(target: Int) {
        guard estimate > target else { return }
        var runs: [(range: Range<Int>, count: Int)] = []
        var siblings: [[Int]] = [structure.topLevel]
        for block in structure.blocks where block.kind == .container { siblings.append(block.children) }
        for group in siblings {
            var current: (range: Range<Int>, count: Int)?
            for index in group {
                let block = structure.blocks[index]
                let start = extentStart(block)
                let shown = !isFolded(block.headerFirst)
                if block.isPrivate, shown {
                    if let run = current, start >= run.range.upperBound,
                       (run.range.upperBound..<start).allSatisfy({ structure.roles[$0] == .blank }) {
                        current = (run.range.lowerBound..<(block.end + 1), run.count + 1)
                    } else {
                        if let run = current { runs.append(run) }
                        current = (min(start, block.headerFirst)..<(block.end + 1), 1)
                    }
                } else if let run = current {
                    runs.append(run)
                    current = nil
                }
            }
            if let run = current { runs.append(run) }
        }
        runs.sort { cost($0.range) != cost($1.range) ? cost($0.range) > cost($1.range) : $0.range.lowerBound < $1.range.lowerBound }
        for run in runs {
            guard estimate > target else { return }
            let what = run.count == 1 ? "1 private declaration" : "\(Format.count(run.count)) private declarations"
            fold(run.range, what: what, kinds: [("private declarations", run.count)])
        }
    }

    /// The first line of a declaration with the attributes, decorators and comments
    /// directly above it.
    func extentStart(_ block: CodeBlock) -> Int {
        var start = block.headerFirst
        while start > 0 {
            let role = structure.roles[start - 1]
            let above = lines.content(start - 1).trimmingWhitespace()
            let attribute = role == .code && (above.first == UInt8(ascii: "@") || above.hasPrefix("#[")
                || (above.first == UInt8(ascii: "[") && above.last == UInt8(ascii: "]")))
            guard role == .comment || attribute else { break }
            start -= 1
        }
        return start
    }

    /// Keeps the outline's head within `target` and folds everything after it into one marker.
    mutating func truncate(target: Int) {
        guard estimate > target else { return }
        let reserve = 40
        var spent = 0
        var line = 0
        var foldIndex = 0
        while line < lines.count {
            let item: Int
            let next: Int
            if foldIndex < folds.count, folds[foldIndex].range.lowerBound == line {
                item = folds[foldIndex].markerTokens
                next = folds[foldIndex].range.upperBound
                foldIndex += 1
            } else {
                item = costs[line]
                next = line + 1
            }
            if spent + item + reserve > target { break }
            spent += item
            line = next
        }
        guard line < lines.count else { return }
        fold(line..<lines.count, what: "rest of the file", details: " (over the token budget)",
             kinds: [("over budget", lines.count - line)], minimumSaving: Int.min)
    }

    // MARK: - Rendering

    /// The outline as a section body: shown lines verbatim, a marker for every fold.
    func render() -> CompressedBody {
        var out = TextBuffer()
        var omissions: [Omission] = []
        var line = 0
        var foldIndex = 0
        while line < lines.count {
            if foldIndex < folds.count, folds[foldIndex].range.lowerBound == line {
                let fold = folds[foldIndex]
                out.append(fold.marker)
                let range = LineRange(fold.range.lowerBound + 1, fold.range.upperBound)
                omissions.append(context.omission(range, count: range.count, kinds: fold.kinds))
                line = fold.range.upperBound
                foldIndex += 1
                continue
            }
            out.appendLine(stripping: Array(lines[line]))
            line += 1
        }
        return CompressedBody(body: out.bytes, omissions: omissions)
    }
}
