/// The parallel half of template mining, for one chunk of lines: each line's header is
/// found, its message masked and hashed into a signature, and per distinct signature the
/// message of its first line is kept, with the range of the numbers of each of its first
/// `rangedVariables` variable tokens.
/// Any number of chunks can be computed at once (one per worker); `TemplateMiner.absorb`
/// then takes them in input order.
///
/// Memory: 8 bytes per line plus, per distinct signature in the chunk, its first line and
/// message and at most `rangedVariables` ranges. Reusable: `reset` keeps the capacity.
struct ChunkSignatures {
    /// What the chunk saw of one signature.
    struct Entry {
        var signature: UInt64
        /// Its first line in the chunk, at most `lineExampleLimit` bytes.
        var line: [UInt8]
        /// The message of that line (header removed).
        var message: [UInt8]
        /// The numbers seen by each of the first `rangedVariables` variable tokens, over every
        /// line of the signature.
        var ranges: SignatureRanges
    }

    /// The signature of every line, in order.
    private(set) var lineSignatures: [UInt64] = []
    /// The index in `entries` of every line's signature, in order.
    private(set) var lineEntries: [Int32] = []
    /// One entry per distinct signature, in order of first line.
    private(set) var entries: [Entry] = []
    private var entryIndex = HashIndex()
    private var masker = TokenMasker()
    /// Bytes of a line kept as its signature's example.
    static let lineExampleLimit = 256
    /// Variable tokens of a signature whose numbers are ranged (the first ones).
    static let rangedVariables = 16

    init() {}

    /// Forgets every line, keeping the storage.
    mutating func reset() {
        lineSignatures.removeAll(keepingCapacity: true)
        lineEntries.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        entryIndex.removeAll()
    }

    /// Adds one raw line (a trailing newline is ignored).
    mutating func add(_ line: UnsafeRawBufferPointer) {
        var entry = LineShapeCache.Entry()
        learn(line, into: &entry)
    }

    /// Adds one raw line and fills in the mining facts of `entry` (signature, message start,
    /// token count); the line's tokens are then `tokens`, for `LineShapeCache.store`.
    mutating func learn(_ line: UnsafeRawBufferPointer, into entry: inout LineShapeCache.Entry) {
        var end = line.count
        guard let raw = line.baseAddress, end > 0 else {
            let signature = TemplateTree.signatureHash([])
            entry.signature = signature
            _ = append(signature) { Entry(signature: signature, line: [], message: [], ranges: SignatureRanges()) }
            return
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        while end > 0, base[end - 1] == 0x0A || base[end - 1] == 0x0D { end -= 1 }
        let start = min(LineHeader.messageStart(UnsafeRawBufferPointer(start: raw, count: end)), end)
        masker.tokenize(base, start: start, end: end)
        let tokens = masker.tokens
        let signature = TemplateTree.signatureHash(tokens)
        entry.signature = signature
        entry.messageStart = Int32(start)
        entry.tokenCount = Int32(tokens.count)
        let index = append(signature) {
            var positions: [Int32] = []
            for (position, token) in tokens.enumerated() where token.hasVariable && positions.count < Self.rangedVariables {
                positions.append(Int32(position))
            }
            return Self.newEntry(signature, base, start, end, positions: positions)
        }
        guard !entries[index].ranges.positions.isEmpty else { return }
        entries[index].ranges.ranges.withUnsafeMutableBufferPointer { ranges in
            var k = 0
            for token in tokens where token.hasVariable {
                guard k < ranges.count else { break }
                ranges[k].add(base, start: Int(token.start), end: Int(token.end))
                k += 1
            }
        }
    }

    /// Adds one raw line of a shape `shapes` knows (`entry`): no header or token scan, only
    /// its numbers are read.
    mutating func add(_ line: UnsafeRawBufferPointer, known entry: LineShapeCache.Entry, shapes: LineShapeCache) {
        let signature = entry.signature
        let base = line.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var end = line.count
        while end > 0, base[end - 1] == 0x0A || base[end - 1] == 0x0D { end -= 1 }
        let index = append(signature) {
            var positions: [Int32] = []
            shapes.variables(of: entry) { variables in
                positions = variables.prefix(Self.rangedVariables).map(\.position)
            }
            return Self.newEntry(signature, base, Int(entry.messageStart), end, positions: positions)
        }
        guard entry.variableCount > 0 else { return }
        entries[index].ranges.ranges.withUnsafeMutableBufferPointer { ranges in
            shapes.variables(of: entry) { variables in
                for (k, variable) in variables.prefix(ranges.count).enumerated() where Int(variable.end) <= end {
                    ranges[k].add(base, start: Int(variable.start), end: Int(variable.end))
                }
            }
        }
    }

    /// The tokens of the last line `learn` added.
    var tokens: [MaskedToken] { masker.tokens }

    /// Records a line of `signature`; returns the index of its entry (made by `make` for the
    /// first line).
    @inline(__always)
    private mutating func append(_ signature: UInt64, _ make: () -> Entry) -> Int {
        lineSignatures.append(signature)
        if let known = entryIndex[signature] {
            lineEntries.append(known)
            return Int(known)
        }
        let index = entries.count
        entries.append(make())
        entryIndex.insert(signature, Int32(index))
        lineEntries.append(Int32(index))
        return index
    }

    private static func newEntry(_ signature: UInt64, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                                 positions: [Int32]) -> Entry {
        Entry(signature: signature, line: Array(UnsafeBufferPointer(start: base, count: min(end, Self.lineExampleLimit))),
              message: Array(UnsafeBufferPointer(start: base + start, count: end - start)),
              ranges: SignatureRanges(positions: positions,
                                      ranges: [NumericRange](repeating: NumericRange(), count: positions.count)))
    }

    /// Adds one line given as bytes.
    mutating func add(_ line: [UInt8]) { line.withUnsafeBytes { add($0) } }
}

/// The numeric ranges of a signature: `ranges[k]` holds the numbers of the token at
/// `positions[k]` (its first variable tokens, in order).
struct SignatureRanges {
    var positions: [Int32] = []
    var ranges: [NumericRange] = []

    /// Merges the ranges of the same signature seen elsewhere.
    mutating func merge(_ other: SignatureRanges) {
        if positions.isEmpty && ranges.isEmpty {
            self = other
        } else if positions == other.positions {
            for k in ranges.indices { ranges[k].merge(other.ranges[k]) }
        } else {
            // Lines of other shapes (past the miner's signature limit): no range holds for all.
            for k in ranges.indices { ranges[k].mixed = true }
        }
    }
}

/// The numbers one token position held: their range and unit (`12ms`, `4.5s`, `200`), or
/// `mixed` once a value was not a number of the same unit. Merging is order-free, so ranges
/// are the same however lines were chunked.
struct NumericRange: Equatable {
    var count = 0
    var minimum = Double.infinity
    var maximum = -Double.infinity
    /// All values were integers.
    var integral = true
    /// The unit suffix (at most 8 bytes, packed little-endian; 0 for none).
    var unit: UInt64 = 0
    var mixed = false

    /// The unit suffix as text.
    var unitText: String {
        var bytes: [UInt8] = []
        var rest = unit
        while rest != 0 { bytes.append(UInt8(truncatingIfNeeded: rest)); rest >>= 8 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A range worth printing: only numbers of one unit were seen.
    var isNumeric: Bool { count > 0 && !mixed }

    /// Adds the value of the token `base[start..<end]`: what follows its last `=` or `:`
    /// (`time=12ms`, `user:1003`), or the whole token.
    @inline(__always)
    mutating func add(_ base: UnsafePointer<UInt8>, start: Int, end: Int) {
        guard !mixed else { return }
        var p = end - 1
        while p > start, base[p - 1] != UInt8(ascii: "="), base[p - 1] != UInt8(ascii: ":") { p -= 1 }
        guard let (value, isIntegral, unitStart) = Self.parse(base, p, end) else {
            mixed = true
            return
        }
        var packed: UInt64 = 0
        for q in unitStart..<end { packed |= UInt64(base[q]) << (8 * UInt64(q - unitStart)) }
        if count == 0 {
            unit = packed
        } else if packed != unit {
            mixed = true
            return
        }
        count += 1
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        integral = integral && isIntegral
    }

    /// Merges another range of the same position.
    mutating func merge(_ other: NumericRange) {
        guard other.count > 0 || other.mixed else { return }
        if mixed || other.mixed || (count > 0 && other.unit != unit) {
            mixed = true
            return
        }
        if count == 0 { unit = other.unit }
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        integral = integral && other.integral
    }

    /// `-?digits(.digits)?` followed by a unit of at most 8 letters or `%`; nil otherwise.
    @inline(__always)
    private static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Double, Bool, Int)? {
        var p = start
        var negative = false
        if p < end, base[p] == UInt8(ascii: "-") { negative = true; p += 1 }
        let digitsStart = p
        var whole = 0.0
        while p < end, base[p] &- 48 < 10 { whole = whole * 10 + Double(base[p] &- 48); p += 1 }
        guard p > digitsStart, p - digitsStart <= 18 else { return nil }
        var integral = true
        if p + 1 < end, base[p] == UInt8(ascii: "."), base[p + 1] &- 48 < 10 {
            integral = false
            p += 1
            var scale = 0.1
            while p < end, base[p] &- 48 < 10 { whole += Double(base[p] &- 48) * scale; scale *= 0.1; p += 1 }
        }
        let unitStart = p
        while p < end, (base[p] | 0x20) &- 97 < 26 || base[p] == UInt8(ascii: "%") { p += 1 }
        guard p == end, p - unitStart <= 8 else { return nil }
        return (negative ? -whole : whole, integral, unitStart)
    }
}
