/// How a near-duplicate passage is printed as its differences from its canonical passage:
///
///     [≈P4 (0.91 similar): 2 lines added, 1 line of P4 lacking]
///     @6 -1 +2
///     - the lacking line of P4, when short
///     + an added line
///     + another
///
/// `@N -a +b`: at line N of the canonical passage, its next `a` lines are lacking and the
/// `b` lines after it (each `+ line`, `+` alone for an empty line) come in their place.
/// Applying every hunk to the canonical passage rebuilds the member passage line for line.
enum RAGNearDuplicateText {
    /// The summary's explanation, printed when any passage is printed as differences.
    static let legend = "[near-duplicates: ≈PN = the passage PN with, per `@N -a +b`, its lines N… (a of them) lacking and the `+ ` lines added there]\n"
    /// Lacking lines are quoted when a hunk lacks at most this many, each at most
    /// `quotedLineBytes` long; otherwise only counted.
    static let quotedLines = 2
    static let quotedLineBytes = 80
    /// The differences are printed only when at most this share of the member's own size.
    static let maximumShare = 0.5

    /// The printed differences of `member` from `canonical`, or nil when they are not small.
    static func differences(member: Int, canonical: Int, similarity: Double, canonicalLabel: Int,
                            stitcher: PassageStitcher) -> [UInt8]? {
        let memberLines = lines(of: member, stitcher)
        let canonicalLines = lines(of: canonical, stitcher)
        guard let diff = PassageLineDiff(canonical: canonicalLines, member: memberLines) else { return nil }
        var out = TextBuffer()
        let percent = Int((similarity * 100).rounded())
        let added = diff.addedLines == 1 ? "1 line added" : "\(Format.count(diff.addedLines)) lines added"
        let lacking = diff.removedLines == 1 ? "1 line" : "\(Format.count(diff.removedLines)) lines"
        out.append("[≈P\(canonicalLabel) (\(percent)% similar): \(added), \(lacking) of P\(canonicalLabel) lacking]\n")
        for hunk in diff.hunks {
            out.append("@\(hunk.at) -\(hunk.removed.count) +\(hunk.added.count)\n")
            let removed = canonicalLines[hunk.removed]
            if removed.count <= quotedLines, removed.allSatisfy({ $0.count <= quotedLineBytes }) {
                for line in removed { out.appendLine(stripping: Array("- ".utf8) + Array(line)) }
            }
            for line in memberLines[hunk.added] {
                out.appendLine(stripping: line.isEmpty ? [UInt8(ascii: "+")] : Array("+ ".utf8) + Array(line))
            }
        }
        let whole = memberLines.reduce(0) { $0 + $1.count + 1 }
        guard Double(out.bytes.count) <= Double(whole) * maximumShare else { return nil }
        return out.bytes
    }

    /// The lines of a passage, as slices of its windows' texts.
    static func lines(of passage: Int, _ stitcher: PassageStitcher) -> [ArraySlice<UInt8>] {
        stitcher.passages[passage].lines.map { window, line in
            let w = stitcher.windows[window]
            return w.text[w.lines[line]]
        }
    }
}
