/// A parsed JSON value: the input bytes and a flat array of nodes in document order.
/// Node 0 is the root. Nodes refer to the input by byte range, so nothing is decoded until
/// asked for (`string(_:)`, `key(_:)`, `numberText(_:)`).
///
/// ```
/// let document = try JSONDocument(parsing: bytes)
/// for member in document.children(of: document.root) { … document.key(member) … }
/// ```
public struct JSONDocument: Sendable {
    /// The parsed bytes.
    public let bytes: [UInt8]
    /// Every value, in document order (a container before its descendants).
    public let nodes: [JSONNode]

    /// Parses `bytes` as one JSON value; lines are numbered from `firstLine` (pass the line
    /// of a JSONL record to number its nodes as in the file).
    public init(parsing bytes: [UInt8], firstLine: Int = 1) throws(JSONParseError) {
        switch JSONParser.parse(bytes, firstLine: firstLine) {
        case .success(let nodes):
            self.bytes = bytes
            self.nodes = nodes
        case .failure(let error):
            throw error
        }
    }

    /// Parses `bytes`, returning the error as a value.
    public static func parse(_ bytes: [UInt8], firstLine: Int = 1) -> Result<JSONDocument, JSONParseError> {
        do {
            return .success(try JSONDocument(parsing: bytes, firstLine: firstLine))
        } catch {
            return .failure(error)
        }
    }

    /// The root value's node.
    public var root: Int { 0 }

    public subscript(index: Int) -> JSONNode { nodes[index] }

    public func kind(_ index: Int) -> JSONKind { nodes[index].kind }

    /// The children of a container in order (member values of an object, elements of an
    /// array); empty for scalars.
    public func children(of index: Int) -> JSONChildren { JSONChildren(nodes: nodes, parent: index) }

    /// The value of member `key` of object `index` (the first one, if repeated), or nil.
    public func member(_ index: Int, _ key: String) -> Int? {
        var key = key
        return key.withUTF8 { member(index, key: $0) }
    }

    /// The value of the member whose decoded key is `key`, or nil.
    public func member<Key: Collection<UInt8>>(_ index: Int, key: Key) -> Int? {
        guard nodes[index].kind == .object else { return nil }
        for child in children(of: index) where keyEquals(child, key) { return child }
        return nil
    }

    /// True when node `index` is an object member whose decoded key is `key`.
    public func keyEquals<Key: Collection<UInt8>>(_ index: Int, _ key: Key) -> Bool {
        let node = nodes[index]
        guard node.hasKey else { return false }
        if node.keyHasEscapes { return JSONDocument.unescape(bytes[node.keyStart..<node.keyEnd]).elementsEqual(key) }
        return bytes[node.keyStart..<node.keyEnd].elementsEqual(key)
    }

    /// The decoded key of an object member, nil for other nodes.
    public func key(_ index: Int) -> [UInt8]? {
        let node = nodes[index]
        guard node.hasKey else { return nil }
        let raw = bytes[node.keyStart..<node.keyEnd]
        return node.keyHasEscapes ? JSONDocument.unescape(raw) : Array(raw)
    }

    /// The key's bytes as written between its quotes (escapes unresolved), nil for non-members.
    public func rawKey(_ index: Int) -> ArraySlice<UInt8>? {
        let node = nodes[index]
        return node.hasKey ? bytes[node.keyStart..<node.keyEnd] : nil
    }

    /// The decoded bytes of a string value (escapes and `\uXXXX` resolved, surrogate pairs
    /// joined, a lone surrogate as U+FFFD); nil for other kinds.
    public func string(_ index: Int) -> [UInt8]? {
        let node = nodes[index]
        guard node.kind == .string else { return nil }
        let raw = bytes[(node.start + 1)..<(node.end - 1)]
        return node.valueHasEscapes ? JSONDocument.unescape(raw) : Array(raw)
    }

    /// True when a string value has no escapes: its bytes between the quotes are its value.
    public func isPlainString(_ index: Int) -> Bool { nodes[index].kind == .string && !nodes[index].valueHasEscapes }

    /// A number's text as written; nil for other kinds.
    public func numberText(_ index: Int) -> ArraySlice<UInt8>? {
        let node = nodes[index]
        return node.kind == .number ? bytes[node.start..<node.end] : nil
    }

    /// The value's bytes exactly as in the input (whitespace inside containers included).
    public func rawBytes(_ index: Int) -> ArraySlice<UInt8> { bytes[nodes[index].start..<nodes[index].end] }

    /// Resolves the escapes of a string's bytes between its quotes (already validated).
    static func unescape(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        let end = raw.endIndex
        while i < end {
            // The run up to the next backslash is copied as it is.
            let next = raw[i..<end].firstIndex(of: 0x5C) ?? end
            if next > i {
                out.append(contentsOf: raw[i..<next])
                i = next
                continue
            }
            guard i + 1 < end else {
                out.append(raw[i])
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex4(raw, i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate: joined with the low one after it, if there is one.
                    if i + 6 <= end, raw[i] == 0x5C, raw[i + 1] == 0x75 {
                        let low = hex4(raw, i + 2)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(UInt32(scalar), to: &out)
            default: out.append(e) // " \ /
            }
        }
        return out
    }

    /// The value of four hex digits at `i` (validated by the parser; -1 digits read as 0).
    private static func hex4(_ raw: ArraySlice<UInt8>, _ i: Int) -> Int {
        var value = 0
        for k in i..<min(i + 4, raw.endIndex) { value = value << 4 | max(0, JSONParserState.hexValue(raw[k])) }
        return value
    }
}

/// The children of one container, in order (a walk along `nextSibling`).
public struct JSONChildren: Sequence, Sendable {
    let nodes: [JSONNode]
    let parent: Int

    public func makeIterator() -> Iterator {
        let node = nodes[parent]
        return Iterator(nodes: nodes, upcoming: node.childCount > 0 ? parent + 1 : -1)
    }

    public var underestimatedCount: Int { Int(nodes[parent].childCount) }

    public struct Iterator: IteratorProtocol {
        let nodes: [JSONNode]
        var upcoming: Int

        public mutating func next() -> Int? {
            guard upcoming >= 0 else { return nil }
            defer { upcoming = Int(nodes[upcoming].nextSibling) }
            return upcoming
        }
    }
}
