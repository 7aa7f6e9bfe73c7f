// Deterministic randomness for hb-loggen: a wyrand generator, stateless hashes
// (so that "entity #n" always renders the same way), and Walker alias tables.

/// wyrand: one 64-bit add and one 64x64->128 multiply per draw.
struct Rng {
    var s: UInt64

    init(seed: UInt64) { s = mix64(seed ^ 0x6A09_E667_F3BC_C909) }

    @inline(__always) mutating func next() -> UInt64 {
        s &+= 0xA076_1D64_78BD_642F
        let m = (s ^ 0xE703_7ED1_A0B4_28DB).multipliedFullWidth(by: s)
        return m.high ^ m.low
    }

    /// Uniform in 0..<n (n > 0), multiply-shift (no modulo).
    @inline(__always) mutating func below(_ n: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: n).high
    }

    /// Uniform integer in a...b (inclusive).
    @inline(__always) mutating func range(_ a: Int, _ b: Int) -> Int {
        if b <= a { return a }
        return a &+ Int(truncatingIfNeeded: below(UInt64(b &- a &+ 1)))
    }

    /// Uniform double in [0, 1).
    @inline(__always) mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    @inline(__always) mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Approximately standard normal (Irwin-Hall of four 16-bit uniforms),
    /// good enough for log-normal durations and sizes; bounded at +/-3.46.
    @inline(__always) mutating func gauss() -> Double {
        let r = next()
        let s = (r & 0xFFFF) &+ ((r >> 16) & 0xFFFF) &+ ((r >> 32) & 0xFFFF) &+ (r >> 48)
        return (Double(s) * (1.0 / 65536.0) - 2.0) * 1.7320508075688772
    }
}

/// splitmix64 finalizer: a good stateless 64-bit hash.
@inline(__always) func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

@inline(__always) func hash2(_ a: UInt64, _ b: UInt64) -> UInt64 {
    mix64(a ^ mix64(b &+ 0x632B_E59B_D9B4_E019))
}

/// Walker alias table over n outcomes: O(1) weighted sampling with one draw.
struct AliasTable {
    let n: Int
    let prob: UnsafeMutablePointer<UInt64>   // acceptance threshold, scaled to 2^32
    let alias: UnsafeMutablePointer<Int32>

    init(weights: [Double]) {
        precondition(!weights.isEmpty, "alias table needs at least one weight")
        n = weights.count
        prob = .allocate(capacity: n)
        alias = .allocate(capacity: n)
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1.0 { small.append(i) } else { large.append(i) } }
        for i in 0..<n { alias[i] = Int32(i); prob[i] = 1 << 32 }
        while let s = small.popLast() {
            guard let l = large.last else { break }
            prob[s] = UInt64(max(0.0, scaled[s]) * 4294967296.0)
            alias[s] = Int32(l)
            scaled[l] -= (1.0 - scaled[s])
            if scaled[l] < 1.0 { large.removeLast(); small.append(l) }
        }
        // Leftovers (numerical noise) accept themselves with probability 1.
    }

    @inline(__always) func sample(_ rng: inout Rng) -> Int {
        let r = rng.next()
        let i = Int(truncatingIfNeeded: ((r >> 32) &* UInt64(n)) >> 32)
        return (r & 0xFFFF_FFFF) < prob[i] ? i : Int(alias[i])
    }
}
