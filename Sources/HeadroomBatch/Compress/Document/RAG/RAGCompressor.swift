/// Compresses RAG records (JSONL, one retrieved record per line).
///
/// Lossless: exact duplicates are printed once with the ids of every record they stand for,
/// overlapping windows of one source are stitched so shared lines appear once, near-duplicate
/// passages (MinHash over word shingles, Jaccard ≥ `options.nearDuplicateThreshold`) are
/// printed as their line differences from one canonical passage when those are small,
/// boilerplate (runs of lines repeated in at least `options.boilerplateMinSources` sources) is
/// stated once and referenced `[Bn]`, passages are grouped under their source (or under their
/// query, in score order, when records carry one), every other passage line is printed
/// verbatim, and lines that are not records are kept as they are. Past `context.budget` (and
/// only when not lossless) whole passages are dropped, least relevant to `context.query` first
/// (else least often retrieved), their headers (ids) kept while they fit, and each run of
/// omitted records becomes a marker `[... 40 records omitted (…) · lines A-B · hb_…:A-B ...]`;
/// with `options.extractive`, the sentences most relevant to the query are kept instead
/// (`RAGExtractiveSelection`), each run of omitted ones marked in place.
struct RAGCompressor: DocumentCompressor {
    var options = RAGOptions()

    func compress(_ document: [UInt8], context: DocumentContext) -> CompressedBody {
        let input = RAGRecords(document, fields: options.fields)
        let stitcher = PassageStitcher(input.records)
        var renderer = RAGRenderer(input: input, stitcher: stitcher, context: context, options: options)
        let everything = [Bool](repeating: true, count: stitcher.passages.count)
        let full = renderer.render(kept: everything, droppedHeaders: true)
        guard !context.lossless, context.budget > 0, context.tokens(full.body) > context.budget else { return full }
        let ranking = RAGPassageRanking(input: input, stitcher: stitcher, query: context.query)
        if options.extractive {
            renderer.cutReason = "no sentence selected"
            return RAGExtractiveSelection(renderer: renderer, ranking: ranking, context: context).fit()
        }
        renderer.cutReason = ranking.reason
        return RAGBudget(renderer: renderer, order: ranking.order, context: context).fit()
    }
}

/// Settings of the RAG compressor (`compress --kind rag` and the nightly pipeline).
public struct RAGOptions: Sendable, Equatable {
    /// Which record keys hold the text, id, source, query and score.
    public var fields = RAGFieldMapping()
    /// The estimated Jaccard similarity (over word shingles) from which two passages are
    /// near-duplicates (printed as their differences from a canonical passage); above 1 turns
    /// near-duplicate grouping off.
    public var nearDuplicateThreshold = NearDuplicateGrouper.threshold
    /// Words per shingle of the near-duplicate comparison (at least 1): fewer words find
    /// passages that share phrasing, more find passages that share whole runs of text.
    public var shingleWords = NearDuplicateGrouper.shingleWords
    /// Lines repeated verbatim in the passages of at least this many distinct sources are
    /// boilerplate (navigation, footers, licence headers): stated once at the top, each
    /// occurrence written `[Bn]`. 0 turns folding off. The default, 5, is where a repeat stops
    /// looking like a quotation two or three documents share (a definition, a see-also line)
    /// and starts looking like a template every page of a site carries; records without a
    /// source count as a source each.
    public var boilerplateMinSources = 5
    /// Lossy, off by default: past the budget (and only when not lossless), keep of each
    /// passage the sentences most relevant to the query (the records' own, else `--query`)
    /// rather than whole passages; every run of omitted sentences is marked with its record's
    /// reference.
    public var extractive = false

    public init() {}
}

/// The order in which passages are kept under a budget: most relevant to the query first
/// (BM25 over the passage text), then most often retrieved, then first retrieved.
struct RAGPassageRanking {
    /// Passage indices, the one to keep first at the front.
    let order: [Int]
    /// Why the tail of `order` goes first, in words for a marker.
    let reason: String

    init(input: RAGRecords, stitcher: PassageStitcher, query: String) {
        let ranker = BM25Ranker(query: query)
        let relevance: [Double]
        if ranker.isEmpty {
            relevance = [Double](repeating: 0, count: stitcher.passages.count)
            reason = "retrieved least often"
        } else {
            relevance = ranker.scores(stitcher.passages.map(stitcher.text(of:)))
            reason = "least relevant to the query"
        }
        let retrievals = stitcher.passages.map { passage in
            passage.windows.reduce(0) { $0 + stitcher.windows[$1.window].records.count }
        }
        order = stitcher.passages.indices.sorted { a, b in
            if relevance[a] != relevance[b] { return relevance[a] > relevance[b] }
            if retrievals[a] != retrievals[b] { return retrievals[a] > retrievals[b] }
            return stitcher.passages[a].firstRecord < stitcher.passages[b].firstRecord
        }
    }
}

/// Chooses the passages that fit `context.budget`: first with the headers (ids) of the
/// dropped passages shown, then, if even those do not fit, without them.
struct RAGBudget {
    let renderer: RAGRenderer
    let order: [Int]
    let context: DocumentContext

    func fit() -> CompressedBody {
        let passages = renderer.stitcher.passages.count
        let none = [Bool](repeating: false, count: passages)
        for droppedHeaders in [true, false] {
            let base = renderer.render(kept: none, droppedHeaders: droppedHeaders)
            let baseTokens = context.tokens(base.body)
            guard baseTokens <= context.budget || !droppedHeaders else { continue }
            guard baseTokens <= context.budget else { return base }
            return grow(from: baseTokens, droppedHeaders: droppedHeaders) ?? base
        }
        return renderer.render(kept: none, droppedHeaders: false)
    }

    /// Adds passages in ranking order while the estimate fits, then checks the real count and
    /// drops the last added until it fits.
    private func grow(from baseTokens: Int, droppedHeaders: Bool) -> CompressedBody? {
        var kept = [Bool](repeating: false, count: renderer.stitcher.passages.count)
        var added: [Int] = []
        var estimate = baseTokens
        for passage in order {
            let cost = textCost(passage, droppedHeaders: droppedHeaders)
            if estimate + cost > context.budget { continue }
            estimate += cost
            kept[passage] = true
            added.append(passage)
        }
        while true {
            let body = renderer.render(kept: kept, droppedHeaders: droppedHeaders)
            let tokens = context.tokens(body.body)
            if tokens <= context.budget { return body }
            guard let last = added.popLast() else { return nil }
            kept[last] = false
            // Drop more at once when far over, by the estimated cost.
            var excess = tokens - context.budget - textCost(last, droppedHeaders: droppedHeaders)
            while excess > 0, let next = added.popLast() {
                kept[next] = false
                excess -= textCost(next, droppedHeaders: droppedHeaders)
            }
        }
    }

    /// Tokens a passage adds when kept rather than cut (its text, and its header when the
    /// headers of cut passages are not shown).
    private func textCost(_ passage: Int, droppedHeaders: Bool) -> Int {
        var full = TextBuffer()
        renderer.passageBlock(passage, sourceLabel: nil, withText: true, into: &full)
        var cost = context.tokens(full.bytes)
        if droppedHeaders {
            var head = TextBuffer()
            renderer.passageBlock(passage, sourceLabel: nil, withText: false, into: &head)
            cost -= context.tokens(head.bytes)
        }
        // Kept records can split a run of omitted ones: one more marker each, at most; a
        // source header may appear too.
        let records = renderer.stitcher.passages[passage].windows.reduce(0) { $0 + renderer.stitcher.windows[$1.window].records.count }
        return max(1, cost) + records * Self.markerTokens + Self.markerTokens
    }

    /// About what one marker (or a source header) costs.
    static let markerTokens = 40
}
