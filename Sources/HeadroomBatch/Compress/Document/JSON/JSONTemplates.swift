/// A string member given by other members of the same object, e.g. GitHub's
/// `followers_url` = `<url>/followers` or `html_url` = `https://github.com/<full_name>`.
struct JSONFieldTemplate {
    enum Part: Equatable {
        case literal([UInt8])
        case field([UInt8])
    }

    /// The derived member's key.
    var field: [UInt8]
    var parts: [Part]

    /// The member keys the template reads.
    var sources: [[UInt8]] { parts.compactMap { if case .field(let key) = $0 { return key } else { return nil } } }

    /// `followers_url = <url>/followers`.
    var text: String {
        var out = String(decoding: field, as: UTF8.self) + " = "
        for part in parts {
            switch part {
            case .literal(let bytes): out += String(decoding: bytes, as: UTF8.self)
            case .field(let key): out += "<" + String(decoding: key, as: UTF8.self) + ">"
            }
        }
        return out
    }
}

/// Objects with the same member keys (in order), and the templates that hold for them.
struct JSONObjectClass {
    /// The object nodes of the class, in document order.
    var instances: [Int] = []
    /// Where instances sit, in order of first appearance: `owner`, `items[]`, `root`.
    var places: [String] = []
    var templates: [JSONFieldTemplate] = []
    /// The number of keys of its objects.
    var keyCount = 0
}

/// Finds the string members that templates over sibling members give (URL families of API
/// responses), per class of objects, verified on every instance: a member is omitted
/// (`derived`) only where its template reproduces its value exactly.
struct JSONTemplates {
    private(set) var classes: [JSONObjectClass] = []
    /// Per node: true when the node is an object member that its class template gives.
    private(set) var derived: [Bool]

    /// Derived values must be at least this long (shorter ones cost less than the template).
    static let minimumLength = 12
    /// A source value must be at least this long when it is a string.
    static let minimumSourceLength = 3

    init(_ document: JSONDocument) {
        derived = [Bool](repeating: false, count: document.nodes.count)
        var classIndex: [UInt64: Int] = [:]
        for index in document.nodes.indices where document.kind(index) == .object && document[index].childCount > 1 {
            var signature: UInt64 = 0xcbf2_9ce4_8422_2325
            for child in document.children(of: index) {
                signature = JSONSubtrees.mix(signature, JSONSubtrees.fnv(document.key(child) ?? []))
            }
            let slot: Int
            if let existing = classIndex[signature] {
                slot = existing
            } else {
                slot = classes.count
                classIndex[signature] = slot
                classes.append(JSONObjectClass(keyCount: Int(document[index].childCount)))
            }
            classes[slot].instances.append(index)
            let place = Self.place(of: index, in: document)
            if !classes[slot].places.contains(place) { classes[slot].places.append(place) }
        }
        for slot in classes.indices {
            var objectClass = classes[slot]
            findTemplates(&objectClass, document)
            classes[slot] = objectClass
        }
        classes.removeAll { $0.templates.isEmpty }
    }

    /// Where a node sits, for naming its class: its key, `key[]` for array elements, `root`.
    static func place(of index: Int, in document: JSONDocument) -> String {
        if let key = document.key(index) { return String(decoding: key, as: UTF8.self) }
        let parent = Int(document[index].parent)
        guard parent >= 0 else { return "root" }
        if let key = document.key(parent) { return String(decoding: key, as: UTF8.self) + "[]" }
        return Int(document[parent].parent) < 0 ? "root[]" : "[]"
    }

    /// The value of a scalar member as a template reads it: decoded string, number text.
    private static func scalarText(_ node: Int, _ document: JSONDocument) -> [UInt8]? {
        switch document.kind(node) {
        case .string: return document.string(node)
        case .number: return document.numberText(node).map(Array.init)
        default: return nil
        }
    }

    /// Finds a template for each long string member of the class's first instances and
    /// keeps those that hold for at least half of the instances that have the member.
    private mutating func findTemplates(_ objectClass: inout JSONObjectClass, _ document: JSONDocument) {
        let first = objectClass.instances[0]
        let members = Array(document.children(of: first))
        let keys = members.map { document.key($0) ?? [] }
        // Member values per instance, by position (all instances share the key order).
        let rows: [[Int]] = objectClass.instances.map { Array(document.children(of: $0)) }
        var referenced: [[UInt8]: [[UInt8]]] = [:]
        for (position, member) in members.enumerated() {
            guard document.kind(member) == .string, let value = document.string(member),
                  value.count >= Self.minimumLength, Self.isWebURL(value) else { continue }
            let field = keys[position]
            // Sources: other scalar members, longest values first (ties: member order).
            var sources: [(key: [UInt8], value: [UInt8])] = []
            for (other, node) in members.enumerated() where other != position {
                guard let text = Self.scalarText(node, document) else { continue }
                if document.kind(node) == .string && text.count < Self.minimumSourceLength { continue }
                if reaches(keys[other], field, referenced) { continue }
                sources.append((keys[other], text))
            }
            sources.sort { $0.value.count > $1.value.count }
            let parts = Self.build(value[...], sources, depth: 0)
            guard parts.contains(where: { if case .field = $0 { return true } else { return false } }) else { continue }
            guard !parts.contains(where: { part in
                if case .literal(let bytes) = part { return bytes.contains(UInt8(ascii: "<")) || bytes.contains(UInt8(ascii: ">")) }
                return false
            }) else { continue }
            let template = JSONFieldTemplate(field: field, parts: parts)
            let positions = template.sources.map { key in keys.firstIndex(of: key)! }
            var holds: [Int] = []
            var having = 0
            for row in rows {
                guard document.kind(row[position]) == .string, let actual = document.string(row[position]) else { continue }
                having += 1
                var expanded: [UInt8] = []
                var ok = true
                var sourceIndex = 0
                for part in parts {
                    switch part {
                    case .literal(let bytes): expanded += bytes
                    case .field:
                        guard let text = Self.scalarText(row[positions[sourceIndex]], document) else { ok = false; break }
                        expanded += text
                        sourceIndex += 1
                    }
                    if !ok { break }
                }
                if ok && expanded == actual { holds.append(row[position]) }
            }
            guard !holds.isEmpty, holds.count * 2 >= having else { continue }
            for node in holds { derived[node] = true }
            objectClass.templates.append(template)
            referenced[field] = template.sources
        }
    }

    /// True when `key` is `target` or is derived, through templates, from `target`.
    private func reaches(_ key: [UInt8], _ target: [UInt8], _ referenced: [[UInt8]: [[UInt8]]]) -> Bool {
        var pending = [key]
        var seen: Set<[UInt8]> = []
        while let next = pending.popLast() {
            if next == target { return true }
            guard seen.insert(next).inserted else { continue }
            pending += referenced[next] ?? []
        }
        return false
    }

    /// True for `http://…` and `https://…`: only web addresses are derived (other strings
    /// are facts a reader looks for verbatim).
    static func isWebURL(_ value: [UInt8]) -> Bool {
        value.starts(with: Array("http://".utf8)) || value.starts(with: Array("https://".utf8))
    }

    /// `value` as literals and references to the longest source values found in it (at
    /// most three references).
    private static func build(_ value: ArraySlice<UInt8>, _ sources: [(key: [UInt8], value: [UInt8])],
                              depth: Int) -> [JSONFieldTemplate.Part] {
        guard !value.isEmpty else { return [] }
        if depth < 3 {
            for source in sources {
                if let found = firstWholeRange(of: source.value, in: value) {
                    return build(value[value.startIndex..<found.lowerBound], sources, depth: depth + 1)
                        + [.field(source.key)]
                        + build(value[found.upperBound...], sources, depth: depth + 1)
                }
            }
        }
        return [.literal(Array(value))]
    }

    /// The first occurrence of `needle` in `haystack` that does not split a word: no letter
    /// or digit on either side of it next to a letter or digit of its own (so `<number>` is
    /// never read out of the middle of `20220719`).
    static func firstWholeRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard let first = needle.first, let last = needle.last else { return nil }
        var rest = haystack
        while let found = firstRange(of: needle, in: rest) {
            let before = found.lowerBound > haystack.startIndex ? haystack[found.lowerBound - 1] : nil
            let after = found.upperBound < haystack.endIndex ? haystack[found.upperBound] : nil
            let splitsStart = isAlphanumeric(first) && before.map(isAlphanumeric) == true
            let splitsEnd = isAlphanumeric(last) && after.map(isAlphanumeric) == true
            if !splitsStart && !splitsEnd { return found }
            rest = haystack[(found.lowerBound + 1)...]
        }
        return nil
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// The first occurrence of `needle` in `haystack`.
    static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        let first = needle[0]
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i..<(i + needle.count) }
            i += 1
        }
        return nil
    }
}
