/// The lossy stages, applied only past the budget and never in lossless mode. Each stage runs
/// until the estimated excess is gone, lowest tier first (docs, then tests, then config, then
/// code; hunks matching the query last):
///
/// 0. the function context after each `@@` goes;
/// 1. commit message bodies go (each commit keeps its `commit` line and subject line), where
///    that saves more than the marker costs; then the positions of the `@@` lines (each
///    becomes a bare `@@`, the file header keeps the reference of all its lines);
/// 2. short runs of changed lines go, those whose text is shown elsewhere first, then the
///    costliest per line, weighted by file class (`cutSegments`, DiffSegmentCut.swift);
/// 3. whole hunk bodies go (their `@@` lines stay);
/// 4. whole files collapse to their header with stats and one marker.
///
/// Every file header with its stats always stays.
extension DiffPlan {
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
        if excess > 0, !positionsDropped {
            // Stage 1b: the line positions of the `@@` lines (the file header's reference has them).
            positionsDropped = true
            headerCost = bareHeaderCost
            for index in hunks.indices { update(index, &excess) }
        }
        if excess > 0 { cutSegments(&excess) }
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
    mutating func update(_ index: Int, _ excess: inout Int) {
        let before = hunks[index].cost
        hunks[index].cost = estimate(index)
        excess -= before - hunks[index].cost
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

    /// Stage 1: the lines after each commit's first non-blank one.
    private mutating func dropMessageBodies(_ excess: inout Int) {
        var seenSubject = false, inCommit = false
        var run: [Int] = []
        func flush(_ plan: inout DiffPlan, _ excess: inout Int) {
            let saved = run.reduce(0) { $0 + plan.cost[$1] } - plan.markerCost
            // A marker that barely saves its own cost hides facts for nothing.
            if saved >= plan.markerCost, excess > 0, run.allSatisfy({ plan.fate[$0] != .omitted }) {
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
