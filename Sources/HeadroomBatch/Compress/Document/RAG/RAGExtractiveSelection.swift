/// Lossy extractive selection under a budget (`RAGOptions.extractive`): instead of dropping
/// whole passages, keeps the sentences (`PassageSentences`) most relevant to the query, each
/// passage's in their original order.
///
/// Sentences are ranked by BM25 (`BM25Ranker`, function words left out of the query) against
/// the queries of the records that retrieved their passage (the most favourable when
/// several), else against `context.query`; after the matching sentences come, as context,
/// the others of their passages, nearest first. Without any query, the opening sentences of
/// every passage come first (the first sentence of each passage in passage ranking order, then
/// the second, …). A sentence equal to one already kept is not kept again. A window (record)
/// none of whose sentences is kept counts as an omitted record. The headers (ids) of cut
/// passages are shown only when they take at most half the budget: the sentences are what
/// selection is for. Sentences are added while an estimate of the body fits the budget
/// (their tokens, the window's header line when it opens, the markers a cut adds or
/// removes); the real count then decides, the last added going first, and the room left is
/// filled again.
struct RAGExtractiveSelection {
    let renderer: RAGRenderer
    let ranking: RAGPassageRanking
    let context: DocumentContext

    /// Rounds of filling and checking the real count at most.
    static let rounds = 4

    /// The body within `context.budget`: the most relevant sentences that fit, or, when even
    /// the body without any does not fit, that body.
    func fit() -> CompressedBody {
        let stitcher = renderer.stitcher
        let lines = stitcher.passages.indices.map { RAGNearDuplicateText.lines(of: $0, stitcher) }
        let sentences = lines.map(PassageSentences.init)
        let relevance = Self.relevance(renderer.input, stitcher, lines, sentences, query: context.query)
        var extract = RAGExtract(sentences: sentences, stitcher: stitcher, rankedBy: relevance.rankedBy)
        let none = [Bool](repeating: false, count: stitcher.passages.count)
        var droppedHeaders = true
        var base = renderer.render(kept: none, droppedHeaders: true, extract: extract)
        var baseTokens = context.tokens(base.body)
        if baseTokens > context.budget / 2 {
            droppedHeaders = false
            base = renderer.render(kept: none, droppedHeaders: false, extract: extract)
            baseTokens = context.tokens(base.body)
            guard baseTokens <= context.budget else { return base }
        }
        let order = Self.order(relevance, ranking: ranking.order)
        var state = Selection(renderer: renderer, lines: lines, droppedHeaders: droppedHeaders, context: context)
        var best = base
        var estimate = baseTokens
        for _ in 0..<Self.rounds {
            let added = state.fill(order, extract: &extract, estimate: estimate, budget: context.budget)
            var body = renderer.render(kept: state.opened, droppedHeaders: droppedHeaders, extract: extract)
            var tokens = context.tokens(body.body)
            while tokens > context.budget {
                guard state.drop(excess: tokens - context.budget, extract: &extract) else {
                    return renderer.render(kept: state.opened, droppedHeaders: droppedHeaders, extract: extract)
                }
                body = renderer.render(kept: state.opened, droppedHeaders: droppedHeaders, extract: extract)
                tokens = context.tokens(body.body)
            }
            best = body
            guard added > 0, tokens < context.budget else { break }
            estimate = tokens
        }
        return best
    }

    // MARK: - Ranking

    /// How the sentences match the queries.
    struct Relevance {
        /// Per passage and sentence, its best BM25 score against the queries of its passage.
        var scores: [[Double]]
        /// Per passage and sentence, its best place among the matching sentences of one of
        /// those queries (0 for a query's best sentence), `Int.max` when it matches none.
        var places: [[Int]]
        /// What the sentences are ranked against, in words.
        var rankedBy: String
        /// True when some query had a term to rank by.
        var ranked: Bool
    }

    /// How the sentences of each passage match the queries of its records (else `query`).
    static func relevance(_ input: RAGRecords, _ stitcher: PassageStitcher, _ lines: [[ArraySlice<UInt8>]],
                          _ sentences: [PassageSentences], query: String) -> Relevance {
        var queryIndex: [[UInt8]: Int] = [:]
        var queries: [[UInt8]] = []
        var passagesOfQuery: [[Int]] = []
        func id(_ query: [UInt8]) -> Int {
            if let known = queryIndex[query] { return known }
            queryIndex[query] = queries.count
            queries.append(query)
            passagesOfQuery.append([])
            return queries.count - 1
        }
        var ownQueries = false
        let contextQuery = Array(query.utf8)
        for (passage, item) in stitcher.passages.enumerated() {
            var own: [Int] = []
            for entry in item.windows {
                for record in stitcher.windows[entry.window].records {
                    guard let text = input.records[record].query, !text.isEmpty else { continue }
                    let query = id(text)
                    if !own.contains(query) { own.append(query) }
                }
            }
            ownQueries = ownQueries || !own.isEmpty
            if own.isEmpty, !contextQuery.isEmpty { own = [id(contextQuery)] }
            for query in own { passagesOfQuery[query].append(passage) }
        }
        var scores = sentences.map { [Double](repeating: 0, count: $0.sentences.count) }
        var places = sentences.map { [Int](repeating: .max, count: $0.sentences.count) }
        var ranked = false
        for (query, text) in queries.enumerated() {
            let ranker = BM25Ranker(query: contentWords(text))
            guard !ranker.isEmpty else { continue }
            ranked = true
            var documents: [ArraySlice<UInt8>] = []
            var owners: [(passage: Int, sentence: Int)] = []
            for passage in passagesOfQuery[query] {
                for (index, sentence) in sentences[passage].sentences.enumerated() {
                    let line = lines[passage][sentence.line]
                    documents.append(line[(line.startIndex + sentence.bytes.lowerBound)..<(line.startIndex + sentence.bytes.upperBound)])
                    owners.append((passage, index))
                }
            }
            let values = ranker.scores(documents)
            for (owner, score) in zip(owners, values) {
                scores[owner.passage][owner.sentence] = max(scores[owner.passage][owner.sentence], score)
            }
            let matching = owners.indices.filter { values[$0] > 0 }.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
            for (place, index) in matching.enumerated() {
                let owner = owners[index]
                places[owner.passage][owner.sentence] = min(places[owner.passage][owner.sentence], place)
            }
        }
        let quoted = "query \"" + clipped(query) + "\""
        let rankedBy: String
        if ownQueries {
            rankedBy = contextQuery.isEmpty ? "each record's own query" : "each record's own query, else " + quoted
        } else if ranked {
            rankedBy = quoted
        } else {
            rankedBy = "no query: the opening sentences of every passage first"
        }
        return Relevance(scores: scores, places: places, rankedBy: rankedBy, ranked: ranked)
    }

    /// The sentences in the order they are added. With a query: those sharing a term with it,
    /// round by round across the queries (every query's best sentence, then every query's
    /// second, …; one query: by score), ties by score, passage ranking and position; then, as
    /// context, the other sentences of the passages holding such a sentence, nearest to one
    /// first. Without a query: by position, then passage ranking.
    static func order(_ relevance: Relevance, ranking: [Int]) -> [(passage: Int, sentence: Int)] {
        let (scores, places) = (relevance.scores, relevance.places)
        var rank = [Int](repeating: 0, count: scores.count)
        for (position, passage) in ranking.enumerated() { rank[passage] = position }
        var all: [(passage: Int, sentence: Int)] = []
        for passage in scores.indices {
            for sentence in scores[passage].indices { all.append((passage, sentence)) }
        }
        guard relevance.ranked else {
            return all.sorted { ($0.sentence, rank[$0.passage]) < ($1.sentence, rank[$1.passage]) }
        }
        // Per sentence, its distance to the nearest matching sentence of its passage.
        let distance: [[Int]] = scores.map { passage in
            var out = [Int](repeating: .max, count: passage.count)
            var last = Int.min / 2
            for index in passage.indices {
                if passage[index] > 0 { last = index }
                out[index] = index - last
            }
            last = Int.max / 2
            for index in passage.indices.reversed() {
                if passage[index] > 0 { last = index }
                out[index] = min(out[index], last - index)
            }
            return out
        }
        let matching = all.filter { scores[$0.passage][$0.sentence] > 0 }.sorted { a, b in
            let (p, q) = (places[a.passage][a.sentence], places[b.passage][b.sentence])
            if p != q { return p < q }
            let (x, y) = (scores[a.passage][a.sentence], scores[b.passage][b.sentence])
            if x != y { return x > y }
            return (rank[a.passage], a.sentence) < (rank[b.passage], b.sentence)
        }
        let context = all.filter { scores[$0.passage][$0.sentence] == 0 && distance[$0.passage][$0.sentence] < Int.max / 4 }.sorted { a, b in
            (distance[a.passage][a.sentence], rank[a.passage], a.sentence) < (distance[b.passage][b.sentence], rank[b.passage], b.sentence)
        }
        return matching + context
    }

    /// English function words, left out of a query when ranking sentences: over sentences,
    /// a question's "how do I" matches every heading that asks something, not the answer.
    static let functionWords: Set<[UInt8]> = Set([
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from", "how", "i",
        "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "should", "so", "that", "the", "this",
        "to", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    ].map { Array($0.utf8) })

    /// The words of `query` (runs of letters, digits and non-ASCII bytes) that are not
    /// function words, space-separated; the query as it is when it has no other word.
    static func contentWords(_ query: [UInt8]) -> String {
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in query + [32] {
            if PassageSentences.isAlphanumeric(byte) {
                current.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
            } else if !current.isEmpty {
                if !functionWords.contains(current) { words.append(current) }
                current = []
            }
        }
        guard !words.isEmpty else { return String(decoding: query, as: UTF8.self) }
        return String(decoding: Array(words.joined(separator: [32])), as: UTF8.self)
    }

    /// A query for the notice: one line, at most 80 bytes (whole UTF-8 characters).
    static func clipped(_ query: String) -> String {
        var bytes = Array(query.utf8).map { $0 == 10 || $0 == 13 ? 32 : $0 }
        guard bytes.count > 80 else { return String(decoding: bytes, as: UTF8.self) }
        var end = 80
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        bytes = Array(bytes[..<end])
        return String(decoding: bytes, as: UTF8.self) + "…"
    }
}

/// The state of a selection: which windows and passages are open (some sentence kept), what
/// was added in which order, and the estimated cost of each step.
private struct Selection {
    let renderer: RAGRenderer
    let lines: [[ArraySlice<UInt8>]]
    let droppedHeaders: Bool
    let context: DocumentContext
    private(set) var opened: [Bool]
    /// Kept sentences per window.
    private var keptInWindow: [Int]
    /// Sentences added, in order, as (passage, sentence).
    private var added: [(passage: Int, sentence: Int)] = []
    /// Candidates already decided (kept, dropped after a real count, or a repeat).
    private var decided: [Bool] = []
    /// The texts of kept sentences (trimmed), so that a repeat is not kept twice.
    private var keptTexts: Set<ArraySlice<UInt8>> = []
    /// Per input line holding a record or a verbatim line, in order: the record's window, or
    /// -1 for a verbatim line (it separates runs of omitted records).
    private let sequence: [Int]
    /// Per window, its positions in `sequence`.
    private let positions: [[Int]]
    /// Tokens of a marker of omitted sentences, and of one of omitted records.
    private let sentenceMarkerTokens: Int
    private let recordMarkerTokens: Int
    /// Per window, the tokens of its header line (cached).
    private var windowHeaderTokens: [Int?]
    /// Per candidate (index into the order), the tokens of its text (cached).
    private var sentenceTokens: [Int?] = []

    init(renderer: RAGRenderer, lines: [[ArraySlice<UInt8>]], droppedHeaders: Bool, context: DocumentContext) {
        self.renderer = renderer
        self.lines = lines
        self.droppedHeaders = droppedHeaders
        self.context = context
        let stitcher = renderer.stitcher
        opened = [Bool](repeating: false, count: stitcher.passages.count)
        keptInWindow = [Int](repeating: 0, count: stitcher.windows.count)
        windowHeaderTokens = [Int?](repeating: nil, count: stitcher.windows.count)
        var entries: [(line: Int, window: Int)] = renderer.input.records.indices.map { record in
            (renderer.input.records[record].line, stitcher.windowOfRecord[record])
        }
        entries += renderer.input.verbatim.map { ($0.line, -1) }
        sequence = entries.sorted { $0.line < $1.line }.map(\.window)
        var positions = [[Int]](repeating: [], count: stitcher.windows.count)
        for (position, window) in sequence.enumerated() where window >= 0 { positions[window].append(position) }
        self.positions = positions
        let sample = LineRange(100_000, 100_000)
        sentenceMarkerTokens = context.tokens(Array("[... 10 sentences omitted (extractive selection) · \(context.query(sample)) ...]\n".utf8))
        let span = LineRange(10_000, 100_000)
        recordMarkerTokens = context.tokens(Array("[... 10 records omitted (10 passages, \(renderer.cutReason)) · lines \(span) · \(context.query(span)) ...]\n".utf8))
    }

    /// Adds the candidates of `order` not yet decided while `estimate` fits `budget`; returns
    /// how many were added.
    mutating func fill(_ order: [(passage: Int, sentence: Int)], extract: inout RAGExtract, estimate: Int, budget: Int) -> Int {
        if decided.isEmpty {
            decided = [Bool](repeating: false, count: order.count)
            sentenceTokens = [Int?](repeating: nil, count: order.count)
        }
        var estimate = estimate
        var count = 0
        for (index, candidate) in order.enumerated() where !decided[index] {
            let text = self.text(candidate, extract)
            if keptTexts.contains(text) {
                decided[index] = true
                continue
            }
            if sentenceTokens[index] == nil { sentenceTokens[index] = context.tokens(Array(text)) + 1 }
            let cost = sentenceTokens[index]! + self.cost(candidate, extract)
            guard estimate + cost <= budget else { continue }
            estimate += cost
            keep(candidate, &extract)
            keptTexts.insert(text)
            decided[index] = true
            added.append(candidate)
            count += 1
        }
        return count
    }

    /// Takes back the last added sentences, about `excess` tokens' worth (at least one);
    /// false when none is left.
    mutating func drop(excess: Int, extract: inout RAGExtract) -> Bool {
        guard !added.isEmpty else { return false }
        var excess = excess
        while excess > 0, let last = added.popLast() {
            extract.kept[last.passage][last.sentence] = false
            let window = extract.windowOfSentence[last.passage][last.sentence]
            keptInWindow[window] -= 1
            keptTexts.remove(text(last, extract))
            if !extract.kept[last.passage].contains(true) { opened[last.passage] = false }
            excess -= context.tokens(Array(text(last, extract))) + 1 + cost(last, extract)
        }
        return true
    }

    private mutating func keep(_ candidate: (passage: Int, sentence: Int), _ extract: inout RAGExtract) {
        extract.kept[candidate.passage][candidate.sentence] = true
        keptInWindow[extract.windowOfSentence[candidate.passage][candidate.sentence]] += 1
        opened[candidate.passage] = true
    }

    /// A sentence's bytes, trimmed.
    private func text(_ candidate: (passage: Int, sentence: Int), _ extract: RAGExtract) -> ArraySlice<UInt8> {
        let sentence = extract.sentences[candidate.passage].sentences[candidate.sentence]
        let line = lines[candidate.passage][sentence.line]
        return PassageStitcher.trimmed(line[(line.startIndex + sentence.bytes.lowerBound)..<(line.startIndex + sentence.bytes.upperBound)])
    }

    /// The estimated tokens keeping a sentence adds besides its own: the markers of omitted
    /// sentences it splits or removes, and for the first sentence of a window its header line
    /// and the change in markers of omitted records (and the passage header for the first of
    /// a passage).
    private mutating func cost(_ candidate: (passage: Int, sentence: Int), _ extract: RAGExtract) -> Int {
        let (passage, index) = candidate
        let kept = extract.kept[passage]
        let windows = extract.windowOfSentence[passage]
        let own = windows[index]
        var cost = 0
        let leftOmitted = index > 0 && windows[index - 1] == own && !kept[index - 1]
        let rightOmitted = index + 1 < kept.count && windows[index + 1] == own && !kept[index + 1]
        if leftOmitted && rightOmitted { cost += sentenceMarkerTokens }
        if !leftOmitted && !rightOmitted { cost -= sentenceMarkerTokens }
        if keptInWindow[own] == 0 {
            // The window's sentences, all omitted until now, under one marker.
            cost += sentenceMarkerTokens + recordRunChange(opening: own) * recordMarkerTokens
            if !droppedHeaders {
                cost += headerTokens(own)
                // A passage header, with a source or query heading.
                if !opened[passage] { cost += 16 }
            }
        }
        return cost
    }

    /// Tokens of a window's line in its passage header (with the lines of its records in
    /// query groups).
    private mutating func headerTokens(_ window: Int) -> Int {
        if let known = windowHeaderTokens[window] { return known }
        var line = TextBuffer()
        line.append("@100 ")
        renderer.windowLine(window, into: &line)
        line.newline()
        let records = renderer.stitcher.windows[window].records.count
        let tokens = context.tokens(line.bytes) + (renderer.input.hasQueries ? records * 10 : 0)
        windowHeaderTokens[window] = tokens
        return tokens
    }

    /// How many more markers of omitted records there are once `window` is shown: each of its
    /// runs of records splits a run of omitted records (+1), shortens one (0) or removes one (-1).
    private func recordRunChange(opening window: Int) -> Int {
        func omitted(_ position: Int) -> Bool {
            guard position >= 0, position < sequence.count else { return false }
            let other = sequence[position]
            return other >= 0 && other != window && keptInWindow[other] == 0
        }
        var change = 0
        let own = positions[window]
        var index = 0
        while index < own.count {
            var end = index
            while end + 1 < own.count, own[end + 1] == own[end] + 1 { end += 1 }
            let (left, right) = (omitted(own[index] - 1), omitted(own[end] + 1))
            if left && right { change += 1 } else if !left && !right { change -= 1 }
            index = end + 1
        }
        return change
    }
}
