/// Writes a search-results body for a `SearchPlan`.
///
/// Files in order of first appearance, one heading each (the path, or `path:N:text` for a
/// file with a single match), in the form of `rg --heading`: matches as `N:text` with
/// identical texts folded (`12,40,88:text`), context lines as `N-text`, or `-text` when they
/// follow the line above. Leading indentation goes, nothing else. Lines that are not search
/// output are kept verbatim where they were; `--` and blank separators are implied by the
/// line numbers.
///
/// A file the plan does not show in full gets `(N hits)` in its heading; files listed without
/// any text are joined per directory (`dir/: a.py (3), b.py (12)`). Omissions are
/// marked once per run of files under one top directory (a marker costs ~45 tokens, so not
/// one per file): the marker counts what the run lost, names the directories of files left
/// out, and carries the run's payload line range.
struct SearchRenderer {
    let results: SearchResults
    /// Per file, its match groups (`SearchResults.textGroups`).
    let groups: [[SearchTextGroup]]
    let context: DocumentContext
    /// A long directory prefix shared by every path, stated once in the header.
    let prefix: Range<Int>?
    /// Output order: runs of files under one top directory, and other lines.
    private let segments: [Segment]

    /// At most this many runs get a marker of their own; neighbours are merged beyond it.
    static let maximumMarkers = 8

    private enum Segment {
        case files([Int])
        case other(Int)
    }

    init(results: SearchResults, groups: [[SearchTextGroup]], context: DocumentContext, prefix: Range<Int>?) {
        self.results = results
        self.groups = groups
        self.context = context
        self.prefix = prefix
        segments = Self.segments(results, prefix: prefix)
    }

    /// The body for `plan`.
    func render(_ plan: SearchPlan) -> CompressedBody {
        var out = TextBuffer()
        var omissions: [Omission] = []
        header(into: &out)
        for segment in mergedSegments(plan) {
            switch segment {
            case .other(let k):
                out.append(Array(results[results.lines[k].text]))
                out.newline()
            case .files(let files):
                var listed: [Int] = []
                for f in files {
                    let level = effectiveLevel(f, plan)
                    if level == .listed, let last = listed.last, directory(last) != directory(f) {
                        appendListing(listed, into: &out)
                        listed = []
                    }
                    if level == .listed {
                        listed.append(f)
                    } else if level != .hidden {
                        appendListing(listed, into: &out)
                        listed = []
                        file(f, plan, into: &out)
                    }
                }
                appendListing(listed, into: &out)
                runMarker(files, plan, into: &out, omissions: &omissions)
            }
        }
        statisticsMarker(into: &out, omissions: &omissions)
        return CompressedBody(body: out.bytes, omissions: omissions)
    }

    /// What a file shows: files without matches (counts, file names) have nothing to
    /// select, and a file with every text shown and no context lines is whole.
    func effectiveLevel(_ f: Int, _ plan: SearchPlan) -> SearchPlan.Level {
        let level = plan.levels[f]
        if results.files[f].matches == 0 { return level == .hidden ? .hidden : .full }
        if level == .hits, results.files[f].contextLines == 0, plan.shownGroups[f].allSatisfy({ $0 }) { return .full }
        return level
    }

    // MARK: - Segments

    /// Files grouped into runs by their first path component (after `prefix`), other lines apart.
    private static func segments(_ results: SearchResults, prefix: Range<Int>?) -> [Segment] {
        var out: [Segment] = []
        var run: [Int] = []
        var runKey: ArraySlice<UInt8>?
        var seen = [Bool](repeating: false, count: results.files.count)
        for (k, line) in results.lines.enumerated() {
            if line.kind == .other {
                if !run.isEmpty { out.append(.files(run)) }
                run = []
                runKey = nil
                out.append(.other(k))
                continue
            }
            let f = line.file
            guard f >= 0, !seen[f] else { continue }
            seen[f] = true
            let key = topDirectory(results, f, prefix: prefix)
            if key != runKey, !run.isEmpty {
                out.append(.files(run))
                run = []
            }
            runKey = key
            run.append(f)
        }
        if !run.isEmpty { out.append(.files(run)) }
        return out
    }

    /// The first path component of file `f` with its `/`, or empty for a file at the top.
    private static func topDirectory(_ results: SearchResults, _ f: Int, prefix: Range<Int>?) -> ArraySlice<UInt8> {
        var path = results[results.files[f].path]
        if let prefix { path = path.dropFirst(prefix.count) }
        guard let slash = path.dropFirst().firstIndex(of: 47) else { return [] }
        return path[path.startIndex...slash]
    }

    /// `segments` with neighbouring runs merged until at most `maximumMarkers` runs have
    /// omissions (smallest neighbours first).
    private func mergedSegments(_ plan: SearchPlan) -> [Segment] {
        var out = segments
        func omits(_ files: [Int]) -> Bool { files.contains { effectiveLevel($0, plan) != .full } }
        while true {
            var marked = 0
            var best: (index: Int, size: Int)?
            for (i, segment) in out.enumerated() {
                guard case .files(let files) = segment else { continue }
                if omits(files) { marked += 1 }
                if i + 1 < out.count, case .files(let next) = out[i + 1], omits(files) || omits(next) {
                    let size = files.count + next.count
                    if best == nil || size < best!.size { best = (i, size) }
                }
            }
            guard marked > Self.maximumMarkers, let merge = best,
                  case .files(let a) = out[merge.index], case .files(let b) = out[merge.index + 1] else { return out }
            out[merge.index] = .files(a + b)
            out.remove(at: merge.index + 1)
        }
    }

    // MARK: - Header

    private func header(into out: inout TextBuffer) {
        let files = results.files.count
        let matches = results.matchCount
        let filesText = "\(Format.count(files)) \(files == 1 ? "file" : "files")"
        var text: String
        if matches > 0 {
            text = "[search results: \(Format.count(matches)) \(matches == 1 ? "hit" : "hits") in \(filesText)"
            let context = results.contextCount
            if context > 0 { text += ", \(Format.count(context)) context \(context == 1 ? "line" : "lines")" }
        } else if results.files.contains(where: { $0.counted > 0 }) {
            let total = results.files.reduce(0) { $0 + $1.counted }
            text = "[search counts: \(Format.count(total)) in \(filesText)"
        } else {
            text = "[files with matches: \(Format.count(files))"
        }
        if let prefix { text += " · paths under " + String(decoding: results[prefix], as: UTF8.self) }
        out.append(text + "]")
        out.newline()
    }

    // MARK: - Files

    private func file(_ f: Int, _ plan: SearchPlan, into out: inout TextBuffer) {
        switch effectiveLevel(f, plan) {
        case .full: full(f, into: &out)
        case .hits: hits(f, plan, into: &out)
        case .listed, .hidden: break
        }
    }

    /// The directory part of file `f`'s path (after `prefix`), with its `/`; empty at the top.
    private func directory(_ f: Int) -> ArraySlice<UInt8> {
        var path = results[results.files[f].path]
        if let prefix { path = path.dropFirst(prefix.count) }
        guard let slash = path.lastIndex(of: 47) else { return [] }
        return path[...slash]
    }

    /// Listed files of one directory: `path (N hits)` for one, `dir/: a.py (3), b.py (12)`
    /// for several.
    private func appendListing(_ files: [Int], into out: inout TextBuffer) {
        guard let first = files.first else { return }
        let dir = directory(first)
        if files.count == 1 || dir.isEmpty {
            for f in files {
                appendPath(f, into: &out)
                appendCount(f, into: &out)
            }
            return
        }
        out.append(Array(dir))
        out.append(":")
        for (k, f) in files.enumerated() {
            let path = results.files[f].path
            out.append(k == 0 ? " " : ", ")
            out.append(Array(results.storage[(path.lowerBound + (prefix?.count ?? 0) + dir.count)..<path.upperBound]))
            out.append(" (\(Format.count(results.files[f].matches)))")
        }
        out.newline()
    }

    private func appendPath(_ f: Int, into out: inout TextBuffer) {
        var path = results.files[f].path
        if let prefix { path = (path.lowerBound + prefix.count)..<path.upperBound }
        out.append(Array(results[path]))
    }

    /// ` (N hits)` and a line break.
    private func appendCount(_ f: Int, into out: inout TextBuffer) {
        let n = results.files[f].matches
        out.append(" (\(Format.count(n)) \(n == 1 ? "hit" : "hits"))")
        out.newline()
    }

    /// `N`, or `N:C` with columns.
    private func location(_ k: Int) -> String {
        let line = results.lines[k]
        return results.hasColumns ? "\(line.number):\(line.column)" : "\(line.number)"
    }

    /// The locations of `members` (the first `limit`, then `… ×N`), then `:` and the text of
    /// the first one.
    private func appendGroup(_ members: [Int], limit: Int = .max, into out: inout TextBuffer) {
        if members.count > limit {
            out.append(members.prefix(limit).map(location).joined(separator: ",") + "… ×\(Format.count(members.count))")
        } else {
            out.append(members.map(location).joined(separator: ","))
        }
        appendText(members[0], into: &out)
    }

    /// `:` and the unindented text of line `k`, then a line break.
    private func appendText(_ k: Int, into out: inout TextBuffer) {
        out.append(":")
        out.append(Array(results[results.unindented(results.lines[k].text)]))
        out.newline()
    }

    /// A file in full: folded matches when it has no context lines, else every line in order.
    private func full(_ f: Int, into out: inout TextBuffer) {
        let file = results.files[f]
        let entries = file.lines.filter { results.lines[$0].kind != .path }
        appendPath(f, into: &out)
        if entries.isEmpty {
            out.newline()
            return
        }
        if entries.count == 1, results.lines[entries[0]].kind == .count {
            out.append(":\(results.lines[entries[0]].number)")
            out.newline()
            return
        }
        if entries.count == 1, results.lines[entries[0]].kind == .match {
            out.append(":" + location(entries[0]))
            appendText(entries[0], into: &out)
            return
        }
        out.newline()
        if file.contextLines == 0 {
            for group in groups[f] { appendGroup(group.members, into: &out) }
            for k in entries where results.lines[k].kind == .count {
                out.append("count:\(results.lines[k].number)")
                out.newline()
            }
            return
        }
        var previous = -1
        for k in entries {
            let line = results.lines[k]
            switch line.kind {
            case .match:
                out.append(location(k))
                appendText(k, into: &out)
            case .context:
                out.append(line.number == previous + 1 ? "-" : "\(line.number)-")
                out.append(Array(results[results.unindented(line.text)]))
                out.newline()
            case .count:
                out.append("count:\(line.number)")
                out.newline()
            default: break
            }
            previous = line.number
        }
    }

    /// A file at `.hits`: its shown groups in line order, then the locations of the others
    /// when planned (`40,41,90:…`).
    private func hits(_ f: Int, _ plan: SearchPlan, into out: inout TextBuffer) {
        let shown = plan.shownGroups[f]
        appendPath(f, into: &out)
        appendCount(f, into: &out)
        var hidden: [Int] = []
        for (g, group) in groups[f].enumerated() {
            if shown[g] {
                appendGroup(group.members, limit: plan.locationLimit, into: &out)
            } else {
                hidden.append(contentsOf: group.members)
            }
        }
        if plan.locations[f], !hidden.isEmpty {
            hidden.sort()
            out.append(hidden.map(location).joined(separator: ","))
            out.append(":…")
            out.newline()
        }
    }
}
