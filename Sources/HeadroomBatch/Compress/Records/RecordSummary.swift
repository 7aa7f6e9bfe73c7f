/// What a worker learns from the JSON records (one per line) of one block, for the merge
/// stage to add up in order: field tallies, and copies of the records the bundle may show.
/// Records are numbered by their line index in the block.
struct RecordSummary {
    /// Records flagged as errors or failures kept per block (and in all) at most; the rest
    /// are counted.
    static let notableLimit = 1000
    /// Distinct fields tallied per block at most.
    static let fieldLimit = 4096

    /// A record the bundle may show, and why. `line` is its line index in the block in a
    /// summary, and its line number in the source once `RecordCompressor` has absorbed it.
    struct KeptRecord {
        var line: Int
        var bytes: [UInt8]
        /// What marks it: `status=500`, `error`, or the parse error of a line that is not JSON.
        var reason: String
        /// The line is not JSON.
        var broken = false
    }

    var fields: [FieldTally] = []
    /// The path hash of each field, and the slot of each path hash.
    var fieldHashes: [UInt64] = []
    var fieldSlots = HashIndex(capacity: 64)
    var fieldsOverflowed = false
    var records = 0
    /// Empty or blank lines (not records).
    var blankLines = 0
    /// Lines that are not one JSON object (arrays, scalars, or not JSON at all).
    var notObjects = 0
    var invalid = 0
    /// Records too long to analyze (and parts of records that span blocks).
    var unanalyzed = 0
    var notableCount = 0
    var notable: [KeptRecord] = []
    /// The first and last records of the block (at most `window` each).
    var first: [KeptRecord] = []
    var last: [KeptRecord] = []
    /// For each field with numbers worth an extreme (not ids): the record holding its largest
    /// value, by field slot.
    var largest: [Int: (value: Double, record: KeptRecord)] = [:]

    mutating func reset() { self = RecordSummary() }

    /// The slot of the field whose path hashes to `hash` (not 0), created on first sight from
    /// `make`; nil past the limit.
    @inline(__always)
    mutating func slot(_ hash: UInt64, make: () -> FieldTally) -> Int? {
        if let slot = fieldSlots[hash] { return Int(slot) }
        guard fields.count < Self.fieldLimit else {
            fieldsOverflowed = true
            return nil
        }
        fieldSlots.insert(hash, Int32(fields.count))
        fieldHashes.append(hash)
        fields.append(make())
        return fields.count - 1
    }
}
