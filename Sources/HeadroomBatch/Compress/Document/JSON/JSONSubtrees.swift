/// Structural hashes of every subtree of a document, to find values that repeat: equal
/// subtrees (same kinds, member keys, scalar values and order) hash equal; `equal` confirms.
struct JSONSubtrees {
    let document: JSONDocument
    /// The hash of each node's value (its own key excluded, its members' keys included).
    private(set) var hashes: [UInt64]

    init(_ document: JSONDocument) {
        self.document = document
        let nodes = document.nodes
        var hashes = [UInt64](repeating: 0, count: nodes.count)
        for index in stride(from: nodes.count - 1, through: 0, by: -1) {
            let node = nodes[index]
            var hash = Self.mix(0xcbf2_9ce4_8422_2325, UInt64(node.kind.rawValue))
            switch node.kind {
            case .object, .array:
                for child in document.children(of: index) {
                    if node.kind == .object { hash = Self.mix(hash, Self.fnv(document.key(child) ?? [])) }
                    hash = Self.mix(hash, hashes[child])
                }
            case .string:
                hash = Self.mix(hash, Self.fnv(document.string(index) ?? []))
            case .number:
                hash = Self.mix(hash, Self.fnv(document.numberText(index) ?? []))
            default:
                break
            }
            hashes[index] = hash
        }
        self.hashes = hashes
    }

    /// True when the values of nodes `a` and `b` are the same JSON (member order included).
    func equal(_ a: Int, _ b: Int) -> Bool {
        let nodes = document.nodes
        guard hashes[a] == hashes[b], nodes[a].subtreeEnd - Int32(a) == nodes[b].subtreeEnd - Int32(b) else { return false }
        let size = Int(nodes[a].subtreeEnd) - a
        for offset in 0..<size {
            let x = a + offset, y = b + offset
            guard nodes[x].kind == nodes[y].kind, nodes[x].childCount == nodes[y].childCount else { return false }
            if offset > 0, document.key(x) != document.key(y) { return false }
            switch nodes[x].kind {
            case .string: if document.string(x) != document.string(y) { return false }
            case .number: if document.numberText(x)! != document.numberText(y)! { return false }
            default: break
            }
        }
        return true
    }

    /// FNV-1a of `bytes`.
    static func fnv<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Order-dependent combination of two hashes.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a ^ (b &+ 0x9E37_79B9_7F4A_7C15 &+ (a << 6) &+ (a >> 2))
        x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 29)
    }
}
