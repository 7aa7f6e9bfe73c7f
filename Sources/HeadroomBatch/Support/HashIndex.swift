/// A map from well-mixed 64-bit hashes (signatures, shapes) to small integers, by linear
/// probing in one flat array: a lookup is a multiply, a mask and usually one compare,
/// against SipHash and a bucket search for a `Dictionary`. Keys must not be 0.
struct HashIndex {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    /// The value of `key`, if present.
    @inline(__always)
    subscript(key: UInt64) -> Int32? {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Sets the value of `key` (which must not be present).
    mutating func insert(_ key: UInt64, _ value: Int32) {
        precondition(key != 0, "HashIndex keys must not be 0")
        if (count + 1) * 2 > keys.count { grow() }
        var i = slot(key)
        while keys[i] != 0 { i = (i + 1) & mask }
        keys[i] = key
        values[i] = value
        count += 1
    }

    /// Removes every key, keeping the storage.
    mutating func removeAll() {
        guard count > 0 else { return }
        for i in keys.indices { keys[i] = 0 }
        count = 0
    }

    private mutating func grow() {
        let old = (keys, values)
        keys = [UInt64](repeating: 0, count: old.0.count * 2)
        values = [Int32](repeating: 0, count: old.0.count * 2)
        mask = keys.count - 1
        count = 0
        for (k, v) in zip(old.0, old.1) where k != 0 { insert(k, v) }
    }
}
