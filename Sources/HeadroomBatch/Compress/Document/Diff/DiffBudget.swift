/// The lossy stages, applied only past the budget and never in lossless mode. Each stage runs
/// until the estimated excess is gone, lowest tier first (docs, then tests, then config, then
/// code; hunks matching the query last):
///
/// 0. the function context after each `@@` goes;
/// 1. commit message bodies go (each commit keeps its `commit` line and subject line);
/// 2. runs of changed lines go, the densest in tokens per line first, weighted by file class
///    (`cutBlocks`);
/// 3. whole hunk bodies go (their `@@` lines stay);
/// 4. whole files collapse to their header with stats and one marker.
///
/// Every file header with its stats always stays.
extension DiffPlan {
    /// Lines kept at the head and tail of a change block that is cut.
    static let blockHead = 2
    static let blockTail = 1

    /// Total estimated tokens of the body.
    var estimatedTotal: Int {
        var total = fixedCost
        for file in files {
            if file.collapsed || file.fileClass.isSummarised {
                total += markerCost
            } else {
                for index in file.hunks { total += hunks[index].cost }
            }
        }
        return total
    }

    /// Applies the stages until the estimate drops by `excess` tokens (or nothing is left to cut).
    mutating func reduce(by excess: Int) {
        var excess = excess
        guard excess > 0 else { return }
        if !sectionsDropped {
            // Stage 0: the function context after each `@@`.
            sectionsDropped = true
            let saved = hunks.reduce(0) { $0 + $1.sectionCost }
            fixedCost -= saved
            excess -= saved
        }
        if excess > 0 { dropMessageBodies(&excess) }
        if excess > 0 { cutBlocks(&excess) }
        if excess > 0 { dropHunks(&excess) }
        if excess > 0 { collapseFiles(&excess) }
    }

    /// Hunk indices of shown files, lowest tier first, then largest first, then in order.
    private func hunkOrder() -> [Int] {
        hunks.indices.filter { !files[hunks[$0].file].collapsed && !files[hunks[$0].file].fileClass.isSummarised }
            .sorted { a, b in
                if hunks[a].tier != hunks[b].tier { return hunks[a].tier < hunks[b].tier }
                if hunks[a].cost != hunks[b].cost { return hunks[a].cost > hunks[b].cost }
                return a < b
            }
    }

    /// Re-estimates hunk `index` and takes its saving off `excess`.
    private mutating func update(_ index: Int, _ excess: inout Int) {
        let before = hunks[index].cost
        hunks[index].cost = estimate(index)
        excess -= before - hunks[index].cost
    }

    /// Stage 2: cuts runs of changed lines, the densest first: each change block offers one
    /// run (its middle when it has more than `blockHead + blockTail + 3` lines, else the whole
    /// block), scored by tokens saved per line lost times the file class's weight. The last
    /// run taken is cut only as far as needed, from its middle.
    private mutating func cutBlocks(_ excess: inout Int) {
        struct Run { var block: Int; var lines: Range<Int>; var score: Double }
        var runs: [Run] = []
        for (index, block) in blocks.enumerated() {
            let file = files[hunks[block.hunk].file]
            guard !file.collapsed, !file.fileClass.isSummarised, !(block.isWhitespaceOnly && block.cut > 0) else { continue }
            var lines = block.lines
            if !block.isWhitespaceOnly, lines.count > Self.blockHead + Self.blockTail + 3 {
                lines = (lines.lowerBound + Self.blockHead)..<(lines.upperBound - Self.blockTail)
            }
            // A block cut before grows its one marker's run; a new cut pays for a marker.
            let saved = lines.reduce(0) { $0 + (fate[$1] == .omitted ? 0 : cost[$1]) } - (block.cut > 0 ? 0 : markerCost)
            guard saved > 0 else { continue }
            let weight = Self.weight(tier: hunks[block.hunk].tier)
            // Lines with fewer than 4 visible bytes (closing brackets, blank lines) say little.
            let worth = lines.reduce(0.0) { $0 + (self.lines.content($1).dropFirst().trimmingWhitespace().count >= 4 ? 1 : 0.1) }
            runs.append(Run(block: index, lines: lines, score: Double(saved) / worth * weight))
        }
        runs.sort { $0.score != $1.score ? $0.score > $1.score : $0.block < $1.block }
        for run in runs where excess > 0 {
            let block = blocks[run.block]
            var cut = run.lines
            let total = run.lines.reduce(0) { $0 + (fate[$1] == .omitted ? 0 : cost[$1]) }
            if !block.isWhitespaceOnly, total - markerCost > excess + markerCost {
                // Only as many lines as needed, from the middle (around any earlier cut).
                var need = 0, taken = 0
                let order = Self.middleOut(run.lines)
                while taken < order.count, need < excess + markerCost {
                    if fate[order[taken]] != .omitted { need += cost[order[taken]] }
                    taken += 1
                }
                let chosen = order.prefix(taken)
                cut = chosen.min()!..<(chosen.max()! + 1)
            }
            for line in cut { fate[line] = .omitted }
            blocks[run.block].cut = cut.count
            update(block.hunk, &excess)
        }
    }

    /// How much cheaper a tier's lines are to lose: docs 1.5, tests 1.25, config 1.1, code 1,
    /// and a quarter of that for hunks that match the query. Mild on purpose: density decides
    /// most, so that a budget keeps as many changed lines as it can.
    static func weight(tier: Int) -> Double {
        let base: Double
        switch tier % 10 {
        case 0, 1: base = 1.5
        case 2: base = 1.25
        case 3: base = 1.1
        default: base = 1
        }
        return tier >= 10 ? base / 4 : base
    }

    /// The indices of `range` from its middle outwards, alternating down and up.
    static func middleOut(_ range: Range<Int>) -> [Int] {
        guard !range.isEmpty else { return [] }
        var result: [Int] = []
        let mid = range.lowerBound + (range.count - 1) / 2
        var down = mid, up = mid + 1
        while result.count < range.count {
            if down >= range.lowerBound { result.append(down); down -= 1 }
            if up < range.upperBound, result.count < range.count { result.append(up); up += 1 }
        }
        return result
    }

    /// Stage 1: the lines after each commit's first non-blank one.
    private mutating func dropMessageBodies(_ excess: inout Int) {
        var seenSubject = false, inCommit = false
        var run: [Int] = []
        func flush(_ plan: inout DiffPlan, _ excess: inout Int) {
            let saved = run.reduce(0) { $0 + plan.cost[$1] } - plan.markerCost
            if saved > 0, excess > 0, run.allSatisfy({ plan.fate[$0] != .omitted }) {
                for line in run { plan.fate[line] = .omitted }
                plan.fixedCost -= saved
                excess -= saved
            }
            run = []
        }
        for item in items {
            guard case .text(let line) = item else { flush(&self, &excess); inCommit = false; continue }
            if lines.content(line).hasPrefix("commit ") {
                flush(&self, &excess)
                seenSubject = false
                inCommit = true
            } else if messageLines.contains(line), !seenSubject, !textLine(line).trimmingWhitespace().isEmpty {
                seenSubject = true
                flush(&self, &excess)
            } else if inCommit {
                run.append(line)
            }
        }
        flush(&self, &excess)
    }

    private mutating func dropHunks(_ excess: inout Int) {
        for index in hunkOrder() where excess > 0 {
            for line in hunks[index].hunk.body { fate[line] = .omitted }
            update(index, &excess)
        }
    }

    private mutating func collapseFiles(_ excess: inout Int) {
        let order = files.indices.filter { !files[$0].fileClass.isSummarised && !files[$0].hunks.isEmpty }
            .sorted { a, b in
                let ta = files[a].hunks.map { hunks[$0].tier }.max() ?? 0
                let tb = files[b].hunks.map { hunks[$0].tier }.max() ?? 0
                if ta != tb { return ta < tb }
                let ca = files[a].hunks.reduce(0) { $0 + hunks[$1].cost }
                let cb = files[b].hunks.reduce(0) { $0 + hunks[$1].cost }
                return ca != cb ? ca > cb : a < b
            }
        for index in order where excess > 0 {
            // The hunks' function contexts (in the fixed cost) go too; the file gets one marker.
            let headers = files[index].hunks.reduce(0) { $0 + hunks[$1].sectionCost }
            let saved = files[index].hunks.reduce(0) { $0 + hunks[$1].cost } + headers - markerCost
            files[index].collapsed = true
            fixedCost -= headers
            excess -= saved
        }
    }
}
