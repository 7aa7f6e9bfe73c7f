/// A near-duplicate group: one canonical passage printed whole and the passages printed as
/// their differences from it.
struct NearDuplicateGroup {
    /// The passage printed whole: the most retrieved of the group, then the first retrieved.
    var canonical: Int
    /// The other passages, in passage order, each with its estimated similarity to the
    /// canonical one (the share of agreeing MinHash values).
    var members: [(passage: Int, similarity: Double)]
}

/// Groups stitched passages whose texts are near-duplicates: MinHash signatures over word
/// shingles (`shingleWords` words, 5 by default; words are byte runs between whitespace),
/// candidate pairs from LSH banding, and a pair counted as near-duplicate when its estimated
/// Jaccard similarity is at least `threshold` (above 1: no grouping at all). Groups form
/// greedily around canonical passages in the order most retrieved, then first retrieved;
/// every member is directly similar to its canonical passage.
///
/// Speed: the 128-function MinHash signature is computed only for passages that a cheap
/// prefilter pairs with another (`NearDuplicateSketch`: one-permutation hashing, one hash per
/// shingle, with its own looser LSH banding and similarity floor). The prefilter is tuned to
/// miss no pair the signatures would group (a pair it drops is at least 0.15 below the
/// threshold in Jaccard similarity, or 0.25 in estimate), so the groups are those of
/// comparing every signature.
struct NearDuplicateGrouper {
    /// The default Jaccard similarity (estimated over word shingles) from which two passages
    /// are near-duplicates.
    static let threshold = 0.8
    /// The default words per shingle.
    static let shingleWords = 5
    /// MinHash values per signature.
    static let hashCount = 128
    /// LSH bands at the default threshold (of `hashCount / bandCount` rows each): 32 bands of
    /// 4 rows make a pair of similarity 0.8 a candidate with probability above 0.999. Lower
    /// thresholds use fewer rows per band (`rowsPerBand(threshold:)`).
    static let bandCount = 32
    /// Passages with fewer shingles are too short to compare reliably.
    static let minimumShingles = 3

    private(set) var groups: [NearDuplicateGroup] = []
    /// The group of each passage (canonical or member), nil when in none.
    private(set) var groupOfPassage: [Int?]

    /// Finds the groups among `stitcher.passages`: pairs at least `threshold` similar over
    /// shingles of `shingleWords` words (at least 1). A threshold above 1 finds none.
    init(_ stitcher: PassageStitcher, threshold: Double = Self.threshold, shingleWords: Int = Self.shingleWords) {
        let passages = stitcher.passages
        groupOfPassage = [Int?](repeating: nil, count: passages.count)
        guard passages.count > 1, threshold <= 1 else { return }
        let width = max(1, shingleWords)
        var words: [UInt64] = []
        let shingleLists: [[UInt64]] = passages.map { passage in
            let list = Self.shingles(of: passage, stitcher, words: width, buffer: &words)
            return Self.hasDistinct(list, Self.minimumShingles) ? list : []
        }
        let sketches = shingleLists.map { $0.isEmpty ? nil : NearDuplicateSketch($0) }
        let pairs = NearDuplicateSketch.candidatePairs(sketches, threshold: threshold)
        // The exact signatures of the passages the prefilter pairs, and the pairs sharing one
        // of their LSH bands: the candidates of comparing every signature.
        var signatures = [[UInt64]?](repeating: nil, count: passages.count)
        let rows = Self.rowsPerBand(threshold: threshold)
        var candidates = [[Int]](repeating: [], count: passages.count)
        for pair in pairs {
            let (a, b) = (Int(pair >> 32), Int(pair & 0xFFFF_FFFF))
            if signatures[a] == nil { signatures[a] = Self.signature(shingleLists[a]) }
            if signatures[b] == nil { signatures[b] = Self.signature(shingleLists[b]) }
            guard Self.shareBand(signatures[a]!, signatures[b]!, rows: rows) else { continue }
            candidates[a].append(b)
            candidates[b].append(a)
        }
        let retrievals = passages.map { passage in
            passage.windows.reduce(0) { $0 + stitcher.windows[$1.window].records.count }
        }
        let priority = passages.indices.sorted { a, b in
            retrievals[a] != retrievals[b] ? retrievals[a] > retrievals[b] : passages[a].firstRecord < passages[b].firstRecord
        }
        for canonical in priority where groupOfPassage[canonical] == nil && !candidates[canonical].isEmpty {
            var members: [(passage: Int, similarity: Double)] = []
            for other in candidates[canonical] where groupOfPassage[other] == nil {
                guard let a = signatures[canonical], let b = signatures[other] else { continue }
                let similarity = Self.similarity(a, b)
                if similarity >= threshold { members.append((other, similarity)) }
            }
            guard !members.isEmpty else { continue }
            groupOfPassage[canonical] = groups.count
            for member in members { groupOfPassage[member.passage] = groups.count }
            groups.append(NearDuplicateGroup(canonical: canonical, members: members))
        }
    }

    /// Passages printed as differences (not counting the canonical ones).
    var memberCount: Int { groups.reduce(0) { $0 + $1.members.count } }

    /// The canonical passage of a member passage, nil for canonical or ungrouped passages.
    func canonical(of passage: Int) -> Int? {
        guard let group = groupOfPassage[passage], groups[group].canonical != passage else { return nil }
        return groups[group].canonical
    }

    /// True when `passage` is the canonical passage of a group.
    func isCanonical(_ passage: Int) -> Bool {
        guard let group = groupOfPassage[passage] else { return false }
        return groups[group].canonical == passage
    }

    /// The hashes of the `words`-word shingles of a passage's text (its lines joined with
    /// `\n`; a shorter text is one shingle), in text order, repeats included. `buffer` is
    /// scratch space for the word hashes.
    static func shingles(of passage: RAGPassage, _ stitcher: PassageStitcher, words shingleWords: Int,
                         buffer words: inout [UInt64]) -> [UInt64] {
        words.removeAll(keepingCapacity: true)
        for (window, line) in passage.lines {
            let w = stitcher.windows[window]
            let range = w.lines[line]
            w.text.withUnsafeBufferPointer { text in
                var index = range.lowerBound
                let end = range.upperBound
                while index < end {
                    while index < end, PassageStitcher.isSpace(text[index]) { index += 1 }
                    guard index < end else { break }
                    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                    while index < end, !PassageStitcher.isSpace(text[index]) {
                        hash = (hash ^ UInt64(text[index])) &* 0x100_0000_01b3
                        index += 1
                    }
                    words.append(hash)
                }
            }
        }
        return shingles(ofWords: words, width: shingleWords)
    }

    /// The distinct hashes of the `words`-word shingles of `text` (a shorter text is one
    /// shingle), sorted.
    static func shingles(_ text: [UInt8], words shingleWords: Int = Self.shingleWords) -> [UInt64] {
        var words: [UInt64] = []
        var start: Int?
        for index in 0...text.count {
            let isSpace = index == text.count || PassageStitcher.isSpace(text[index])
            if isSpace, let s = start {
                words.append(PassageStitcher.hash(text[s..<index]))
                start = nil
            } else if !isSpace, start == nil {
                start = index
            }
        }
        return Array(Set(shingles(ofWords: words, width: shingleWords))).sorted()
    }

    /// The shingle hashes of a run of word hashes, in order (repeats included).
    private static func shingles(ofWords words: [UInt64], width shingleWords: Int) -> [UInt64] {
        guard !words.isEmpty else { return [] }
        let width = min(shingleWords, words.count)
        var out: [UInt64] = []
        out.reserveCapacity(words.count - width + 1)
        words.withUnsafeBufferPointer { words in
            for first in 0...(words.count - width) {
                var hash: UInt64 = 0x9e37_79b9_7f4a_7c15
                for word in words[first..<(first + width)] { hash = mix(hash ^ word) }
                out.append(hash)
            }
        }
        return out
    }

    /// True when `values` holds at least `count` (at most 3) distinct values.
    static func hasDistinct(_ values: [UInt64], _ count: Int) -> Bool {
        var seen: [UInt64] = []
        for value in values where !seen.contains(value) {
            seen.append(value)
            if seen.count >= count { return true }
        }
        return seen.count >= count
    }

    /// The MinHash signature of a shingle set (nil when it has too few shingles): per seeded
    /// hash function, the least hash of a shingle. Repeated shingles change nothing.
    static func signature(_ shingles: [UInt64]) -> [UInt64]? {
        guard hasDistinct(shingles, minimumShingles) else { return nil }
        var signature = [UInt64](repeating: .max, count: hashCount)
        seeds.withUnsafeBufferPointer { seeds in
            signature.withUnsafeMutableBufferPointer { signature in
                for shingle in shingles {
                    for index in 0..<hashCount {
                        let value = mix(shingle ^ seeds[index])
                        if value < signature[index] { signature[index] = value }
                    }
                }
            }
        }
        return signature
    }

    /// True when two signatures agree on every row of at least one LSH band of `rows` rows.
    static func shareBand(_ a: [UInt64], _ b: [UInt64], rows: Int) -> Bool {
        var band = 0
        while band < hashCount {
            var agree = true
            for index in band..<(band + rows) where a[index] != b[index] { agree = false; break }
            if agree { return true }
            band += rows
        }
        return false
    }

    /// The share of equal positions of two signatures: an estimate of the Jaccard similarity.
    static func similarity(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var equal = 0
        for index in 0..<hashCount where a[index] == b[index] { equal += 1 }
        return Double(equal) / Double(hashCount)
    }

    /// The most rows per LSH band with which a pair exactly `threshold` similar is still a
    /// candidate with probability at least 0.99: 4 at the default 0.8, fewer (more candidates,
    /// slower) for lower thresholds.
    static func rowsPerBand(threshold: Double) -> Int {
        LSHBanding.rowsPerBand(similarity: threshold, values: hashCount, missAtMost: 0.01)
    }

    /// The seeds of the hash functions, from a fixed splitmix64 sequence.
    static let seeds: [UInt64] = {
        var state: UInt64 = 0x6865_6164_726f_6f6d // "headroom"
        return (0..<hashCount).map { _ in
            state &+= 0x9e37_79b9_7f4a_7c15
            return mix(state)
        }
    }()

    /// The splitmix64 finaliser: a well-spread 64-bit hash of `x`.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
