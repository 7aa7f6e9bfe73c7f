/// The worker side of JSONL compression: parses each line of a block as one JSON record and
/// adds it to the block's `RecordSummary`. One per worker; its scratch buffers are reused.
struct RecordAnalyzer {
    /// First and last records of each block kept for the head and tail windows.
    static let window = 32
    /// Records longer than this are counted, not parsed.
    static let maxRecordBytes = 1 << 20

    private var line: [UInt8] = []
    private var pathHashes: [UInt64] = []

    /// Fills `summary` from the lines of `bytes`; returns the number of newlines.
    /// `startsMidLine`: the first line is the rest of a record counted in the block before;
    /// `endsMidLine`: the last line goes on in the next block.
    mutating func analyze(_ bytes: UnsafeRawBufferPointer, startsMidLine: Bool, endsMidLine: Bool,
                          into summary: inout RecordSummary) -> Int {
        var start = 0
        var index = 0
        var newlines = 0
        // Byte ranges and indices of the block's last records, copied at the end.
        var lastRing: [(index: Int, range: Range<Int>)] = []
        while start < bytes.count {
            let newline = bytes.firstIndex(of: 10, from: start)
            let end = newline ?? bytes.count
            defer {
                index += 1
                start = end + 1
            }
            if newline != nil { newlines += 1 }
            if index == 0 && startsMidLine { continue }
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd])
            if text.allSatisfy({ $0 == 32 || $0 == 9 }) {
                summary.blankLines += 1
                continue
            }
            summary.records += 1
            if (newline == nil && endsMidLine) || text.count > Self.maxRecordBytes {
                summary.unanalyzed += 1
                continue
            }
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: text)
            let kept = { (reason: String) in RecordSummary.KeptRecord(line: index, bytes: Array(text), reason: reason) }
            if summary.first.count < Self.window { summary.first.append(kept("")) }
            if lastRing.count == Self.window { lastRing.removeFirst() }
            lastRing.append((index, start..<lineEnd))
            switch JSONDocument.parse(line) {
            case .failure(let error):
                summary.invalid += 1
                var record = kept("not JSON: \(error.message)")
                record.broken = true
                note(record, in: &summary)
            case .success(let document):
                if document.kind(document.root) != .object { summary.notObjects += 1 }
                if let reason = tally(document, record: index, text: text, into: &summary) { note(kept(reason), in: &summary) }
            }
        }
        summary.last = lastRing.map { .init(line: $0.index, bytes: Array(bytes[$0.range]), reason: "") }
        return newlines
    }

    private func note(_ record: RecordSummary.KeptRecord, in summary: inout RecordSummary) {
        summary.notableCount += 1
        if summary.notable.count < RecordSummary.notableLimit { summary.notable.append(record) }
    }

    /// Counts every value of the record under its key path; returns why the record marks an
    /// error or a failure, if it does (`RecordSignals`), and notes the record where it holds
    /// the block's largest value of a measure.
    private mutating func tally(_ document: JSONDocument, record: Int, text: UnsafeRawBufferPointer,
                                into summary: inout RecordSummary) -> String? {
        let nodes = document.nodes
        pathHashes.removeAll(keepingCapacity: true)
        pathHashes.append(0xcbf2_9ce4_8422_2325)
        var reason: String?
        document.bytes.withUnsafeBytes { raw in
            for index in 1..<nodes.count {
                let node = nodes[index]
                let parentHash = pathHashes[Int(node.parent)]
                var hash = (parentHash ^ (node.hasKey ? 0x2e : 0x5b)) &* 0x100_0000_01b3
                if node.hasKey {
                    for byte in UnsafeRawBufferPointer(rebasing: raw[node.keyStart..<node.keyEnd]) {
                        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                    }
                }
                hash |= 1
                pathHashes.append(hash)
                guard let slot = summary.slot(hash, make: { Self.field(index, in: document) }) else { continue }
                let value = UnsafeRawBufferPointer(rebasing: raw[node.start..<node.end])
                summary.fields[slot].count(node.kind, text: value, record: record)
                let role = summary.fields[slot].role
                guard role != .none, !node.kind.isContainer || role == .error else { continue }
                let key = UnsafeRawBufferPointer(rebasing: raw[node.keyStart..<node.keyEnd])
                if role == .measure {
                    guard node.kind == .number, let number = NumberText.value(value) else { continue }
                    if let current = summary.largest[slot], current.value >= number { continue }
                    summary.largest[slot] = (number, .init(line: record, bytes: Array(text),
                                                            reason: "the largest \(String(decoding: key, as: UTF8.self))"))
                } else if reason == nil {
                    reason = RecordSignals.failure(role, key: key, kind: node.kind, text: value)
                }
            }
        }
        return reason
    }

    /// A new tally for node `index`: its key path and role.
    private static func field(_ index: Int, in document: JSONDocument) -> FieldTally {
        let node = document[index]
        let key = node.hasKey ? document.bytes[node.keyStart..<node.keyEnd] : nil
        return FieldTally(path: path(of: index, in: document),
                          role: RecordSignals.role(key: key, topLevel: node.parent == 0 && document.kind(0) == .object))
    }

    /// `user.login`, `labels[].name`: the key path of node `index`.
    private static func path(of index: Int, in document: JSONDocument) -> [UInt8] {
        var parts: [[UInt8]] = []
        var current = index
        while current > 0 {
            let node = document[current]
            parts.append(node.hasKey ? Array(document.bytes[node.keyStart..<node.keyEnd]) : Array("[]".utf8))
            current = Int(node.parent)
        }
        var path: [UInt8] = []
        for part in parts.reversed() {
            if !path.isEmpty && part != Array("[]".utf8) { path.append(46) }
            path.append(contentsOf: part)
        }
        return path
    }
}
