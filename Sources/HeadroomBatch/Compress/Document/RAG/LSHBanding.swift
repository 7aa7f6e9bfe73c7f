/// Locality-sensitive hashing by bands: a signature of `values` entries is cut into bands of
/// `rows` entries, and two signatures are candidates when any band agrees whole.
enum LSHBanding {
    /// The most rows per band (a power of two up to 8) with which a pair exactly `similarity`
    /// similar is missed (no band agrees) with probability at most `missAtMost`.
    static func rowsPerBand(similarity: Double, values: Int, missAtMost: Double) -> Int {
        var rows = 8
        while rows > 1 {
            // A band agrees with probability similarity^rows; the pair is missed when none does.
            var agrees = 1.0
            for _ in 0..<rows { agrees *= max(similarity, 0) }
            var missed = 1.0
            for _ in 0..<(values / rows) { missed *= 1 - agrees }
            if missed <= missAtMost { break }
            rows /= 2
        }
        return rows
    }
}
