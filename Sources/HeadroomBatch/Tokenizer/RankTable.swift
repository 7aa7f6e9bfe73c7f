import Foundation

/// The token byte strings of a BPE vocabulary and their ranks.
///
/// All token bytes live in one contiguous pool. Lookup by bytes goes through an open-addressing
/// hash table (linear probing) whose 16-byte slots hold a 64-bit key: tokens of up to 7 bytes are
/// packed into the key exactly, longer ones are keyed by a hash and checked against the pool.
final class BPERankTable: @unchecked Sendable {
    /// Returned by `rank(_:_:_:)` when the bytes are not a token.
    static let absent = UInt32.max

    private struct Entry {
        var rank: UInt32
        var offset: UInt32
        var length: UInt32
        var line: Int
    }

    private struct Slot {
        var key: UInt64  // 0 = empty
        var rank: UInt32
        var offset: UInt32  // start of the token's bytes in the pool
    }

    private let slots: UnsafeMutablePointer<Slot>
    private let slotShift: UInt64
    private let slotMask: Int
    private let pool: UnsafeMutablePointer<UInt8>
    private let poolCapacity: Int
    /// Pool offset and length of each rank's bytes; length 0 when no token has that rank.
    private let tokenOffset: UnsafeMutablePointer<UInt32>
    private let tokenLength: UnsafeMutablePointer<UInt32>
    /// Rank of each single byte (all 256 are present).
    let byteRank: UnsafeMutablePointer<UInt32>
    /// Rank of each two-byte string, indexed by `first << 8 | second` (256 KiB, cache-friendly:
    /// most lookups during merging are of byte pairs).
    let pairRank: UnsafeMutablePointer<UInt32>
    /// One past the largest rank.
    let rankLimit: Int
    /// Number of tokens.
    let tokenCount: Int

    init(contentsOf path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TokenizerError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw TokenizerError.unreadable(path: path, reason: "it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenizerError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }

        // Base64 never decodes to more bytes than it has characters; 8 bytes of padding let
        // key construction read whole words.
        let poolCapacity = data.count + 8
        let pool = UnsafeMutablePointer<UInt8>.allocate(capacity: poolCapacity)
        pool.initialize(repeating: 0, count: poolCapacity)
        var entries: [Entry] = []
        entries.reserveCapacity(data.count / 12)
        let parseError: TokenizerError? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            return BPERankTable.parse(base, raw.count, path: path, pool: pool, into: &entries)
        }
        var maxRank: UInt32 = 0
        for entry in entries { maxRank = max(maxRank, entry.rank) }
        let rankLimit = entries.isEmpty ? 0 : Int(maxRank) + 1
        let tokenOffset = UnsafeMutablePointer<UInt32>.allocate(capacity: max(rankLimit, 1))
        let tokenLength = UnsafeMutablePointer<UInt32>.allocate(capacity: max(rankLimit, 1))
        tokenOffset.initialize(repeating: 0, count: max(rankLimit, 1))
        tokenLength.initialize(repeating: 0, count: max(rankLimit, 1))
        var slotCount = 1024
        while slotCount < entries.count * 2 { slotCount <<= 1 }
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(key: 0, rank: 0, offset: 0), count: slotCount)
        let byteRank = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        byteRank.initialize(repeating: BPERankTable.absent, count: 256)
        let pairRank = UnsafeMutablePointer<UInt32>.allocate(capacity: 0x10000)
        pairRank.initialize(repeating: BPERankTable.absent, count: 0x10000)

        self.pool = pool
        self.poolCapacity = poolCapacity
        self.tokenOffset = tokenOffset
        self.tokenLength = tokenLength
        self.slots = slots
        self.slotMask = slotCount - 1
        self.slotShift = UInt64(64 - slotCount.trailingZeroBitCount)
        self.byteRank = byteRank
        self.pairRank = pairRank
        self.rankLimit = rankLimit
        self.tokenCount = entries.count

        if let parseError { throw parseError }
        if entries.isEmpty { throw TokenizerError.incomplete(path: path, reason: "it holds no tokens") }
        for entry in entries {
            let rank = Int(entry.rank)
            if tokenLength[rank] != 0 {
                throw TokenizerError.malformedLine(
                    path: path, line: entry.line, reason: "rank \(rank) is given to a second token")
            }
            tokenOffset[rank] = entry.offset
            tokenLength[rank] = entry.length
            let first = Int(pool[Int(entry.offset)])
            if entry.length == 1 { byteRank[first] = entry.rank }
            if entry.length == 2 { pairRank[first << 8 | Int(pool[Int(entry.offset) + 1])] = entry.rank }
        }
        for entry in entries where !insert(offset: Int(entry.offset), length: Int(entry.length), rank: entry.rank) {
            throw TokenizerError.malformedLine(
                path: path, line: entry.line, reason: "token appears a second time")
        }
        for byte in 0..<256 where byteRank[byte] == BPERankTable.absent {
            throw TokenizerError.incomplete(
                path: path,
                reason: "no token for the single byte 0x\(String(byte, radix: 16, uppercase: true)); byte-level BPE needs all 256")
        }
    }

    deinit {
        slots.deallocate()
        pool.deallocate()
        tokenOffset.deallocate()
        tokenLength.deallocate()
        byteRank.deallocate()
        pairRank.deallocate()
    }

    /// Bytes of the token with rank `rank`, or nil if there is none.
    func bytes(ofRank rank: Int) -> UnsafeBufferPointer<UInt8>? {
        guard rank >= 0, rank < rankLimit, tokenLength[rank] > 0 else { return nil }
        return UnsafeBufferPointer(start: pool + Int(tokenOffset[rank]), count: Int(tokenLength[rank]))
    }

    // MARK: Lookup

    /// Rank of the `n` bytes at `p` (`n >= 1`), or `absent`. `limit` is the end of the readable
    /// memory around `p`; reads never go past it.
    @inline(__always)
    func rank(_ p: UnsafePointer<UInt8>, _ n: Int, _ limit: UnsafePointer<UInt8>) -> UInt32 {
        if n == 2 { return pairRank[Int(p[0]) << 8 | Int(p[1])] }
        if n <= 7 {
            let key = BPERankTable.shortKey(p, n, limit)
            var index = slotIndex(key)
            while true {
                let slot = slots[index]
                if slot.key == key { return slot.rank }
                if slot.key == 0 { return BPERankTable.absent }
                index = (index &+ 1) & slotMask
            }
        }
        return longRank(p, n)
    }

    @inline(never)
    private func longRank(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        let key = BPERankTable.longKey(p, n)
        var index = slotIndex(key)
        while true {
            let slot = slots[index]
            if slot.key == key && BPERankTable.equal(pool + Int(slot.offset), p, n)
                && (n < 127 || tokenLength[Int(slot.rank)] == n) {
                return slot.rank
            }
            if slot.key == 0 { return BPERankTable.absent }
            index = (index &+ 1) & slotMask
        }
    }

    @inline(__always)
    private func slotIndex(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> slotShift)
    }

    @inline(__always)
    private static func load64(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Exact key of 1...7 bytes: the bytes little-endian, the length in the top byte.
    @inline(__always)
    private static func shortKey(_ p: UnsafePointer<UInt8>, _ n: Int, _ limit: UnsafePointer<UInt8>) -> UInt64 {
        var word: UInt64
        if limit - p >= 8 {
            word = load64(p) & ((1 &<< UInt64(n &* 8)) &- 1)
        } else {
            word = 0
            for k in 0..<n { word |= UInt64(p[k]) &<< UInt64(k &* 8) }
        }
        return word | UInt64(n) &<< 56
    }

    /// Hashed key of 8 or more bytes; the top byte is 0x80 | min(n, 127), so it never equals a short key or 0.
    @inline(__always)
    private static func longKey(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i &+ 8 <= n {
            h = (h ^ load64(p + i)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 31
            i &+= 8
        }
        if i < n {
            h = (h ^ load64(p + n - 8)) &* 0x94D0_49BB_1331_11EB
            h ^= h &>> 29
        }
        return (h & 0x00FF_FFFF_FFFF_FFFF) | (0x80 | UInt64(min(n, 127))) &<< 56
    }

    /// Byte equality of two ranges of `n >= 8` bytes.
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i &+ 8 <= n {
            if load64(a + i) != load64(b + i) { return false }
            i &+= 8
        }
        return i == n || load64(a + n - 8) == load64(b + n - 8)
    }

    // MARK: Loading

    /// Decodes `base64 rank` lines into the pool; returns the first error.
    private static func parse(
        _ text: UnsafePointer<UInt8>, _ count: Int, path: String, pool: UnsafeMutablePointer<UInt8>,
        into entries: inout [Entry]
    ) -> TokenizerError? {
        let decode = BPERankTable.base64Values
        var poolUsed = 0
        var line = 0
        var i = 0
        while i < count {
            line += 1
            var end = i
            while end < count && text[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > i && text[end - 1] == 0x0D { end -= 1 }
            defer { i = next }
            if end == i { continue }  // blank lines are skipped, as tiktoken does
            var space = i
            while space < end && text[space] != 0x20 { space += 1 }
            if space == end {
                return .malformedLine(path: path, line: line, reason: "expected '<base64 token> <rank>'")
            }
            // Base64 token.
            let encodedLength = space - i
            if encodedLength == 0 || encodedLength % 4 != 0 {
                return .malformedLine(path: path, line: line, reason: "token is not padded base64")
            }
            let start = poolUsed
            var k = i
            while k < space {
                let c0 = decode[Int(text[k])], c1 = decode[Int(text[k + 1])]
                let c2 = decode[Int(text[k + 2])], c3 = decode[Int(text[k + 3])]
                let last = k + 4 == space
                if c0 > 63 || c1 > 63 || c2 > 64 || c3 > 64 || (!last && (c2 == 64 || c3 == 64))
                    || (c2 == 64 && c3 != 64) {
                    return .malformedLine(path: path, line: line, reason: "token is not valid base64")
                }
                pool[poolUsed] = c0 << 2 | c1 >> 4
                poolUsed += 1
                if c2 != 64 {
                    pool[poolUsed] = c1 << 4 | c2 >> 2
                    poolUsed += 1
                    if c3 != 64 {
                        pool[poolUsed] = c2 << 6 | c3
                        poolUsed += 1
                    }
                }
                k += 4
            }
            // Decimal rank.
            var rank: UInt64 = 0
            var d = space + 1
            if d == end {
                return .malformedLine(path: path, line: line, reason: "missing rank after the token")
            }
            while d < end {
                let digit = UInt64(text[d]) &- 0x30
                if digit > 9 {
                    return .malformedLine(path: path, line: line, reason: "rank is not a decimal number")
                }
                rank = rank * 10 + digit
                if rank > 1 << 24 {
                    return .malformedLine(path: path, line: line, reason: "rank is larger than 16777216")
                }
                d += 1
            }
            let length = poolUsed - start
            entries.append(Entry(rank: UInt32(rank), offset: UInt32(start), length: UInt32(length), line: line))
        }
        return nil
    }

    /// Adds a token already in the pool; false if the same bytes are already there.
    private func insert(offset: Int, length: Int, rank: UInt32) -> Bool {
        let p = UnsafePointer(pool + offset)
        let limit = UnsafePointer(pool + poolCapacity)
        let key = length <= 7 ? BPERankTable.shortKey(p, length, limit) : BPERankTable.longKey(p, length)
        var index = slotIndex(key)
        while slots[index].key != 0 {
            let slot = slots[index]
            if slot.key == key {
                if length <= 7 { return false }
                if tokenLength[Int(slot.rank)] == length && BPERankTable.equal(pool + Int(slot.offset), p, length) {
                    return false
                }
            }
            index = (index + 1) & slotMask
        }
        slots[index] = Slot(key: key, rank: rank, offset: UInt32(offset))
        return true
    }

    /// Base64 alphabet value of each byte: 0...63, 64 for '=', 255 otherwise.
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        table[Int(UInt8(ascii: "="))] = 64
        return table
    }()
}
