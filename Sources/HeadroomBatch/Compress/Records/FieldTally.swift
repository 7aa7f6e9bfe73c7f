import Foundation

/// What the values of one field were across JSON records. A field is a key path:
/// `user.login`, or `labels[].name` for the members of objects in an array.
struct FieldTally {
    /// Distinct values are listed while there are at most this many, each at most
    /// `maxValueBytes` long; past that the field is described by its range and an example.
    static let maxDistinct = 64
    static let maxValueBytes = 64

    /// One distinct scalar value: its JSON text and how often it occurred.
    struct Value {
        var text: [UInt8]
        var count: Int
    }

    var path: [UInt8]
    /// What the field says about its record (an error, a status, a measure), from its key.
    let role: FieldRole
    /// Occurrences (an array's elements count one each) and the records with at least one.
    var occurrences = 0
    var records = 0
    var nulls = 0
    /// `""`, `[]` and `{}`.
    var empties = 0
    var strings = 0
    var numbers = 0
    var booleans = 0
    var containers = 0
    /// The smallest and largest number, with their text as written (the first one on ties).
    var minimum = Double.infinity
    var maximum = -Double.infinity
    var minimumText: [UInt8] = []
    var maximumText: [UInt8] = []
    /// Distinct scalar values in first-seen order; nil once there are too many.
    var values: [Value]? = []
    private var valueSlots = HashIndex(capacity: 8)
    /// The first value seen, as written (cut at `maxValueBytes`).
    var example: [UInt8] = []
    /// The record (index within its block) that last counted in `records`.
    private var lastRecord = -1

    init(path: [UInt8], role: FieldRole) {
        self.path = path
        self.role = role
    }

    /// True when every occurrence is null or empty.
    var alwaysEmpty: Bool { nulls + empties == occurrences }

    /// Counts one occurrence of `kind` with JSON text `text` in record `record`.
    mutating func count(_ kind: JSONKind, text: UnsafeRawBufferPointer, record: Int) {
        occurrences += 1
        if record != lastRecord {
            records += 1
            lastRecord = record
        }
        switch kind {
        case .null: nulls += 1
        case .string: strings += 1; if text.count == 2 { empties += 1 }
        case .number: numbers += 1; countNumber(text)
        case .true, .false: booleans += 1
        case .object, .array:
            containers += 1
            if text.count == 2 { empties += 1 }
            return
        }
        if example.isEmpty { example = Array(text.prefix(Self.maxValueBytes)) }
        countValue(text)
    }

    private mutating func countNumber(_ text: UnsafeRawBufferPointer) {
        guard let value = NumberText.value(text) else { return }
        if value < minimum { minimum = value; minimumText = Array(text) }
        if value > maximum { maximum = value; maximumText = Array(text) }
    }

    private mutating func countValue(_ text: UnsafeRawBufferPointer) {
        guard values != nil else { return }
        guard text.count <= Self.maxValueBytes else {
            values = nil
            valueSlots = HashIndex(capacity: 1)
            return
        }
        let hash = LineHash.hash(text).hash | 1
        if let slot = valueSlots[hash] {
            values![Int(slot)].count += 1
        } else if values!.count < Self.maxDistinct {
            valueSlots.insert(hash, Int32(values!.count))
            values!.append(Value(text: Array(text), count: 1))
        } else {
            values = nil
            valueSlots = HashIndex(capacity: 1)
        }
    }

    /// Adds the tally of the same field from a later block.
    mutating func merge(_ later: FieldTally) {
        occurrences += later.occurrences
        records += later.records
        nulls += later.nulls
        empties += later.empties
        strings += later.strings
        numbers += later.numbers
        booleans += later.booleans
        containers += later.containers
        if later.minimum < minimum { minimum = later.minimum; minimumText = later.minimumText }
        if later.maximum > maximum { maximum = later.maximum; maximumText = later.maximumText }
        if example.isEmpty { example = later.example }
        guard values != nil else { return }
        guard let laterValues = later.values else {
            values = nil
            valueSlots = HashIndex(capacity: 1)
            return
        }
        for value in laterValues {
            let hash = value.text.withUnsafeBytes { LineHash.hash($0).hash } | 1
            if let slot = valueSlots[hash] {
                values![Int(slot)].count += value.count
            } else if values!.count < Self.maxDistinct {
                valueSlots.insert(hash, Int32(values!.count))
                values!.append(value)
            } else {
                values = nil
                valueSlots = HashIndex(capacity: 1)
                return
            }
        }
    }
}

/// Reads JSON number text as a Double without making a String.
enum NumberText {
    static func value(_ text: UnsafeRawBufferPointer) -> Double? {
        var i = 0
        let n = text.count
        var negative = false
        if i < n, text[i] == 45 { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        while i < n, text[i] >= 48, text[i] <= 57 {
            if digits < 18 { mantissa = mantissa * 10 + UInt64(text[i] - 48); digits += 1 } else { scale += 1 }
            i += 1
        }
        if i < n, text[i] == 46 {
            i += 1
            while i < n, text[i] >= 48, text[i] <= 57 {
                if digits < 18 { mantissa = mantissa * 10 + UInt64(text[i] - 48); digits += 1; scale -= 1 }
                i += 1
            }
        }
        if i < n, text[i] == 101 || text[i] == 69 {
            i += 1
            var exponentNegative = false
            if i < n, text[i] == 43 || text[i] == 45 { exponentNegative = text[i] == 45; i += 1 }
            var exponent = 0
            while i < n, text[i] >= 48, text[i] <= 57 { exponent = min(exponent * 10 + Int(text[i] - 48), 9999); i += 1 }
            scale += exponentNegative ? -exponent : exponent
        }
        guard i == n, digits > 0 || mantissa == 0 else { return nil }
        let magnitude = Double(mantissa) * pow(10, Double(scale))
        return negative ? -magnitude : magnitude
    }
}
