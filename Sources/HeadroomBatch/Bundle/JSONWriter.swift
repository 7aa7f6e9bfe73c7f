/// A minimal JSON text builder (objects, arrays, strings, numbers, booleans), enough for
/// manifests and summaries without Foundation.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    mutating func beginObject() { value(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    mutating func beginArray() { value(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// Writes `"name":`; the next call writes its value.
    mutating func key(_ name: String) {
        value()
        string(name, asValue: false)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    mutating func string(_ text: String) { string(text, asValue: true) }

    /// A string from raw bytes; invalid UTF-8 becomes U+FFFD.
    mutating func string(bytes raw: [UInt8]) { string(String(decoding: raw, as: UTF8.self)) }

    mutating func number<T: BinaryInteger>(_ n: T) { value(); bytes.append(contentsOf: String(n).utf8) }
    /// A number with `digits` decimals, e.g. 7.125.
    mutating func number(_ n: Double, digits: Int) { value(); bytes.append(contentsOf: Format.fixed(n, digits: digits).utf8) }
    mutating func bool(_ b: Bool) { value(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }

    mutating func field(_ name: String, _ text: String) { key(name); string(text) }
    mutating func field<T: BinaryInteger>(_ name: String, _ n: T) { key(name); number(n) }
    mutating func field(_ name: String, _ b: Bool) { key(name); bool(b) }

    private mutating func value() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func string(_ text: String, asValue: Bool) {
        if asValue { value() }
        bytes.append(UInt8(ascii: "\""))
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, 110])
            case 13: bytes.append(contentsOf: [92, 114])
            case 9: bytes.append(contentsOf: [92, 116])
            case 0..<0x20, 0x7F:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(unit >> 4)], hex[Int(unit & 15)]])
            default: bytes.append(unit)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
