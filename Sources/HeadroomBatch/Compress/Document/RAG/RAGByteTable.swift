/// An open-addressing hash set of byte runs that numbers each distinct run (0, 1, … in order
/// of first insertion): the hash is `RAGByteHash.hash` (computed by the caller, once), and runs
/// whose hashes agree are compared byte for byte, so distinct runs never merge. Faster than a
/// `Dictionary` for the many lines and texts the RAG compressor looks up.
struct RAGByteTable {
    /// Per slot, the entry stored there, -1 when empty.
    private var slots: [Int32]
    /// Per entry, its hash and its bytes.
    private var hashes: [UInt64] = []
    private(set) var keys: [ArraySlice<UInt8>] = []

    /// Distinct runs inserted.
    var count: Int { keys.count }

    /// An empty table sized for about `capacity` distinct runs.
    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
        hashes.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
    }

    /// The entry of `bytes`, added when new.
    mutating func insert(_ bytes: ArraySlice<UInt8>, hash: UInt64) -> (entry: Int, inserted: Bool) {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash, Self.equal(keys[entry], bytes) { return (entry, false) }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        hashes.append(hash)
        keys.append(bytes)
        return (keys.count - 1, true)
    }

    /// The entry of `bytes`, nil when absent.
    func find(_ bytes: ArraySlice<UInt8>, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if hashes[entry] == hash, Self.equal(keys[entry], bytes) { return entry }
            slot = (slot + 1) & mask
        }
    }

    /// Doubles the slots and places every entry again.
    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// Byte equality, 8 bytes at a time.
    static func equal(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                var offset = 0
                while offset + 8 <= a.count {
                    if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                        return false
                    }
                    offset += 8
                }
                while offset < a.count {
                    if a[offset] != b[offset] { return false }
                    offset += 1
                }
                return true
            }
        }
    }
}
