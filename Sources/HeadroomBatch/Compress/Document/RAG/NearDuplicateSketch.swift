/// A cheap similarity sketch of a shingle set, the prefilter of `NearDuplicateGrouper`:
/// one-permutation MinHash (one hash per shingle; its top byte picks one of `bins` bins, the
/// rest is kept as the bin's least value) with optimal densification (an empty bin takes the
/// value of the first non-empty bin along a fixed pseudo-random probe sequence of its own), so
/// that the share of equal bins of two sketches estimates the Jaccard similarity of their
/// sets, like a 256-function MinHash signature at the cost of one hash per shingle.
struct NearDuplicateSketch {
    /// Bins per sketch (the top byte of a hash picks one).
    static let bins = 256
    /// Candidate pairs are found for Jaccard similarities down to this much below the
    /// threshold (LSH banding tuned to miss such a pair with probability below 1e-4)...
    static let bandingMargin = 0.15
    /// ...and kept when their sketches agree on at least the threshold minus this much.
    static let estimateMargin = 0.25

    /// The bin values (the low 56 bits of the least hash).
    private(set) var values: [UInt64]

    /// The sketch of a non-empty shingle list (repeats change nothing).
    init(_ shingles: [UInt64]) {
        let empty = UInt64.max
        values = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.bins) { raw in
            // The least value per bin...
            raw.initialize(repeating: empty)
            shingles.withUnsafeBufferPointer { shingles in
                for shingle in shingles {
                    let hash = NearDuplicateGrouper.mix(shingle ^ 0x5348_494e_474c_4553) // "SHINGLES"
                    let bin = Int(truncatingIfNeeded: hash >> 56)
                    let value = hash & 0x00FF_FFFF_FFFF_FFFF
                    if value < raw[bin] { raw[bin] = value }
                }
            }
            // ...then densified.
            return [UInt64](unsafeUninitializedCapacity: Self.bins) { dense, count in
                Self.probes.withUnsafeBufferPointer { probes in
                    for bin in 0..<Self.bins {
                        var value = raw[bin]
                        var attempt = 1
                        while value == empty {
                            let other = attempt <= Self.tabulatedProbes
                                ? Int(probes[bin &* Self.tabulatedProbes &+ attempt &- 1])
                                : Self.probe(bin: bin, attempt: attempt)
                            value = raw[other]
                            attempt += 1
                        }
                        dense[bin] = value
                    }
                }
                count = Self.bins
            }
        }
    }

    /// The bin an empty bin looks at on its `attempt`-th try (from 1).
    static func probe(bin: Int, attempt: Int) -> Int {
        Int(truncatingIfNeeded: NearDuplicateGrouper.mix(UInt64(bin) << 32 | UInt64(attempt)) >> 56)
    }

    /// The first probes of every bin, tabulated (`probe(bin:attempt:)` for later ones).
    static let tabulatedProbes = 32
    static let probes: [UInt8] = (0..<bins).flatMap { bin in
        (1...tabulatedProbes).map { UInt8(truncatingIfNeeded: probe(bin: bin, attempt: $0)) }
    }

    /// The share of equal bins: an estimate of the Jaccard similarity of the two sets.
    func similarity(_ other: NearDuplicateSketch) -> Double {
        var equal = 0
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                for index in 0..<Self.bins where a[index] == b[index] { equal += 1 }
            }
        }
        return Double(equal) / Double(Self.bins)
    }

    /// The rows per LSH band over the sketch bins: the most with which a pair exactly
    /// `similarity` similar is missed with probability at most 1e-4.
    static func rowsPerBand(similarity: Double) -> Int {
        LSHBanding.rowsPerBand(similarity: similarity, values: bins, missAtMost: 1e-4)
    }

    /// The pairs of sketched passages (nil: not compared) that may be `threshold` similar:
    /// sharing an LSH band of the sketches (banding for `threshold - bandingMargin`) and
    /// agreeing on at least `threshold - estimateMargin` of their bins. Each pair is
    /// `a << 32 | b` with `a < b`, ascending.
    static func candidatePairs(_ sketches: [NearDuplicateSketch?], threshold: Double) -> [UInt64] {
        let present = sketches.indices.filter { sketches[$0] != nil }
        guard present.count > 1 else { return [] }
        let rows = rowsPerBand(similarity: threshold - bandingMargin)
        // Per band, an open-addressing table from a hash of the band's values to the last
        // passage with it; `previous` chains the passages of one key, so each passage pairs
        // with those before it at no cost for the many keys held once.
        var tableSize = 16
        while tableSize < present.count * 2 { tableSize *= 2 }
        let slotMask = tableSize - 1
        var slotKey = [UInt64](repeating: 0, count: tableSize)
        var slotLast = [Int32](repeating: -1, count: tableSize)
        var previous = [Int32](repeating: -1, count: sketches.count)
        var pairs: [UInt64] = []
        for band in stride(from: 0, to: bins, by: rows) {
            for index in 0..<tableSize { slotLast[index] = -1 }
            for passage in present {
                // The rows rotated apart and folded, then mixed once (bin values are already
                // well spread).
                var key = UInt64(band) &* 0x9e37_79b9_7f4a_7c15
                sketches[passage]!.values.withUnsafeBufferPointer { values in
                    for row in band..<(band + rows) { key = (key << 23 | key >> 41) ^ values[row] }
                }
                key = NearDuplicateGrouper.mix(key)
                var slot = Int(truncatingIfNeeded: key) & slotMask
                while slotLast[slot] >= 0, slotKey[slot] != key { slot = (slot + 1) & slotMask }
                previous[passage] = slotLast[slot]
                var other = slotLast[slot]
                while other >= 0 {
                    pairs.append(UInt64(other) << 32 | UInt64(passage))
                    other = previous[Int(other)]
                }
                slotKey[slot] = key
                slotLast[slot] = Int32(passage)
            }
        }
        pairs.sort()
        var out: [UInt64] = []
        let floor = threshold - estimateMargin
        var last: UInt64?
        for pair in pairs where pair != last {
            last = pair
            let (a, b) = (Int(pair >> 32), Int(pair & 0xFFFF_FFFF))
            if floor <= 0 || sketches[a]!.similarity(sketches[b]!) >= floor { out.append(pair) }
        }
        return out
    }
}
