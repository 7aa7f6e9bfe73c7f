/// The omission markers of a search-results body: one per run of files with omissions, and
/// one for the statistics lines of `rg --json`.
extension SearchRenderer {
    /// What file `f` loses under `plan`: matches without their text (`located`: how many of
    /// them still show their line number), line numbers of shown texts past the limit,
    /// context lines, and payload lines in all.
    func lost(_ f: Int, _ plan: SearchPlan) -> (texts: Int, located: Int, numbers: Int, context: Int, lines: Int) {
        let file = results.files[f]
        switch effectiveLevel(f, plan) {
        case .full: return (0, 0, 0, 0, 0)
        case .hidden: return (file.matches, 0, 0, file.contextLines, file.lines.count)
        case .listed: return (file.matches, 0, 0, file.contextLines, file.matches + file.contextLines)
        case .hits:
            var texts = 0, numbers = 0
            for (g, group) in groups[f].enumerated() {
                if !plan.shownGroups[f][g] {
                    texts += group.members.count
                } else if group.members.count > plan.locationLimit {
                    numbers += group.members.count - plan.locationLimit
                }
            }
            return (texts, plan.locations[f] ? texts : 0, numbers, file.contextLines, texts + numbers + file.contextLines)
        }
    }

    /// The marker after a run of files with omissions:
    /// `[... N lines omitted (H hits of the F files above, C context lines; M more files with
    /// K hits (dir/…: k, …)) · lines A-B · hb_…:A-B ...]`.
    func runMarker(_ run: [Int], _ plan: SearchPlan, into out: inout TextBuffer, omissions: inout [Omission]) {
        var first = Int.max, last = 0, lines = 0, texts = 0, located = 0, numbers = 0, contextLines = 0
        var shownFiles = 0
        var hidden: [Int] = []
        for f in run {
            let loss = lost(f, plan)
            guard loss.lines > 0 else { continue }
            first = min(first, results.files[f].firstSource)
            last = max(last, results.files[f].lastSource)
            lines += loss.lines
            contextLines += loss.context
            if effectiveLevel(f, plan) == .hidden {
                hidden.append(f)
            } else {
                shownFiles += 1
                texts += loss.texts
                located += loss.located
                numbers += loss.numbers
            }
        }
        guard lines > 0 else { return }
        var details: [String] = []
        var kinds: [(name: String, count: Int)] = []
        if texts > 0 {
            let above = shownFiles == 1 ? "the file above" : "the \(Format.count(shownFiles)) files above"
            let what = located == texts ? "hit texts" : texts == 1 ? "hit" : "hits"
            details.append("\(Format.count(texts)) \(what) of \(above)")
            kinds.append((located == texts ? "hit texts" : "hits", texts))
        }
        if numbers > 0 {
            details.append("\(Format.count(numbers)) more line numbers of the texts shown")
            kinds.append(("line numbers", numbers))
        }
        if contextLines > 0 {
            details.append("\(Format.count(contextLines)) context lines")
            kinds.append(("context lines", contextLines))
        }
        if !hidden.isEmpty {
            let directories = directoryCounts(hidden)
            let n = hidden.reduce(0) { $0 + results.files[$1].matches }
            let files = "\(Format.count(hidden.count)) \(shownFiles > 0 ? "more " : "")\(hidden.count == 1 ? "file" : "files")"
            var what = n > 0 ? "\(files) with \(Format.count(n)) \(n == 1 ? "hit" : "hits")" : files
            if directories.count > 1 || hidden.count > 1 {
                let named = directories.prefix(3).map { "\($0.name): \(Format.count($0.count))" }
                what += " (" + named.joined(separator: ", ") + (directories.count > 3 ? ", …" : "") + ")"
            }
            details.append(what)
            kinds.append(("files", hidden.count))
            if n > 0 { kinds.append(("hits in those files", n)) }
        }
        let omission = context.omission(LineRange(first, last), count: lines, kinds: kinds)
        let noun = lines == 1 ? "line" : "lines"
        out.append("[... \(Format.count(lines)) \(noun) omitted (\(details.joined(separator: "; "))) · lines \(omission.range) · \(omission.query) ...]")
        out.newline()
        omissions.append(omission)
    }

    /// `[... N lines omitted (search statistics: rg --json end and summary messages) · …]`
    func statisticsMarker(into out: inout TextBuffer, omissions: inout [Omission]) {
        guard let first = results.statistics.first, let last = results.statistics.last else { return }
        let n = results.statistics.count
        let omission = context.omission(LineRange(first, last), count: n, kinds: [("statistics", n)])
        out.append("[... \(Format.count(n)) \(n == 1 ? "line" : "lines") omitted (search statistics: rg --json end and summary messages) · lines \(omission.range) · \(omission.query) ...]")
        out.newline()
        omissions.append(omission)
    }

    /// Hits (or files, when they have none) of `files` per directory two levels down
    /// (`testing/python/…`), most first, then by name.
    private func directoryCounts(_ files: [Int]) -> [(name: String, count: Int)] {
        var counts: [[UInt8]: Int] = [:]
        for f in files {
            var path = results[results.files[f].path]
            if let prefix { path = path.dropFirst(prefix.count) }
            var end = path.startIndex, depth = 0
            var k = path.startIndex
            while k < path.endIndex, depth < 2 {
                if path[k] == 47, k > path.startIndex { end = k + 1; depth += 1 }
                k += 1
            }
            let name = end == path.startIndex ? Array("./".utf8) : Array(path[..<end]) + Array("…".utf8)
            counts[name, default: 0] += max(results.files[f].matches, 1)
        }
        return counts.map { (name: String(decoding: $0.key, as: UTF8.self), count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }
}
