/// Stage 2 of `DiffPlan.reduce`: cuts short runs of changed lines ("segments"), those whose
/// loss is smallest for the tokens they save first.
///
/// A changed line is lost only when no other copy of its text (stripped of surrounding
/// whitespace) stays in the body: a line repeated across commits or files (a helper call in
/// every test, a line added in one commit and removed in a later one) is still read once when
/// all but one copy go. So the loss of a segment is the number of changed lines of the whole
/// diff whose text would have no shown copy left, and segments of repeated lines are cut
/// before those of unique ones, the costliest per line first. Every cut run of changed lines
/// is a marker where it was (`DiffRenderer.omitted`).
extension DiffPlan {
    /// A run of changed lines of one change block, cut as a unit: up to `segmentLimit` lines,
    /// ending after a blank line where the block has one (a paragraph of code or text).
    struct CutSegment {
        var lines: Range<Int>
        var hunk: Int
        /// The first or last segment of its block (they say where a change starts and ends,
        /// so they stay longer).
        var isEdge: Bool
    }

    /// Most lines in a segment.
    static let segmentLimit = 8

    /// The text a changed line is matched by (after its `+`/`-`, stripped), or nil when it is
    /// shorter than 4 bytes (blank lines and closing brackets, which say little).
    func fidelityText(_ line: Int) -> ArraySlice<UInt8>? {
        let text = lines.content(line).dropFirst().trimmingWhitespace()
        return text.count >= 4 ? text : nil
    }

    /// For each payload line, the id of its changed-line text (−1 when none), and for each id
    /// how many changed lines of the diff have that text.
    func fidelityKeys() -> (keys: [Int], occurrences: [Int]) {
        var keys = [Int](repeating: -1, count: lines.count)
        var occurrences: [Int] = []
        var ids: [ArraySlice<UInt8>: Int] = [:]
        for planned in hunks {
            let hunk = planned.hunk
            for (offset, kind) in hunk.kinds.enumerated() where kind == .added || kind == .removed {
                let line = hunk.body.lowerBound + offset
                guard let text = fidelityText(line) else { continue }
                if let id = ids[text] {
                    keys[line] = id
                    occurrences[id] += 1
                } else {
                    ids[text] = occurrences.count
                    keys[line] = occurrences.count
                    occurrences.append(1)
                }
            }
        }
        return (keys, occurrences)
    }

    /// Whether hunk `index` is rendered line by line (its file neither summarised nor collapsed).
    func isShown(hunk index: Int) -> Bool {
        let file = files[hunks[index].file]
        return !file.collapsed && !file.fileClass.isSummarised
    }

    /// The segments of every change block of the shown files (whitespace-only blocks excluded).
    func cutSegments() -> [CutSegment] {
        var segments: [CutSegment] = []
        for block in blocks where !block.isWhitespaceOnly && isShown(hunk: block.hunk) {
            var start = block.lines.lowerBound
            var line = start
            while line < block.lines.upperBound {
                let blank = lines.content(line).dropFirst().trimmingWhitespace().isEmpty
                let next = line + 1
                let nextBlank = next < block.lines.upperBound
                    && lines.content(next).dropFirst().trimmingWhitespace().isEmpty
                // A segment ends after a blank line (unless another follows) or at the limit.
                if next == block.lines.upperBound || (blank && !nextBlank) || next - start >= Self.segmentLimit {
                    let isEdge = start == block.lines.lowerBound || next == block.lines.upperBound
                    segments.append(CutSegment(lines: start..<next, hunk: block.hunk, isEdge: isEdge))
                    start = next
                }
                line = next
            }
        }
        return segments
    }

    /// Tokens the estimate of `segment`'s hunk would drop if its lines were omitted.
    private mutating func saving(_ segment: CutSegment) -> Int {
        let saved = segment.lines.map { fate[$0] }
        for line in segment.lines { fate[line] = .omitted }
        let after = estimate(segment.hunk)
        for (offset, line) in segment.lines.enumerated() { fate[line] = saved[offset] }
        return hunks[segment.hunk].cost - after
    }

    /// Changed lines of the diff that would have no shown copy left if `segment` went.
    private func loss(_ segment: CutSegment, keys: [Int], occurrences: [Int], visible: [Int]) -> Int {
        var loss = 0
        let shown = segment.lines.filter { fate[$0] != .omitted && keys[$0] >= 0 }
        for (position, line) in shown.enumerated() {
            let key = keys[line]
            // Count each text once, at its first line in the segment.
            if shown[..<position].contains(where: { keys[$0] == key }) { continue }
            let inside = shown.reduce(0) { $0 + (keys[$1] == key ? 1 : 0) }
            if visible[key] == inside { loss += occurrences[key] }
        }
        return loss
    }

    /// Cuts segments, the smallest loss per token saved first (weighted by the file's class and
    /// the query, `weight(tier:)`), until `excess` is gone or no segment saves anything.
    mutating func cutSegments(_ excess: inout Int) {
        let segments = cutSegments()
        guard !segments.isEmpty else { return }
        let (keys, occurrences) = fidelityKeys()
        var visible = [Int](repeating: 0, count: occurrences.count)
        for index in hunks.indices where isShown(hunk: index) {
            for line in hunks[index].hunk.body where fate[line] != .omitted && keys[line] >= 0 {
                visible[keys[line]] += 1
            }
        }
        var done = segments.map { segment in segment.lines.allSatisfy { fate[$0] == .omitted } }
        // Segments holding each text, to know whose loss changes when a copy goes.
        var segmentsOfKey = [[Int]](repeating: [], count: occurrences.count)
        for (index, segment) in segments.enumerated() {
            for line in segment.lines where keys[line] >= 0 && segmentsOfKey[keys[line]].last != index {
                segmentsOfKey[keys[line]].append(index)
            }
        }
        var savings = [Int](repeating: 0, count: segments.count)
        var scores = [Double](repeating: .infinity, count: segments.count)
        func rescore(_ plan: DiffPlan, _ index: Int) {
            let segment = segments[index]
            guard !done[index], savings[index] > 0 else { scores[index] = .infinity; return }
            let counted = segment.lines.reduce(0) { $0 + (keys[$1] >= 0 && plan.fate[$1] != .omitted ? 1 : 0) }
            let lost = plan.loss(segment, keys: keys, occurrences: occurrences, visible: visible)
            // Among segments that lose nothing, the one saving most per line it hides.
            scores[index] = (Double(lost) + 0.01 * Double(counted)) * (segment.isEdge ? 2 : 1)
                / (Double(savings[index]) * Self.weight(tier: hunks[segment.hunk].tier))
        }
        for index in segments.indices where !done[index] {
            savings[index] = saving(segments[index])
            rescore(self, index)
        }
        while excess > 0 {
            var best = -1, bestScore = Double.infinity
            for index in segments.indices where scores[index] < bestScore { bestScore = scores[index]; best = index }
            guard best >= 0 else { break }
            let segment = segments[best]
            var changedKeys: [Int] = []
            for line in segment.lines where fate[line] != .omitted {
                if keys[line] >= 0 { visible[keys[line]] -= 1; changedKeys.append(keys[line]) }
                fate[line] = .omitted
            }
            done[best] = true
            scores[best] = .infinity
            update(segment.hunk, &excess)
            // A saving depends on the lines up to the nearest shown ones on either side: only
            // the segments touching the omitted run around the cut change.
            let body = hunks[segment.hunk].hunk.body
            var low = segment.lines.lowerBound, high = segment.lines.upperBound
            while low > body.lowerBound, fate[low - 1] == .omitted { low -= 1 }
            while high < body.upperBound, fate[high] == .omitted { high += 1 }
            let touched = max(body.lowerBound, low - 1)..<min(body.upperBound, high + 1)
            for index in segments.indices where !done[index] && segments[index].hunk == segment.hunk
                && segments[index].lines.overlaps(touched) {
                savings[index] = saving(segments[index])
                rescore(self, index)
            }
            // A loss depends on how many copies of its texts are still shown.
            for key in changedKeys { for index in segmentsOfKey[key] { rescore(self, index) } }
        }
    }
}
