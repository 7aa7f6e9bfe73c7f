/// What one worker found for recent line *shapes*: a line's shape is its bytes with every
/// digit replaced by `0`, hashed. Everything the analysis derives for a line but its
/// numbers — level, signals, control bytes, header length, template signature, where its
/// variable tokens are — depends only on the classes of its bytes and their positions, never
/// on a digit's value, so two lines of one shape share all of it. A hit skips the level
/// and signal scans, the header and the token masker; the line's numbers are still read
/// (from the remembered token offsets) for the templates' numeric ranges.
///
/// Direct-mapped and fixed in size (`slots` entries, each with room for `maxVariables`
/// variable tokens): memory is constant, and a result never depends on what was cached.
struct LineShapeCache {
    /// The facts of one shape.
    struct Entry {
        var key: UInt64 = 0
        var signature: UInt64 = 0
        var level: LineLevel = .none
        var signal: LineSignal = []
        var hasControl = false
        var messageStart: Int32 = 0
        var tokenCount: Int32 = 0
        var variableCount: Int32 = 0
    }

    /// A variable token: its position among the message's tokens and its byte offsets in
    /// the line.
    struct Variable {
        var position: Int32
        var start: Int32
        var end: Int32
    }

    static let slots = 1 << 13
    static let maxVariables = 24

    private var entries = [Entry](repeating: Entry(), count: slots)
    private var variables = [Variable](repeating: Variable(position: 0, start: 0, end: 0), count: slots * maxVariables)

    /// The shape of `line` (never 0).
    @inline(__always)
    static func key(_ line: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(line.count)
        var offset = 0
        while offset < line.count {
            let word = ByteClasses.load(line, at: offset, end: line.count)
            let low7 = word & 0x7F7F_7F7F_7F7F_7F7F
            let atLeast = low7 &+ (0x80 - 0x30) &* 0x0101_0101_0101_0101
            let above = low7 &+ (0x7F - 0x39) &* 0x0101_0101_0101_0101
            let digits = atLeast & ~above & ~word & 0x8080_8080_8080_8080
            let mask = (digits >> 7) &* 0xFF
            let shaped = (word & ~mask) | (0x3030_3030_3030_3030 & mask)
            let m = (h ^ shaped) &* 0x9E37_79B9_7F4A_7C15
            h = m ^ (m >> 29)
            offset += 8
        }
        return h | 1
    }

    /// The entry for `key`, if this shape is cached.
    @inline(__always)
    func find(_ key: UInt64) -> Entry? {
        let entry = entries[Int(truncatingIfNeeded: key >> 3) & (Self.slots - 1)]
        return entry.key == key ? entry : nil
    }

    /// The variables of a cached entry.
    @inline(__always)
    func variables(of entry: Entry, _ body: (UnsafeBufferPointer<Variable>) -> Void) {
        let slot = Int(truncatingIfNeeded: entry.key >> 3) & (Self.slots - 1)
        variables.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[(slot * Self.maxVariables)..<(slot * Self.maxVariables + Int(entry.variableCount))]))
        }
    }

    /// Caches `entry` and the variable tokens of `tokens` (offsets relative to the line);
    /// a line with more than `maxVariables` variable tokens is not cached.
    @inline(__always)
    mutating func store(_ entry: Entry, tokens: [MaskedToken], lineStart: Int) {
        let slot = Int(truncatingIfNeeded: entry.key >> 3) & (Self.slots - 1)
        // Count first: the slot's variables must stay those of its entry.
        guard tokens.reduce(0, { $0 + ($1.hasVariable ? 1 : 0) }) <= Self.maxVariables else { return }
        var count = 0
        for (position, token) in tokens.enumerated() where token.hasVariable {
            variables[slot * Self.maxVariables + count] = Variable(position: Int32(position), start: token.start - Int32(lineStart),
                                                                   end: token.end - Int32(lineStart))
            count += 1
        }
        var stored = entry
        stored.variableCount = Int32(count)
        entries[slot] = stored
    }
}
