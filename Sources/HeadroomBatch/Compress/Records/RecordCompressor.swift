/// The JSONL compressor (merge stage): adds up the blocks' `RecordSummary`s in order, then
/// renders the section: every field (key path) once with what its values were (the one value
/// of a constant field, the counts of few distinct values, the range of numbers), fields that
/// are always null or empty named once, and verbatim the records worth reading (errors and
/// failures, the largest value of each measure, the first and last records) within the budget,
/// with a marker and reference range for every run of records in between.
final class RecordCompressor {
    /// Fields described at most; the rest are named in one line.
    static let maxFieldLines = 60

    /// A record kept for the bundle, its `line` the line number in the source.
    typealias Kept = RecordSummary.KeptRecord

    private let headRecords: Int
    private let tailRecords: Int
    private var fields: [FieldTally] = []
    private var fieldSlots: [UInt64: Int] = [:]
    private var fieldsOverflowed = false
    private var records = 0
    private var blankLines = 0
    private var notObjects = 0
    private var invalid = 0
    private var unanalyzed = 0
    private var notableCount = 0
    private var notable: [Kept] = []
    private var first: [Kept] = []
    private var last: [Kept] = []
    /// The record with the largest value of each measure, by field slot.
    private var largest: [Int: (value: Double, record: Kept)] = [:]

    init(headRecords: Int, tailRecords: Int) {
        self.headRecords = min(headRecords, RecordAnalyzer.window)
        self.tailRecords = min(tailRecords, RecordAnalyzer.window)
    }

    /// Adds the summary of the next block, whose first line is line `firstLine` of the source.
    func absorb(_ summary: RecordSummary, firstLine: Int) {
        func kept(_ record: RecordSummary.KeptRecord) -> Kept {
            var absorbed = record
            absorbed.line += firstLine
            return absorbed
        }
        let hashes = summary.fieldHashes
        // Block slots are in the block's first-seen order, so new fields join in global
        // first-seen order.
        var slotOf = [Int](repeating: -1, count: summary.fields.count)
        for (blockSlot, hash) in hashes.enumerated() {
            if let slot = fieldSlots[hash] {
                fields[slot].merge(summary.fields[blockSlot])
                slotOf[blockSlot] = slot
            } else if fields.count < RecordSummary.fieldLimit {
                fieldSlots[hash] = fields.count
                slotOf[blockSlot] = fields.count
                fields.append(summary.fields[blockSlot])
            }
        }
        fieldsOverflowed = fieldsOverflowed || summary.fieldsOverflowed || slotOf.contains(-1)
        records += summary.records
        blankLines += summary.blankLines
        notObjects += summary.notObjects
        invalid += summary.invalid
        unanalyzed += summary.unanalyzed
        notableCount += summary.notableCount
        for record in summary.notable where notable.count < RecordSummary.notableLimit { notable.append(kept(record)) }
        for record in summary.first where first.count < headRecords { first.append(kept(record)) }
        last.append(contentsOf: summary.last.map(kept))
        if last.count > tailRecords { last.removeFirst(last.count - tailRecords) }
        for (blockSlot, entry) in summary.largest.sorted(by: { $0.key < $1.key }) {
            let slot = slotOf[blockSlot]
            guard slot >= 0 else { continue }
            if let current = largest[slot], current.value >= entry.value { continue }
            largest[slot] = (entry.value, kept(entry.record))
        }
    }

    /// The section body within `budget` tokens (0: no bound); `tokens` counts rendered text.
    func finish(reference: ReferenceID, budget: Int, tokens: ([UInt8]) -> Int) -> CompressedBody {
        let overview = describeFields()
        let candidates = candidateRecords()
        var allowance = budget > 0 ? max(0, budget - overview.count / 4) : Int.max
        var body = render(reference, overview, select(candidates, within: allowance))
        guard budget > 0 else { return body }
        // Selection prices records at bytes / 4: count the result and rescale once.
        let spent = tokens(body.body)
        if spent > budget || (spent < budget * 9 / 10 && body.omissions.count > 0) {
            allowance = Int(Double(allowance) * Double(budget) / Double(max(spent, 1)))
            let retry = render(reference, overview, select(candidates, within: allowance))
            if tokens(retry.body) <= budget || tokens(retry.body) < spent { body = retry }
        }
        return body
    }

    /// Records that may be shown, best first: the first failure of each kind (`status=500`,
    /// `error`), the record with the largest value of each measure, the first and the last
    /// record, then the other failures and the head and tail windows, from both ends inwards.
    /// Each line once.
    private func candidateRecords() -> [Kept] {
        var seen = Set<Int>()
        var out: [Kept] = []
        func add(_ record: Kept) { if seen.insert(record.line).inserted { out.append(record) } }
        var kinds = Set<String>()
        for record in notable where kinds.insert(record.reason).inserted { add(record) }
        largest.sorted { $0.key < $1.key }.forEach { add($0.value.record) }
        if let head = first.first { add(head) }
        if let tail = last.last { add(tail) }
        var windows: [Kept] = []
        for k in 0..<max(first.count, last.count) {
            if k < first.count { windows.append(first[k]) }
            if k < last.count { windows.append(last[last.count - 1 - k]) }
        }
        var low = 0, high = notable.count - 1, window = 0
        while low <= high || window < windows.count {
            if low <= high { add(notable[low]); low += 1 }
            if low <= high { add(notable[high]); high -= 1 }
            if window < windows.count { add(windows[window]); window += 1 }
        }
        return out
    }

    /// The candidates that fit `allowance` tokens (bytes / 4, plus a marker each), in order of
    /// preference.
    private func select(_ candidates: [Kept], within allowance: Int) -> [Kept] {
        var spent = 0
        var chosen: [Kept] = []
        for record in candidates {
            let cost = record.bytes.count / 4 + 30
            if spent + cost > allowance { continue }
            spent += cost
            chosen.append(record)
        }
        return chosen.sorted { $0.line < $1.line }
    }

    private func render(_ reference: ReferenceID, _ overview: [UInt8], _ shown: [Kept]) -> CompressedBody {
        var out = TextBuffer()
        out.append(overview)
        var omissions: [Omission] = []
        let lastLine = totalLines
        var next = 1
        let unit = blankLines == 0 ? "records" : "lines"
        func gap(upTo line: Int) {
            guard line > next else { return }
            let range = LineRange(next, line - 1)
            let failures = notable.filter { $0.line >= range.first && $0.line <= range.last && !$0.broken }.count
            let omission = Omission(unit: unit, range: range, count: range.count,
                                    kinds: failures > 0 ? [("failures", failures)] : [], reference: reference)
            omissions.append(omission)
            let detail = failures > 0 ? " (\(Format.count(failures)) with errors or failures)" : ""
            out.append("[... \(Format.count(range.count)) \(range.count == 1 ? String(unit.dropLast()) : unit) omitted\(detail) · lines \(range) · \(omission.query) ...]\n")
        }
        for record in shown {
            gap(upTo: record.line)
            if !record.reason.isEmpty { out.append("[line \(record.line) · \(record.reason)]\n") }
            out.appendLine(stripping: record.bytes)
            next = record.line + 1
        }
        gap(upTo: lastLine + 1)
        return CompressedBody(body: out.bytes, omissions: omissions)
    }

    /// Lines in the source as far as the records show (the last record's line, or more).
    private var totalLines: Int { max(last.last?.line ?? 0, records + blankLines) }

    /// The field table: one line per field, constant and empty fields grouped.
    private func describeFields() -> [UInt8] {
        var out = TextBuffer()
        var facts = ["\(Format.count(records)) JSON records, one a line"]
        let failures = notableCount - invalid
        if failures > 0 { facts.append("\(Format.count(failures)) with errors or failures") }
        if invalid > 0 { facts.append("\(Format.count(invalid)) \(invalid == 1 ? "line" : "lines") not JSON") }
        if notObjects > invalid { facts.append("\(Format.count(notObjects)) not objects") }
        if unanalyzed > 0 { facts.append("\(Format.count(unanalyzed)) over \(Format.bytes(RecordAnalyzer.maxRecordBytes)) not analyzed") }
        out.append("[\(facts.joined(separator: " · "))]\n")
        guard !fields.isEmpty else { return out.bytes }
        out.append("[fields: key path: values over all records (×count; a..b the range of numbers; in N: present in N records only)]\n")
        var constant: [String] = []
        var empty: [String] = []
        var described = 0
        var undescribed: [String] = []
        let parsed = records - invalid - unanalyzed
        for field in fields {
            let path = String(decoding: field.path, as: UTF8.self)
            let presence = field.records < parsed && !isNested(field) ? " (in \(Format.count(field.records)))" : ""
            if field.alwaysEmpty {
                empty.append(path + presence)
                continue
            }
            if field.containers == field.occurrences { continue }
            if let values = field.values, values.count == 1, field.nulls == 0 {
                constant.append("\(path)=\(String(decoding: values[0].text, as: UTF8.self))\(presence)")
                continue
            }
            guard described < Self.maxFieldLines else {
                undescribed.append(path)
                continue
            }
            described += 1
            out.append("\(path): \(describe(field))\(presence)\n")
        }
        if !constant.isEmpty { out.append("same in every record: \(constant.joined(separator: ", "))\n") }
        if !empty.isEmpty { out.append("always null or empty: \(empty.joined(separator: ", "))\n") }
        if !undescribed.isEmpty { out.append("also: \(undescribed.joined(separator: ", "))\n") }
        if fieldsOverflowed { out.append("[more than \(Format.count(RecordSummary.fieldLimit)) distinct fields: the tallies above are partial]\n") }
        return out.bytes
    }

    private func isNested(_ field: FieldTally) -> Bool { field.path.contains(UInt8(ascii: "[")) }

    /// `"open" ×40 · "closed" ×3`, or `number 3..52 · > 64 distinct`, or `string · > 64 distinct · e.g. "…"`;
    /// objects and arrays counted as `{…} ×N`.
    private func describe(_ field: FieldTally) -> String {
        var parts: [String] = []
        if let values = field.values, values.count <= 12 {
            // The distinct scalar values, null among them.
            let sorted = values.sorted { $0.count > $1.count }
            parts.append(sorted.map { "\(String(decoding: $0.text, as: UTF8.self)) ×\(Format.count($0.count))" }.joined(separator: " · "))
        } else {
            if field.numbers > 0 {
                parts.append("number \(String(decoding: field.minimumText, as: UTF8.self))..\(String(decoding: field.maximumText, as: UTF8.self))")
            }
            if field.strings > 0 { parts.append("string") }
            if field.booleans > 0 { parts.append("boolean") }
            parts.append(field.values.map { "\($0.count) distinct" } ?? "> \(FieldTally.maxDistinct) distinct")
            if field.strings > 0 { parts.append("e.g. \(String(decoding: field.example, as: UTF8.self))") }
            if field.nulls > 0 { parts.append("null ×\(Format.count(field.nulls))") }
        }
        if field.containers > 0 { parts.append("{…} ×\(Format.count(field.containers))") }
        return parts.joined(separator: " · ")
    }
}
