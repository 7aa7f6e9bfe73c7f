/// An array of strings that alternate name and value, as HTTP `rawHeaders` are
/// (`["Server", "GitHub.com", "Date", "Tue, 19 Jul 2022 …", …]`): the renderer writes it as
/// `name: value` lines, and an instance that mostly repeats the one of the element shown
/// above as its changes only (`JSONPairList.Change`).
struct JSONPairList {
    /// The name and value nodes of each pair, in order.
    let pairs: [(name: Int, value: Int)]

    /// Lists of fewer pairs are left as plain arrays.
    static let minimumPairs = 2
    /// A name is at most this long.
    static let maximumNameLength = 64

    /// The pairs of array `array`, or nil when it is not such a list: an even number of
    /// string elements, every even one shaped like a header name (a letter, then letters,
    /// digits, `-`, `_` or `.`) and at least one odd one not so shaped (so a plain list of
    /// words is not read as pairs).
    init?(_ array: Int, _ document: JSONDocument) {
        let node = document[array]
        guard node.kind == .array, node.childCount >= Int32(2 * Self.minimumPairs), node.childCount % 2 == 0 else { return nil }
        var pairs: [(name: Int, value: Int)] = []
        pairs.reserveCapacity(Int(node.childCount) / 2)
        var pendingName = -1
        var valueNotName = false
        for element in document.children(of: array) {
            guard document.kind(element) == .string else { return nil }
            if pendingName < 0 {
                guard document.isPlainString(element), Self.isName(document.rawBytes(element).dropFirst().dropLast()) else { return nil }
                pendingName = element
            } else {
                if !valueNotName, !(document.isPlainString(element) && Self.isName(document.rawBytes(element).dropFirst().dropLast())) {
                    valueNotName = true
                }
                pairs.append((pendingName, element))
                pendingName = -1
            }
        }
        guard valueNotName else { return nil }
        self.pairs = pairs
    }

    /// True for header-name-shaped bytes.
    static func isName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= maximumNameLength,
              (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return false }
        return bytes.allSatisfy { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
                || c == 0x2D || c == 0x5F || c == 0x2E
        }
    }

    /// One difference from the list of the element shown above, in the order of this list.
    enum Change {
        /// The pair at this place has the same name and a new value.
        case changed(pair: Int)
        /// A pair the list above lacks, inserted after the pair named `after` (nil: first).
        case inserted(pair: Int, after: Int?)
        /// The list above had a pair of this name (name node of the list above) that this one lacks.
        case removed(name: Int)
    }

    /// The changes that turn `before` into this list: pairs matched by name in order (the
    /// longest common subsequence of names), then every unmatched or re-valued pair.
    func changes(from before: JSONPairList, _ document: JSONDocument) -> [Change] {
        let old = before.pairs, new = pairs
        func sameName(_ i: Int, _ j: Int) -> Bool { document.rawBytes(old[i].name).elementsEqual(document.rawBytes(new[j].name)) }
        // lengths[i][j]: the longest common subsequence of old[i...] and new[j...].
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = sameName(i, j) ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var changes: [Change] = []
        var i = 0, j = 0
        var lastNew: Int?
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, sameName(i, j) {
                if !document.rawBytes(old[i].value).elementsEqual(document.rawBytes(new[j].value)) { changes.append(.changed(pair: j)) }
                lastNew = j
                i += 1
                j += 1
            } else if j < new.count, i == old.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                changes.append(.inserted(pair: j, after: lastNew))
                lastNew = j
                j += 1
            } else {
                changes.append(.removed(name: old[i].name))
                i += 1
            }
        }
        return changes
    }
}
