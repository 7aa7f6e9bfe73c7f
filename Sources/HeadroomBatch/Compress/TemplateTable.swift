/// The routine lines of one log by template, for the bundle: which templates the omitted
/// lines belong to, how many lines each has, their level and span, and what their variables
/// held (numeric ranges over all lines, the most frequent word values, an example).
///
/// It counts every line's signature (`TemplateMiner` index) and level as lines arrive;
/// memory grows with the number of signatures, which the miner bounds.
struct TemplateTable {
    /// A template as the table shows it.
    struct Row {
        var template: MinedTemplate
        /// Lines of the template not shown verbatim in the section.
        var omitted: Int
        /// The level most of its lines carry.
        var level: LineLevel
        /// `T1`, `T2`, … in the order of the table.
        var label: String
    }

    /// A rendered table, and the label of each signature whose template it shows.
    struct Rendered {
        var text: [UInt8]
        var labels: [Int32: String]
        var templateIDs: [Int32: TemplateID]
        var shown: Int
        var total: Int
    }

    let miner: TemplateMiner
    /// Line counts per signature and level (`signature * levels + level`).
    private var levelCounts: [Int32] = []
    private static let levels = LineLevel.allCases.count
    /// Omitted lines a template needs for a row: the table is for what repeats.
    static let minimumOmitted = 3

    init(miner: TemplateMiner) { self.miner = miner }

    /// Counts one line of the log.
    @inline(__always)
    mutating func count(signature: Int32, level: LineLevel) {
        let slot = Int(signature) * Self.levels + Int(level.rawValue)
        if slot >= levelCounts.count { levelCounts.append(contentsOf: repeatElement(0, count: slot + Self.levels * 64 - levelCounts.count)) }
        levelCounts[slot] += 1
    }

    /// The `templates` (the miner's, read once all lines are in) with at least
    /// `minimumOmitted` omitted lines, those of warnings and
    /// errors first, then most omitted first; `shown` counts the lines of each signature
    /// printed verbatim.
    func rows(of templates: [MinedTemplate], shown: [Int32: Int]) -> [Row] {
        var rows: [Row] = []
        for template in templates {
            var printed = 0
            var levels = [Int](repeating: 0, count: Self.levels)
            for s in template.signatures {
                printed += shown[Int32(s)] ?? 0
                for l in 0..<Self.levels where s * Self.levels + l < levelCounts.count {
                    levels[l] += Int(levelCounts[s * Self.levels + l])
                }
            }
            let omitted = template.count - printed
            // Blank lines and lines that are one variable say nothing as a template.
            guard omitted >= Self.minimumOmitted, template.text.contains(where: { $0 != " " && $0 != "<" && $0 != "*" && $0 != ">" }) else { continue }
            let dominant = levels.indices.max { levels[$0] < levels[$1] || (levels[$0] == levels[$1] && $0 > $1) } ?? 0
            rows.append(Row(template: template, omitted: omitted, level: LineLevel(rawValue: UInt8(dominant)) ?? .none,
                            label: ""))
        }
        // Warnings and errors first, then the templates that stand for the most lines.
        rows.sort {
            ($0.level >= .warn) != ($1.level >= .warn) ? $0.level >= .warn
                : $0.omitted != $1.omitted ? $0.omitted > $1.omitted : $0.template.firstLine < $1.template.firstLine
        }
        for i in rows.indices { rows[i].label = "T\(i + 1)" }
        return rows
    }

    /// The table text: a title, then one row per template (with an example line) while the
    /// text stays within `tokenLimit` (estimated as bytes / 4; `Int.max` for no limit) and
    /// `maxRows`.
    func render(_ rows: [Row], reference: ReferenceID, tokenLimit: Int, maxRows: Int) -> Rendered {
        var rendered = Rendered(text: [], labels: [:], templateIDs: [:], shown: 0, total: rows.count)
        guard !rows.isEmpty else { return rendered }
        var body: [UInt8] = []
        for row in rows.prefix(maxRows) {
            let text = Array(describe(row, reference).utf8)
            if (body.count + text.count) / 4 + 24 > tokenLimit { break }
            body.append(contentsOf: text)
            rendered.shown += 1
            for s in row.template.signatures {
                rendered.labels[Int32(s)] = row.label
                rendered.templateIDs[Int32(s)] = row.template.id
            }
        }
        guard rendered.shown > 0 else { return rendered }
        let omittedLines = rows.reduce(0) { $0 + $1.omitted }
        var title = "[omitted lines by template: \(Format.count(omittedLines)) lines of \(Format.count(rows.count)) templates"
        if rendered.shown < rows.count { title += ", the \(Format.count(rendered.shown)) largest shown" }
        title += " · <*> a variable, <a..b> the range of a number, <x|y> its most frequent words]\n"
        rendered.text = Array(title.utf8) + body
        return rendered
    }

    /// One row: label, count, level, reference span, the template with its values, and an
    /// example message.
    private func describe(_ row: Row, _ reference: ReferenceID) -> String {
        let template = row.template
        let span = ReferenceQuery(id: reference, range: LineRange(template.firstLine, template.lastLine))
        let level = row.level == .none ? "" : " \(row.level.name)"
        var line = "\(row.label) ×\(Format.count(template.count))\(level) · \(span) · \(valued(template))\n"
        if let first = template.signatures.first {
            line += "   e.g. \(Self.clip(miner.lineExample(ofSignature: first), to: 200))\n"
        }
        return line
    }

    /// The template text with each variable that held only numbers shown as its range, and
    /// each that held a few words as those words.
    private func valued(_ template: MinedTemplate) -> String {
        let placeholder = Array("<*>".utf8)
        var tokens = template.text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map(Array.init)
        let words = wordValues(template, positions: tokens.count)
        for p in tokens.indices {
            let token = tokens[p]
            let hits = token.indices.filter { token[$0...].starts(with: placeholder) }
            guard hits.count == 1, let at = hits.first else { continue }
            let value: String
            if let range = template.ranges[p], range.isNumeric {
                value = Self.describe(range)
            } else if let words = words[p] {
                value = words
            } else {
                continue
            }
            tokens[p] = Array(token[..<at]) + Array("<\(value)>".utf8) + Array(token[(at + 3)...])
        }
        return Self.clip(Array(tokens.joined(separator: [UInt8(ascii: " ")])), to: 400)
    }

    /// For positions where every line held a plain word (no digits): the three most frequent
    /// words by line count, and how many others.
    private func wordValues(_ template: MinedTemplate, positions: Int) -> [Int: String] {
        guard template.signatures.count > 1 else { return [:] }
        var masker = TokenMasker()
        var tallies: [Int: [String: Int]] = [:]
        var eligible = Set(0..<positions)
        for s in template.signatures.prefix(256) {
            guard let example = miner.example(ofSignature: s) else { return [:] }
            let weight = miner.count(ofSignature: s)
            example.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { eligible.removeAll(); return }
                masker.tokenize(base, start: 0, end: buffer.count)
                guard masker.tokens.count == positions else { eligible.removeAll(); return }
                for p in eligible {
                    let token = masker.tokens[p]
                    if token.hasVariable { eligible.remove(p); continue }
                    var start = Int(token.start)
                    if token.key != 0, let eq = buffer[start..<Int(token.end)].firstIndex(of: UInt8(ascii: "=")) { start = eq + 1 }
                    let word = Self.clip(Array(buffer[start..<Int(token.end)]), to: 40)
                    tallies[p, default: [:]][word, default: 0] += weight
                }
            }
        }
        var result: [Int: String] = [:]
        for p in eligible {
            guard let tally = tallies[p], tally.count > 1 else { continue }
            let ranked = tally.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            var text = ranked.prefix(3).map { "\($0.key) ×\(Format.count($0.value))" }.joined(separator: "|")
            if ranked.count > 3 || template.signatures.count > 256 { text += "|…" }
            result[p] = text
        }
        return result
    }

    /// `12..4811ms`, or the single value.
    static func describe(_ range: NumericRange) -> String {
        func number(_ v: Double) -> String {
            if range.integral, abs(v) < 1e18 { return String(Int64(v)) }
            var text = Format.fixed(v, digits: 3)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text
        }
        let unit = range.unitText
        if range.minimum == range.maximum { return number(range.minimum) + unit }
        return number(range.minimum) + ".." + number(range.maximum) + unit
    }

    /// Text for the table: escape sequences and control characters removed, at most `limit`
    /// characters.
    private static func clip(_ bytes: [UInt8], to limit: Int) -> String {
        var plain: [UInt8] = []
        TextBuffer.stripEscapes(bytes, into: &plain)
        let scalars = String(decoding: plain, as: UTF8.self).unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
        guard scalars.count > limit else { return String(String.UnicodeScalarView(scalars)) }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "…"
    }
}

/// Lines per signature in one run of omitted lines: exact counts for the first `slots`
/// signatures seen, the rest summed in `other`. Bounded, so every marker can name its
/// largest templates whatever the size of the run.
struct TemplateTally {
    static let slots = 8
    private(set) var counts: [(signature: Int32, count: Int)] = []
    private(set) var other = 0

    mutating func add(_ signature: Int32, _ count: Int = 1) {
        if let i = counts.firstIndex(where: { $0.signature == signature }) {
            counts[i].count += count
        } else if counts.count < Self.slots {
            counts.append((signature, count))
        } else {
            other += count
        }
    }

    /// Takes back one line (the run gave it up as context for a kept line).
    mutating func remove(_ signature: Int32) {
        if let i = counts.firstIndex(where: { $0.signature == signature }) {
            counts[i].count -= 1
            if counts[i].count == 0 { counts.remove(at: i) }
        } else {
            other -= 1
        }
    }

    mutating func merge(_ tally: TemplateTally) {
        for (signature, count) in tally.counts { add(signature, count) }
        other += tally.other
    }
}
