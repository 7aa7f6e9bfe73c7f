/// A Drain-class template tree over hashed tokens, with exact-shape signatures under each
/// cluster.
///
/// - A line's **signature** is its exact sequence of token shapes (variables masked). Lines
///   with a known signature skip the tree (one hash lookup).
/// - A new signature is routed to a leaf by its token count and first `prefixTokens` shapes
///   (variable shapes route as `<*>`); within the leaf, the cluster whose template shares the
///   largest fraction of *word* positions (tokens without masked parts) with the line wins if
///   that fraction reaches `similarity`; otherwise the signature starts a new cluster. Joining a
///   cluster turns the differing positions of its template into wildcards, so a template only
///   ever generalises and a signature's cluster never changes.
/// - At the end (`finalTemplates`), a wildcard position whose values are words with at most
///   `maxDiscriminatingValues` distinct values splits the cluster (`Failed password` and
///   `Failed none` are two events, not one with a variable; `key=value` words allow
///   `maxDiscriminatingKeyValues`: `user=root` and `user=guest`), so final templates are a
///   function of the whole input, not of the order clusters formed.
///
/// Memory: O(templates × tokens) for clusters, plus at most `signatureLimit` signatures (each
/// keeps the first `exampleLimit` bytes of its first message); beyond the limit, new shapes join their cluster's
/// overflow signature. Time per line: O(message bytes) on a known signature, plus
/// O(tokens × clusters in the leaf) for a new one.
struct TemplateTree {
    struct Cluster {
        /// Token shape hashes of the template; `TokenMasker.wildcard` for `<*>`.
        var tokens: [UInt64]
        /// Shape text of each template position (`<*>` for wildcards).
        var texts: [[UInt8]]
        /// Whether each position is a word (a constant token without masked parts).
        var words: [Bool]
        /// The `key=` hash of each position (0 when not a `key=value` token).
        var keys: [UInt64]
        /// Whether each position was generalised: `<*>`, or `key=<*>` when the key is kept.
        var generalized: [Bool]
        /// The signature taking this cluster's lines once `signatureLimit` is reached.
        var overflow: Int32 = -1
    }

    struct Signature {
        var cluster: Int32
        var count: Int = 0
        var firstLine: Int
        var lastLine: Int
        /// The message of its first line (header removed); nil for an overflow signature.
        var example: [UInt8]?
    }

    var similarity: Double
    /// Credit for a line token at a `<*>` position (Drain: none; the position still counts).
    var wildcardCredit: Double = 0
    var prefixTokens: Int
    var signatureLimit: Int
    var maxDiscriminatingValues: Int
    var maxDiscriminatingKeyValues: Int
    /// Bytes of a signature's example message kept (longer messages are cut; their values
    /// past the cut then do not split templates).
    var exampleLimit = 1024

    private(set) var clusters: [Cluster] = []
    /// Clusters a leaf holds at most, and clusters in all: past either, a line that matches
    /// no cluster joins the all-wildcard cluster of its token count, so time per line and
    /// memory stay bounded.
    static let maxClustersPerLeaf = 256
    static let maxClusters = 1 << 16
    private var overflowClusters: [Int: Int32] = [:]
    private(set) var signatures: [Signature] = []
    private var leaves: [UInt64: [Int32]] = [:]
    private var bySignature = HashIndex()

    init(similarity: Double, prefixTokens: Int, signatureLimit: Int = 1 << 16, maxDiscriminatingValues: Int = 2,
         maxDiscriminatingKeyValues: Int = 3) {
        self.maxDiscriminatingKeyValues = maxDiscriminatingKeyValues
        self.similarity = similarity
        self.prefixTokens = prefixTokens
        self.signatureLimit = signatureLimit
        self.maxDiscriminatingValues = maxDiscriminatingValues
    }

    @inline(__always)
    static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
        let m = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m >> 29)
    }

    /// Adds a tokenized line (its message is `base[messageStart..<messageEnd]`, the offsets of
    /// `tokens` are in `base`); returns its signature index, a stable handle.
    mutating func add(_ tokens: [MaskedToken], base: UnsafePointer<UInt8>, messageStart: Int, messageEnd: Int,
                      lineNumber: Int) -> Int {
        let n = tokens.count
        let full = TemplateTree.signatureHash(tokens)
        if let hit = recordKnown(full, lineNumber: lineNumber) { return hit }
        var leafKey = TemplateTree.mix(0x2545_F491_4F6C_DD1D, UInt64(n))
        for i in 0..<min(prefixTokens, n) {
            leafKey = TemplateTree.mix(leafKey, tokens[i].hasVariable ? TokenMasker.wildcard : tokens[i].hash)
        }
        let cluster: Int
        let candidates = leaves[leafKey] ?? []
        if let best = bestMatch(tokens, candidates) {
            cluster = best
            generalise(best, with: tokens)
        } else if candidates.count >= Self.maxClustersPerLeaf || clusters.count >= Self.maxClusters {
            cluster = overflowCluster(tokenCount: n)
        } else {
            cluster = clusters.count
            clusters.append(Cluster(tokens: tokens.map(\.hash),
                                    texts: tokens.map { TokenMasker.render(base, $0) },
                                    words: tokens.map { !$0.hasVariable },
                                    keys: tokens.map(\.key),
                                    generalized: [Bool](repeating: false, count: n)))
            leaves[leafKey, default: []].append(Int32(cluster))
        }
        let index: Int
        if signatures.count < signatureLimit {
            index = signatures.count
            let message = Array(UnsafeBufferPointer(start: base + messageStart,
                                                    count: min(messageEnd - messageStart, exampleLimit)))
            signatures.append(Signature(cluster: Int32(cluster), firstLine: lineNumber, lastLine: lineNumber, example: message))
            bySignature.insert(full, Int32(index))
        } else if clusters[cluster].overflow >= 0 {
            index = Int(clusters[cluster].overflow)
        } else {
            index = signatures.count
            signatures.append(Signature(cluster: Int32(cluster), firstLine: lineNumber, lastLine: lineNumber, example: nil))
            clusters[cluster].overflow = Int32(index)
        }
        signatures[index].count += 1
        signatures[index].lastLine = lineNumber
        return index
    }

    /// The all-wildcard cluster of lines with `tokenCount` tokens, made on first use.
    private mutating func overflowCluster(tokenCount n: Int) -> Int {
        if let known = overflowClusters[n] { return Int(known) }
        clusters.append(Cluster(tokens: [UInt64](repeating: TokenMasker.wildcard, count: n),
                                texts: [[UInt8]](repeating: Array("<*>".utf8), count: n),
                                words: [Bool](repeating: false, count: n), keys: [UInt64](repeating: 0, count: n),
                                generalized: [Bool](repeating: true, count: n)))
        overflowClusters[n] = Int32(clusters.count - 1)
        return clusters.count - 1
    }

    /// The hash of a line's exact sequence of token shapes.
    @inline(__always)
    static func signatureHash(_ tokens: [MaskedToken]) -> UInt64 {
        var full = mix(0x51_7CC1_B727_220A, UInt64(tokens.count))
        for t in tokens { full = mix(full, t.hash) }
        return full == 0 ? 1 : full
    }

    /// Counts a line of a known signature; nil when the signature is new (use `add`).
    @inline(__always)
    mutating func recordKnown(_ signature: UInt64, lineNumber: Int) -> Int? {
        guard let hit = bySignature[signature] else { return nil }
        signatures[Int(hit)].count += 1
        signatures[Int(hit)].lastLine = lineNumber
        return Int(hit)
    }

    private func bestMatch(_ tokens: [MaskedToken], _ candidates: [Int32]) -> Int? {
        guard !candidates.isEmpty else { return nil }
        let n = tokens.count
        if n == 0 { return candidates.first.map(Int.init) }
        var best = -1
        var bestScore = -1.0
        var bestWildcards = -1
        for c in candidates {
            let cluster = clusters[Int(c)]
            let template = cluster.tokens
            let templateWords = cluster.words
            // Similarity counts word positions (tokens without masked parts) and positions
            // whose masked shapes differ; equal masked shapes say little about the event.
            // `key=value` tokens sharing their key get half credit (full once the template
            // holds `key=<*>`).
            var same = 0.0
            var counted = 0
            var shapesSame = 0
            var wildcards = 0
            for i in 0..<n {
                let t = template[i]
                let line = tokens[i]
                if t == TokenMasker.wildcard {
                    wildcards += 1
                    if line.hash != TokenMasker.wildcard { counted += 1; same += wildcardCredit }
                    continue
                }
                if cluster.generalized[i] {
                    wildcards += 1
                    counted += 1
                    if line.key == cluster.keys[i] { same += 1 } else { counted += 1 }
                    continue
                }
                if templateWords[i] || !line.hasVariable {
                    counted += 1
                    if t == line.hash {
                        same += 1
                    } else if line.key != 0 && line.key == cluster.keys[i] {
                        same += 0.5
                    } else if (line.key == 0) != (cluster.keys[i] == 0) {
                        counted += 1  // `rhost=` against `rhost=<*>`: structure differs, weigh double.
                    }
                } else if t == line.hash {
                    shapesSame += 1
                } else {
                    // Different masked shapes (`(uid=<*>)` and `LOGIN(uid=<*>)`) weigh double.
                    counted += 2
                    if line.key != 0 && line.key == cluster.keys[i] { same += 1 }
                }
            }
            let score = counted > 0 ? same / Double(counted) : Double(shapesSame) / Double(n)
            if score > bestScore || (score == bestScore && wildcards > bestWildcards) {
                best = Int(c); bestScore = score; bestWildcards = wildcards
            }
        }
        return best >= 0 && bestScore >= similarity ? best : nil
    }

    private mutating func generalise(_ index: Int, with tokens: [MaskedToken]) {
        for i in 0..<tokens.count {
            let t = clusters[index].tokens[i]
            let line = tokens[i]
            if t == line.hash || t == TokenMasker.wildcard { continue }
            let key = clusters[index].keys[i]
            if key != 0 && key == line.key {
                if clusters[index].generalized[i] { continue }
                // Keep the key: `tenant=<*>`.
                var text = clusters[index].texts[i]
                if let eq = text.firstIndex(of: UInt8(ascii: "=")) { text.removeSubrange((eq + 1)...) }
                text.append(contentsOf: Array("<*>".utf8))
                clusters[index].tokens[i] = TemplateTree.mix(key, 0x4B45_595F_5741_4C44)
                clusters[index].texts[i] = text
            } else {
                clusters[index].tokens[i] = TokenMasker.wildcard
                clusters[index].texts[i] = Array("<*>".utf8)
                clusters[index].keys[i] = 0
            }
            clusters[index].words[i] = false
            clusters[index].generalized[i] = true
        }
    }

    // MARK: - Final templates

    /// The final template text of every signature (index by signature).
    func finalTemplates() -> [String] {
        var result = [String](repeating: "", count: signatures.count)
        var members = [[Int]](repeating: [], count: clusters.count)
        for (s, signature) in signatures.enumerated() { members[Int(signature.cluster)].append(s) }
        var masker = TokenMasker()
        for (c, cluster) in clusters.enumerated() {
            let wildcardPositions = cluster.tokens.indices.filter { cluster.generalized[$0] }
            // Values (shape hash and text) of every member at the wildcard positions.
            var values: [[(hash: UInt64, word: Bool, text: [UInt8])]] = []
            for s in members[c] {
                guard let example = signatures[s].example else { values.append([]); continue }
                var row: [(hash: UInt64, word: Bool, text: [UInt8])] = []
                example.withUnsafeBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    masker.tokenize(base, start: 0, end: buffer.count)
                    for p in wildcardPositions where p < masker.tokens.count {
                        let token = masker.tokens[p]
                        row.append((token.hash, !token.hasVariable, TokenMasker.render(base, token)))
                    }
                }
                values.append(row.count == wildcardPositions.count ? row : [])
            }
            // Discriminating positions: words only, few distinct values.
            var discriminating: [Int] = []
            for (k, _) in wildcardPositions.enumerated() {
                guard let first = values.first(where: { !$0.isEmpty }) else { break }
                // `key=value` settings (`user=root`, `state=RUNNING`) with a few values are modes.
                let keyLength = TemplateTree.keyLength(first[k].text)
                let limit = keyLength > 0 ? maxDiscriminatingKeyValues : maxDiscriminatingValues
                var distinct: [UInt64] = []
                var eligible = true
                for row in values where !row.isEmpty {
                    if !row[k].word || (keyLength > 0 && TemplateTree.keyLength(row[k].text) != keyLength) {
                        eligible = false; break
                    }
                    if !distinct.contains(row[k].hash) {
                        distinct.append(row[k].hash)
                        if distinct.count > limit { break }
                    }
                }
                if eligible && distinct.count >= 2 && distinct.count <= limit { discriminating.append(k) }
            }
            for (m, s) in members[c].enumerated() {
                var texts = cluster.texts
                if !values[m].isEmpty {
                    for k in discriminating { texts[wildcardPositions[k]] = values[m][k].text }
                }
                result[s] = TemplateTree.join(texts)
            }
        }
        return result
    }

    /// The length of `key=` when a token is `key=value` with a non-empty key and value, else 0.
    static func keyLength(_ text: [UInt8]) -> Int {
        guard let eq = text.firstIndex(of: UInt8(ascii: "=")), eq > 0, eq + 1 < text.count else { return 0 }
        return eq + 1
    }

    static func join(_ texts: [[UInt8]]) -> String {
        var bytes: [UInt8] = []
        for (i, t) in texts.enumerated() {
            if i > 0 { bytes.append(0x20) }
            bytes.append(contentsOf: t)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
