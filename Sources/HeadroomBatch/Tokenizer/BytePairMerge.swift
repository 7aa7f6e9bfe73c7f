/// tiktoken's byte-pair merge: repeatedly join the adjacent pair of parts whose concatenation has
/// the lowest rank (the leftmost on ties) until no adjacent pair is a token.
extension BPERankTable {
    /// Pieces up to this many bytes use the quadratic scan on caller-provided scratch; longer ones
    /// use a heap, O(n log n).
    static let smallPieceLimit = 512

    /// Merges the `n` bytes at `p` (`2 <= n <= smallPieceLimit`). On return `starts[0...parts]`
    /// holds the parts' start offsets followed by `n`. `starts` needs room for `n + 1`
    /// values, `pairRanks` for `n`. Returns the number of parts.
    @inline(__always)
    func mergeSmall(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ limit: UnsafePointer<UInt8>,
        starts: UnsafeMutablePointer<Int32>, pairRanks: UnsafeMutablePointer<UInt32>
    ) -> Int {
        // pairRanks[k]: rank of parts k and k+1 joined, for k < parts - 1.
        var best = BPERankTable.absent
        var bestIndex = 0
        for k in 0..<(n - 1) {
            starts[k] = Int32(truncatingIfNeeded: k)
            let r = rank(p + k, 2, limit)
            pairRanks[k] = r
            if r < best { best = r; bestIndex = k }
        }
        starts[n - 1] = Int32(truncatingIfNeeded: n - 1)
        starts[n] = Int32(truncatingIfNeeded: n)
        var parts = n
        while best != BPERankTable.absent {
            let k = bestIndex
            // Join parts k and k+1: drop boundary k+1 and pair rank k+1.
            var j = k + 1
            while j < parts {
                starts[j] = starts[j + 1]
                j += 1
            }
            j = k + 1
            while j < parts - 2 {
                pairRanks[j] = pairRanks[j + 1]
                j += 1
            }
            parts -= 1
            if k + 1 < parts {
                let s = Int(starts[k])
                pairRanks[k] = rank(p + s, Int(starts[k + 2]) - s, limit)
            }
            if k > 0 {
                let s = Int(starts[k - 1])
                pairRanks[k - 1] = rank(p + s, Int(starts[k + 1]) - s, limit)
            }
            best = BPERankTable.absent
            for m in 0..<(parts - 1) where pairRanks[m] < best {
                best = pairRanks[m]
                bestIndex = m
            }
        }
        return parts
    }

    /// Merges the `n` bytes at `p` (`n >= 2`), any length. Returns the parts' start offsets
    /// followed by `n`.
    ///
    /// Parts form a linked list. First, rank by rank: find the lowest pair rank, then join its
    /// pairs in one left-to-right sweep; this is tiktoken's order as long as no join creates a
    /// lower-ranked pair (then it rescans). Runs like "......" need only a few such levels. Once
    /// the levels have cost about 8n steps, a heap of (rank, position) takes over: O(n log n).
    /// `sweepBudget` overrides the 8n budget (tests use it to force either phase).
    func mergeLarge(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ limit: UnsafePointer<UInt8>, sweepBudget: Int? = nil
    ) -> [Int32] {
        // next/prev: the linked list over part start offsets; node n is the end sentinel.
        // Offsets are Int32 and heap entries keep them in 32 bits.
        precondition(n < Int(Int32.max), "piece too long")
        // nextRank[k]: rank of the part starting at k joined with the following part; absent if
        // k is no longer a part start or has no following part.
        let next = UnsafeMutablePointer<Int32>.allocate(capacity: n + 1)
        let prev = UnsafeMutablePointer<Int32>.allocate(capacity: n + 1)
        let nextRank = UnsafeMutablePointer<UInt32>.allocate(capacity: n + 1)
        defer {
            next.deallocate()
            prev.deallocate()
            nextRank.deallocate()
        }
        for k in 0...n {
            next[k] = Int32(truncatingIfNeeded: k + 1)
            prev[k] = Int32(truncatingIfNeeded: k - 1)
            nextRank[k] = BPERankTable.absent
        }
        for k in 0..<(n - 1) { nextRank[k] = rank(p + k, 2, limit) }

        /// Joins part `k` with the next one and re-ranks the pairs around it; returns the lower
        /// of the two new ranks.
        @inline(__always) func join(_ k: Int) -> UInt32 {
            let right = Int(next[k])
            let after = Int(next[right])
            next[k] = Int32(truncatingIfNeeded: after)
            prev[after] = Int32(truncatingIfNeeded: k)
            nextRank[right] = BPERankTable.absent
            var lowest = BPERankTable.absent
            if after < n {
                nextRank[k] = rank(p + k, Int(next[after]) - k, limit)
                lowest = nextRank[k]
            } else {
                nextRank[k] = BPERankTable.absent
            }
            if k > 0 {
                let before = Int(prev[k])
                nextRank[before] = rank(p + before, after - before, limit)
                lowest = min(lowest, nextRank[before])
            }
            return lowest
        }

        var finished = false
        var parts = n
        var work = 0
        let budget = sweepBudget ?? 8 * n
        while work < budget {
            var r = BPERankTable.absent
            var k = 0
            while k < n {
                r = min(r, nextRank[k])
                k = Int(next[k])
            }
            if r == BPERankTable.absent {
                finished = true
                break
            }
            let partsBefore = parts
            k = 0
            while k < n {
                // A join never re-creates rank r (ranks name distinct byte strings), so after a
                // join the sweep moves on to the next part.
                if nextRank[k] == r {
                    parts -= 1
                    if join(k) < r { break }
                }
                k = Int(next[k])
            }
            // Levels that join few pairs (varied text) use up the budget: the heap is cheaper then.
            work += partsBefore
        }
        if !finished {
            var heap = BPEMergeHeap(capacity: 3 * n)
            defer { heap.deallocate() }
            var k = 0
            while k < n {
                if nextRank[k] != BPERankTable.absent { heap.push(UInt64(nextRank[k]) << 32 | UInt64(k)) }
                k = Int(next[k])
            }
            while !heap.isEmpty {
                let top = heap.pop()
                let r = UInt32(truncatingIfNeeded: top >> 32)
                let k = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
                if nextRank[k] != r { continue }  // stale entry
                _ = join(k)
                if nextRank[k] != BPERankTable.absent { heap.push(UInt64(nextRank[k]) << 32 | UInt64(k)) }
                if k > 0 {
                    let before = Int(prev[k])
                    if nextRank[before] != BPERankTable.absent {
                        heap.push(UInt64(nextRank[before]) << 32 | UInt64(before))
                    }
                }
            }
        }
        var result = [Int32]()
        var k = 0
        while k < n {
            result.append(Int32(truncatingIfNeeded: k))
            k = Int(next[k])
        }
        result.append(Int32(truncatingIfNeeded: n))
        return result
    }
}

/// A binary min-heap of UInt64 with a fixed capacity, freed by `deallocate()`.
struct BPEMergeHeap {
    private let items: UnsafeMutablePointer<UInt64>
    private var count = 0

    init(capacity: Int) { items = .allocate(capacity: max(capacity, 1)) }

    func deallocate() { items.deallocate() }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func push(_ value: UInt64) {
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) >> 1
            let above = items[parent]
            if above <= value { break }
            items[child] = above
            child = parent
        }
        items[child] = value
    }

    /// Removes and returns the smallest value; the heap must not be empty.
    @inline(__always)
    mutating func pop() -> UInt64 {
        let top = items[0]
        count -= 1
        let last = items[count]
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= count { break }
            if child + 1 < count && items[child + 1] < items[child] { child += 1 }
            let below = items[child]
            if below >= last { break }
            items[parent] = below
            parent = child
        }
        items[parent] = last
        return top
    }
}
