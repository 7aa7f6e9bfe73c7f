/// The order in which lossy selection leaves out array elements ("rows"), first to go
/// first: plain rows from the middle of their arrays before rows with rare values, numeric
/// outliers, rows relevant to the query, the first and last rows, and rows with errors or
/// failures last.
enum JSONRowSelection {
    /// Elements of arrays with at least this many elements are candidates.
    static let minimumArray = 3

    /// Candidate rows, first to drop first.
    static func dropOrder(_ document: JSONDocument, query: String) -> [Int] {
        var rows: [(node: Int, priority: Double, rank: Int)] = []
        for array in document.nodes.indices where document.kind(array) == .array
            && Int(document[array].childCount) >= minimumArray {
            let elements = Array(document.children(of: array))
            // Rows are objects or arrays; single scalars are too small to be worth a marker.
            guard elements.contains(where: { document.kind($0).isContainer }) else { continue }
            let notable = notableRows(elements, document)
            for (position, element) in elements.enumerated() {
                let rank = min(position, elements.count - 1 - position)
                var priority = 1.0
                if notable.rare.contains(element) { priority = 2 }
                if notable.outliers.contains(element) { priority = 2.5 }
                if rank == 0 { priority = 4 }
                if hasFailure(element, document) { priority = 5 }
                rows.append((element, priority, rank))
            }
        }
        let ranker = BM25Ranker(query: query)
        if !ranker.isEmpty {
            let scores = ranker.scores(rows.map { document.rawBytes($0.node) })
            for index in rows.indices where scores[index] > 0 && rows[index].priority < 3 {
                rows[index].priority = 3 + min(0.99, scores[index] / 100)
            }
        }
        return rows.sorted {
            $0.priority != $1.priority ? $0.priority < $1.priority
                : $0.rank != $1.rank ? $0.rank > $1.rank : $0.node < $1.node
        }.map(\.node)
    }

    private static let statusKeys: Set<[UInt8]> = Set(["status", "status_code", "statusCode", "code", "http_status"].map { Array($0.utf8) })
    private static let errorKeys: Set<[UInt8]> = Set(["error", "errors", "failed", "failure", "exception", "fatal"].map { Array($0.utf8) })
    private static let stateKeys: Set<[UInt8]> = Set(["state", "status", "conclusion", "result", "level", "outcome", "severity"].map { Array($0.utf8) })
    private static let failureWords: Set<[UInt8]> = Set(["failure", "failed", "fail", "error", "errored", "fatal", "cancelled",
                                                         "timed_out", "crashed", "critical"].map { Array($0.utf8) })

    /// True when the subtree of `row` holds an HTTP status of 400 or more, a non-empty
    /// `error`/`failed`/… member, or a state such as `failure`.
    static func hasFailure(_ row: Int, _ document: JSONDocument) -> Bool {
        for node in row..<Int(document[row].subtreeEnd) {
            guard let key = document.key(node) else { continue }
            let kind = document.kind(node)
            if kind == .number, statusKeys.contains(key), let text = document.numberText(node),
               let value = Int(String(decoding: text, as: UTF8.self)), value >= 400, value < 600 { return true }
            if errorKeys.contains(key) {
                switch kind {
                case .null, .false: break
                case .string: if document[node].end - document[node].start > 2 { return true }
                case .object, .array: if document[node].childCount > 0 { return true }
                default: return true
                }
            }
            if kind == .string, stateKeys.contains(key), let value = document.string(node),
               failureWords.contains(value.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }) { return true }
        }
        return false
    }

    /// Rows of an array of objects with a value that occurs once where most rows share one
    /// (`rare`), or a number far outside the column's interquartile range (`outliers`).
    static func notableRows(_ elements: [Int], _ document: JSONDocument) -> (rare: Set<Int>, outliers: Set<Int>) {
        guard elements.count >= 5, elements.allSatisfy({ document.kind($0) == .object }) else { return ([], []) }
        var columns: [[UInt8]: [(row: Int, node: Int)]] = [:]
        var order: [[UInt8]] = []
        for element in elements {
            for child in document.children(of: element) where !document.kind(child).isContainer {
                let key = document.key(child) ?? []
                if columns[key] == nil { order.append(key) }
                columns[key, default: []].append((element, child))
            }
        }
        var rare: Set<Int> = []
        var outliers: Set<Int> = []
        for key in order {
            let cells = columns[key]!
            var counts: [ArraySlice<UInt8>: Int] = [:]
            for cell in cells { counts[document.rawBytes(cell.node), default: 0] += 1 }
            if let most = counts.values.max(), most * 2 >= elements.count, counts.count > 1 {
                for cell in cells where counts[document.rawBytes(cell.node)] == 1 { rare.insert(cell.row) }
            }
            let numbers = cells.compactMap { cell -> (Int, Double)? in
                guard document.kind(cell.node) == .number, let text = document.numberText(cell.node),
                      let value = Double(String(decoding: text, as: UTF8.self)) else { return nil }
                return (cell.row, value)
            }
            guard numbers.count >= 5 else { continue }
            let sorted = numbers.map(\.1).sorted()
            let q1 = sorted[sorted.count / 4], q3 = sorted[sorted.count * 3 / 4]
            let spread = q3 - q1
            guard spread > 0 else { continue }
            for (row, value) in numbers where value < q1 - 3 * spread || value > q3 + 3 * spread { outliers.insert(row) }
        }
        return (rare, outliers)
    }
}
