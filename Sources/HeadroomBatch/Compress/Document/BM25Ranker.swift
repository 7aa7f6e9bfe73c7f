import Foundation

/// Ranks texts against a query with BM25 (k1 = 1.2, b = 0.75). Terms are runs of ASCII
/// letters and digits (and any non-ASCII byte), compared case-insensitively.
struct BM25Ranker {
    /// The query's distinct terms (FNV-1a hashes of the lowercased bytes).
    private let terms: [UInt64]

    init(query: String) {
        var seen = Set<UInt64>()
        terms = Self.terms(Array(query.utf8)).filter { seen.insert($0).inserted }
    }

    /// True when the query has no terms: every score is 0.
    var isEmpty: Bool { terms.isEmpty }

    /// The score of each document against the query, in order; documents sharing no term with
    /// the query score 0. Frequencies are computed over `documents` themselves.
    func scores<Document: Collection<UInt8>>(_ documents: [Document]) -> [Double] {
        guard !terms.isEmpty, !documents.isEmpty else { return [Double](repeating: 0, count: documents.count) }
        let wanted = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($0.element, $0.offset) })
        var frequencies: [[Int]] = []
        var lengths: [Int] = []
        var containing = [Int](repeating: 0, count: terms.count)
        frequencies.reserveCapacity(documents.count)
        for document in documents {
            var counts = [Int](repeating: 0, count: terms.count)
            var length = 0
            Self.forEachTerm(document) { term in
                length += 1
                if let slot = wanted[term] { counts[slot] += 1 }
            }
            for slot in counts.indices where counts[slot] > 0 { containing[slot] += 1 }
            frequencies.append(counts)
            lengths.append(length)
        }
        let n = Double(documents.count)
        let averageLength = max(1, Double(lengths.reduce(0, +)) / n)
        let idf = containing.map { log(1 + (n - Double($0) + 0.5) / (Double($0) + 0.5)) }
        let k1 = 1.2, b = 0.75
        return zip(frequencies, lengths).map { counts, length in
            var score = 0.0
            let norm = k1 * (1 - b + b * Double(length) / averageLength)
            for slot in counts.indices where counts[slot] > 0 {
                let tf = Double(counts[slot])
                score += idf[slot] * tf * (k1 + 1) / (tf + norm)
            }
            return score
        }
    }

    private static func terms(_ bytes: [UInt8]) -> [UInt64] {
        var out: [UInt64] = []
        forEachTerm(bytes) { out.append($0) }
        return out
    }

    /// Calls `body` with the hash of every term of `bytes`.
    private static func forEachTerm<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ body: (UInt64) -> Void) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var inTerm = false
        for byte in bytes {
            var c = byte
            let isTermByte = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c >= 0x80
            if isTermByte {
                if c >= 65 && c <= 90 { c += 32 }
                hash = (hash ^ UInt64(c)) &* 0x100_0000_01b3
                inTerm = true
            } else if inTerm {
                body(hash)
                hash = 0xcbf2_9ce4_8422_2325
                inTerm = false
            }
        }
        if inTerm { body(hash) }
    }
}
