/// A template id: a content hash of the template text (64-bit FNV-1a, printed as 16 hex
/// digits), the same across runs, machines and miners.
struct TemplateID: Hashable, Comparable, CustomStringConvertible {
    let value: UInt64

    /// The id of a template text.
    init(text: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        value = h
    }

    var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func < (a: TemplateID, b: TemplateID) -> Bool { a.value < b.value }
}

/// A mined template, as reported by `TemplateMiner.templates`.
struct MinedTemplate {
    /// The template text with `<*>` for variables (the message part, header removed).
    var text: String
    var id: TemplateID
    /// Lines assigned to it.
    var count: Int
    /// 1-based numbers (in the order lines were added) of its first and last line.
    var firstLine: Int
    var lastLine: Int
    /// Messages of a few of its lines, of different shapes (at most `Options.examples`).
    var examples: [String]
    /// Its signatures (miner indices), in order of first appearance.
    var signatures: [Int]
    /// The numbers seen at a token position over all its lines, by position; `mixed` where
    /// some of its lines held no number there, or were not ranged.
    var ranges: [Int: NumericRange]
}

/// Mines line templates from raw log lines: finds the header (`LineHeader`), masks variables
/// in the message (`TokenMasker`) and clusters the hashed tokens (`TemplateTree`).
///
/// Deterministic: the same lines in the same order give the same templates, ids and
/// assignments. Memory is bounded by the number of templates (unless `recordAssignments`).
/// Not thread-safe; use one miner per worker.
final class TemplateMiner {
    struct Options {
        /// Fraction of a template's word positions a line must share to join it (Drain's `st`).
        var similarity: Double = 0.72
        /// Leading tokens that route a line in the tree (Drain's depth minus 2).
        var prefixTokens: Int = 1
        /// A wildcard position whose values are words with at most this many distinct values
        /// splits its template (0 disables).
        var maxDiscriminatingValues: Int = 2
        /// The same for `key=value` tokens (settings and modes: `user=root`, `state=RUNNING`).
        var maxDiscriminatingKeyValues: Int = 3
        /// Distinct line shapes remembered (each keeps one example message).
        var signatureLimit: Int = 1 << 16
        /// Message examples reported per template.
        var examples: Int = 3
        /// Keep every line's signature, for `assignments()` (memory grows with lines).
        var recordAssignments: Bool = false

        init() {}
    }

    let options: Options
    private var tree: TemplateTree
    private var masker = TokenMasker()
    private var lineCount = 0
    private var recorded: [Int32] = []
    /// Numeric ranges of each signature's first variable tokens.
    private var ranges: [SignatureRanges] = []
    /// The first line of each signature (its first `ChunkSignatures.lineExampleLimit` bytes).
    private var lineExamples: [[UInt8]] = []
    private var single = ChunkSignatures()
    private var finalCache: (signatures: Int, lines: Int, texts: [String], ids: [TemplateID])?

    init(options: Options = .init()) {
        self.options = options
        tree = TemplateTree(similarity: options.similarity, prefixTokens: options.prefixTokens,
                            signatureLimit: options.signatureLimit,
                            maxDiscriminatingValues: options.maxDiscriminatingValues,
                            maxDiscriminatingKeyValues: options.maxDiscriminatingKeyValues)
    }

    /// Lines added so far.
    var linesAdded: Int { lineCount }

    /// Adds one raw line (a trailing newline is ignored); returns the line's *signature*
    /// index in this miner: a stable handle whose final template id is
    /// `templateID(ofSignature:)`, read once all lines are in (templates generalise and split
    /// as lines arrive). The same as absorbing a chunk of one line.
    @discardableResult
    func add(_ line: UnsafeRawBufferPointer) -> Int {
        single.reset()
        single.add(line)
        return absorb(single)[0]
    }

    /// Adds one line given as bytes.
    @discardableResult
    func add(_ line: [UInt8]) -> Int { line.withUnsafeBytes { add($0) } }

    /// Adds the lines of a chunk whose signatures were computed apart (on another thread),
    /// as if each line had been passed to `add` in order; returns each line's signature index.
    /// Chunks must be absorbed in input order; the result is then the same whatever the chunk
    /// boundaries, because the tree sees each distinct line shape once, in order of first
    /// occurrence, and the numeric ranges merge without regard to order.
    @discardableResult
    func absorb(_ chunk: ChunkSignatures) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(chunk.lineSignatures.count)
        // The miner index of each entry of the chunk, set at its first line.
        var indexOfEntry = [Int](repeating: -1, count: chunk.entries.count)
        for (signature, entry) in zip(chunk.lineSignatures, chunk.lineEntries) {
            lineCount += 1
            let index: Int
            if let known = tree.recordKnown(signature, lineNumber: lineCount) {
                index = known
            } else {
                let message = chunk.entries[Int(entry)].message
                let padded = message.isEmpty ? [0] : message
                index = padded.withUnsafeBufferPointer { buffer in
                    masker.tokenize(buffer.baseAddress!, start: 0, end: message.count)
                    return tree.add(masker.tokens, base: buffer.baseAddress!, messageStart: 0, messageEnd: message.count,
                                    lineNumber: lineCount)
                }
            }
            if indexOfEntry[Int(entry)] < 0 { indexOfEntry[Int(entry)] = index }
            result.append(record(index))
        }
        while ranges.count < tree.signatures.count { ranges.append(SignatureRanges()) }
        while lineExamples.count < tree.signatures.count { lineExamples.append([]) }
        for (entry, index) in zip(chunk.entries, indexOfEntry) where index >= 0 {
            if lineExamples[index].isEmpty { lineExamples[index] = entry.line }
            ranges[index].merge(entry.ranges)
        }
        return result
    }

    @inline(__always)
    private func record(_ signature: Int) -> Int {
        if options.recordAssignments { recorded.append(Int32(signature)) }
        return signature
    }

    private func final() -> (texts: [String], ids: [TemplateID]) {
        if let cached = finalCache, cached.signatures == tree.signatures.count, cached.lines == lineCount {
            return (cached.texts, cached.ids)
        }
        let texts = tree.finalTemplates()
        let ids = texts.map { TemplateID(text: $0) }
        finalCache = (tree.signatures.count, lineCount, texts, ids)
        return (texts, ids)
    }

    /// The message of the first line of a signature (nil for a signature past the limit).
    func example(ofSignature index: Int) -> [UInt8]? { tree.signatures[index].example }

    /// The first line of a signature, header and all (cut at `ChunkSignatures.lineExampleLimit`
    /// bytes).
    func lineExample(ofSignature index: Int) -> [UInt8] { index < lineExamples.count ? lineExamples[index] : [] }

    /// The cluster of a signature: signatures of one cluster share a template or differ
    /// only in a few discriminating words. Stable once the signature exists.
    func cluster(ofSignature index: Int) -> Int { Int(tree.signatures[index].cluster) }

    /// Lines of a signature so far.
    func count(ofSignature index: Int) -> Int { tree.signatures[index].count }


    /// The template id of a signature, given the lines added so far.
    func templateID(ofSignature index: Int) -> TemplateID { final().ids[index] }

    /// The templates, one per distinct template text, in order of first appearance.
    var templates: [MinedTemplate] {
        let (texts, ids) = final()
        var result: [MinedTemplate] = []
        var position: [TemplateID: Int] = [:]
        for (s, signature) in tree.signatures.enumerated() {
            let id = ids[s]
            let example = signature.example.map { String(decoding: $0, as: UTF8.self) }
            if let at = position[id] {
                result[at].signatures.append(s)
                result[at].count += signature.count
                result[at].firstLine = min(result[at].firstLine, signature.firstLine)
                result[at].lastLine = max(result[at].lastLine, signature.lastLine)
                if let example = example, result[at].examples.count < options.examples {
                    result[at].examples.append(example)
                }
            } else {
                position[id] = result.count
                result.append(MinedTemplate(text: texts[s], id: id, count: signature.count,
                                            firstLine: signature.firstLine, lastLine: signature.lastLine,
                                            examples: example.map { [$0] } ?? [], signatures: [s], ranges: [:]))
            }
        }
        for t in result.indices { result[t].ranges = templateRanges(result[t].signatures) }
        result.sort { $0.firstLine < $1.firstLine }
        return result
    }

    /// The ranges of a template's positions over all its signatures: a position ranged in
    /// every signature merges; one that some signature did not range is `mixed`.
    private func templateRanges(_ signatures: [Int]) -> [Int: NumericRange] {
        var merged: [Int: NumericRange] = [:]
        var seen: [Int: Int] = [:]
        for s in signatures where s < ranges.count {
            for (k, p) in ranges[s].positions.enumerated() {
                merged[Int(p), default: NumericRange()].merge(ranges[s].ranges[k])
                seen[Int(p), default: 0] += 1
            }
        }
        for (p, count) in seen where count < signatures.count { merged[p]?.mixed = true }
        return merged
    }

    /// The final template id of every added line, in order (requires `recordAssignments`).
    func assignments() -> [TemplateID] {
        precondition(options.recordAssignments, "TemplateMiner: assignments need Options.recordAssignments")
        let ids = final().ids
        return recorded.map { ids[Int($0)] }
    }
}
