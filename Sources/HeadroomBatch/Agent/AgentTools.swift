/// What an agent may do with the archive (the MCP server's tools), as plain functions that
/// return text bounded in size: retrieve originals (a range, or the lines matching words),
/// search them, compress a payload, and report what the archive holds. Stored originals are
/// never modified: compress only adds.
public final class AgentTools {
    /// Bytes and lines one result may hold at most; a longer original is paged.
    public static let maxBytes = 64 << 10
    public static let maxLines = 2000

    private let archive: Archive
    private let tokenizer: TokenCounter

    public init(archive: Archive, tokenizer: TokenCounter) {
        self.archive = archive
        self.tokenizer = tokenizer
    }

    /// The original bytes of `reference` (`hb_…` with an optional `:A-B`), or of `lines`
    /// (`A-B`) of it; with `query`, only its lines containing every word of the query (any
    /// case), each as `N: text`. Past `maxBytes` or `maxLines` the text ends with how to
    /// page on (`lines=A-B`).
    public func retrieve(_ reference: String, lines: String? = nil, query: String? = nil) throws -> String {
        var target = try ReferenceQuery.parse(reference)
        if let lines {
            guard target.range == nil else {
                throw HeadroomError(.reference, reference, "give the range either as :A-B or as lines, not both")
            }
            target.range = try LineRange.parse(Substring(lines), subject: "lines \(lines)")
        }
        let stored = try archive.lookup(target.id)
        guard !stored.binary else {
            return "[\(stored.id) holds binary content (\(Format.bytes(stored.size))): use `headroom-batch retrieve \(stored.id)` to get its bytes]"
        }
        let range = target.range ?? LineRange(1, max(stored.lines, 1))
        let words = query.map { $0.lowercased().split(separator: " ").map { Array($0.utf8) } } ?? []
        var out: [UInt8] = []
        var matches = 0
        var lineNumber = range.first
        var pending: [UInt8] = []
        var stoppedAt: Int?

        func take(_ line: ArraySlice<UInt8>) throws {
            defer { lineNumber += 1 }
            if words.isEmpty {
                if out.count + line.count + 1 > Self.maxBytes || lineNumber - range.first >= Self.maxLines {
                    stoppedAt = lineNumber
                    throw Enough()
                }
                out.append(contentsOf: line)
                out.append(10)
            } else if Self.contains(line, every: words) {
                matches += 1
                guard out.count + line.count < Self.maxBytes, matches <= Self.maxLines else {
                    stoppedAt = lineNumber
                    throw Enough()
                }
                out.append(contentsOf: "\(lineNumber): ".utf8)
                out.append(contentsOf: line)
                out.append(10)
            }
        }
        do {
            try archive.retrieve(ReferenceQuery(id: stored.id, range: target.range)) { bytes in
                var start = 0
                while let newline = bytes.firstIndex(of: 10, from: start) {
                    if pending.isEmpty {
                        try take(Array(bytes[start..<newline])[...])
                    } else {
                        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<newline]))
                        try take(pending[...])
                        pending.removeAll()
                    }
                    start = newline + 1
                }
                if start < bytes.count {
                    // A line going on in the next block; a line longer than a result is cut.
                    let room = max(0, Self.maxBytes + 1 - pending.count)
                    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + room)]))
                }
            }
            if !pending.isEmpty { try take(pending[...]) }
        } catch is Enough {}
        var text = String(decoding: out, as: UTF8.self)
        if let stoppedAt {
            let what = words.isEmpty ? "lines \(range.first)-\(stoppedAt - 1) shown" : "\(matches - 1) matching lines shown, up to line \(stoppedAt - 1)"
            text += "[… \(what); the rest is larger than one result (\(Format.bytes(Self.maxBytes)) or \(Format.count(Self.maxLines)) lines): "
                + "call again with lines=\(stoppedAt)-\(range.last)]\n"
        } else if !words.isEmpty && matches == 0 {
            text = "[no line of \(ReferenceQuery(id: stored.id, range: target.range)) contains every word of: \(query ?? "")]\n"
        }
        return text
    }

    /// The best chunks of the archived originals for `query` (full text, BM25).
    public func search(_ query: String, limit: Int = 10) throws -> String {
        let index = try SearchIndex(archive: archive)
        try index.refresh()
        let hits = try index.search(query, limit: min(max(limit, 1), 100))
        guard !hits.isEmpty else { return "no match for: \(query)\n" }
        return hits.enumerated().map { rank, hit in
            "\(rank + 1). \(hit.reference) · \(hit.source) · score \(Format.fixed(hit.score, digits: 2))\n   \(hit.snippet)\n"
        }.joined()
    }

    /// The bundle section of `text`, archived like any input (`kind` overrides the detection;
    /// `budget` as `--budget` takes it, `3000` or `40%`).
    public func compress(_ text: String, kind: String? = nil, budget: String? = nil, title: String = "payload") throws -> String {
        var options = CompressOptions(jobs: 1)
        if let kind {
            guard let parsed = ContentKind(rawValue: kind) else {
                throw HeadroomError(.usage, kind, "unknown kind; one of \(ContentKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.kind = parsed
        }
        if let budget {
            guard let parsed = TokenBudget(budget) else { throw HeadroomError(.usage, budget, "a budget is a token count (3000) or a share (40%)") }
            options.budget = parsed
        }
        let payload = EmbeddedPayload(title: title, pathHint: nil, bytes: .memory(SharedBytes(Array(text.utf8))))
        var section: Section?
        var failure: HeadroomError?
        _ = CompressRun(options: options, archive: archive, tokenizer: tokenizer)
            .run([.payload(payload)], failed: { failure = $0 }, emit: { section = $0 })
        guard let section else { throw failure ?? HeadroomError(.input, title, "produced no section") }
        var out = String(decoding: BundleRenderer(tokenizerName: tokenizer.name).text(section), as: UTF8.self)
        if let failure { out = "[note: \(failure.message)]\n" + out }
        return out
    }

    /// What the archive holds and what it saved.
    public func stats() throws -> String { try archive.stats().text(archive: archive.path) }

    private struct Enough: Error {}

    private static func contains(_ line: ArraySlice<UInt8>, every words: [[UInt8]]) -> Bool {
        let lower = line.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return words.allSatisfy { word in
            guard !word.isEmpty, word.count <= lower.count else { return word.isEmpty }
            var i = 0
            while i + word.count <= lower.count {
                if lower[i] == word[0] && lower[i..<(i + word.count)].elementsEqual(word) { return true }
                i += 1
            }
            return false
        }
    }
}
