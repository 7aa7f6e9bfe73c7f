/// How an array of objects is laid out: which members have one value in every row (stated
/// once), which are left out everywhere (template-derived), and the remaining columns.
struct JSONTableLayout {
    let document: JSONDocument
    /// The array's elements (objects), in order.
    let elements: [Int]
    /// Members with the same value in every row: key and the first row's value node.
    private(set) var constants: [(key: [UInt8], node: Int)] = []
    /// The other keys, in order of first appearance.
    private(set) var columns: [[UInt8]] = []
    private(set) var columnIndex: [[UInt8]: Int] = [:]
    /// True when most cells of the table would be filled.
    private(set) var isDense = false
    /// Columns with a few distinct scalar values, for describing omitted rows.
    private(set) var keyColumns: [Int] = []

    /// A constant may take this many input bytes at most (larger repeats get labels).
    static let constantLimit = 200

    init(array: Int, elements: [Int], document: JSONDocument, subtrees: JSONSubtrees, templates: JSONTemplates) {
        self.document = document
        self.elements = elements
        // Per key: the rows having it (value nodes), in order of first appearance.
        var order: [[UInt8]] = []
        var values: [[UInt8]: [Int]] = [:]
        var derivedCount: [[UInt8]: Int] = [:]
        for element in elements {
            for child in document.children(of: element) {
                let key = document.key(child) ?? []
                if values[key] == nil { order.append(key) }
                values[key, default: []].append(child)
                if templates.derived[child] { derivedCount[key, default: 0] += 1 }
            }
        }
        var filled = 0
        for key in order {
            let nodes = values[key]!
            if derivedCount[key] == nodes.count { continue }
            let first = nodes[0]
            if nodes.count == elements.count, derivedCount[key] == nil,
               document[first].end - document[first].start <= Self.constantLimit,
               nodes.dropFirst().allSatisfy({ subtrees.equal(first, $0) }) {
                constants.append((key, first))
                continue
            }
            columnIndex[key] = columns.count
            columns.append(key)
            filled += nodes.count
        }
        isDense = !columns.isEmpty && filled * 2 >= columns.count * elements.count
        // Key columns: scalar columns with 2 to 6 distinct values, fewest first.
        guard elements.count >= 3 else { return }
        var candidates: [(column: Int, distinct: Int)] = []
        for (column, key) in columns.enumerated() {
            let nodes = values[key]!
            guard nodes.allSatisfy({ !document.kind($0).isContainer }) else { continue }
            let distinct = Set(nodes.map { Array(document.rawBytes($0)) }).count
            if distinct >= 2 && distinct <= 6 { candidates.append((column, distinct)) }
        }
        keyColumns = candidates.sorted { $0.distinct != $1.distinct ? $0.distinct < $1.distinct : $0.column < $1.column }
            .prefix(2).map(\.column)
    }

    /// For rows `run`, the count of each value of the key columns, as `column=value`, the
    /// columns in key-column order and their values most frequent first.
    func keyColumnCounts(_ run: [Int]) -> [(name: String, count: Int)] {
        var result: [(name: String, count: Int)] = []
        for column in keyColumns {
            let key = columns[column]
            var counts: [String: Int] = [:]
            for element in run {
                guard let node = document.member(element, key: key) else { continue }
                let text = document.kind(node) == .string
                    ? String(decoding: document.string(node) ?? [], as: UTF8.self)
                    : String(decoding: document.rawBytes(node), as: UTF8.self)
                counts[text, default: 0] += 1
            }
            let name = String(decoding: key, as: UTF8.self)
            for (value, count) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                result.append(("\(name)=\(value)", count))
            }
        }
        return result
    }
}
