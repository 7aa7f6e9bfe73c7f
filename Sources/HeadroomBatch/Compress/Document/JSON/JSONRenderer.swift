/// Writes a parsed document in the compact form of `JSONCompressor`: `key: value` lines with
/// nesting by indentation, arrays of objects as tables (`N rows {a|b|c}` then one `1|x|y` line
/// per object) or item lists, columns with one value in every row stated once, members given
/// by a template left out, repeated values labelled (`&L1`) once and referenced (`*L1`)
/// elsewhere, and a marker for every run of rows left out (`dropped`).
struct JSONRenderer {
    let document: JSONDocument
    let subtrees: JSONSubtrees
    let templates: JSONTemplates
    let context: DocumentContext
    /// Per node: an array element left out by lossy selection.
    let dropped: [Bool]
    /// Containers whose value repeats (hash → occurrences among labelable containers).
    let repeats: [UInt64: Int]
    /// Hashes that may be labelled: every repeat on a first pass, the referenced ones after.
    let labelable: Set<UInt64>

    private(set) var out: [UInt8] = []
    private(set) var omissions: [Omission] = []
    private(set) var usage = JSONScalarStyle.Usage()
    private(set) var usedTables = false
    private(set) var usedItems = false
    private(set) var usedLabels = false
    private(set) var usedChanges = false
    private(set) var usedPairs = false
    /// True when some table cell is `~`: the member its class template gives.
    private(set) var usedDerivedCells = false
    /// Hashes written as `*L` references.
    private(set) var referenced: Set<UInt64> = []
    private var labels: [UInt64: (name: String, node: Int)] = [:]

    /// Containers at least this large (input bytes) are labelled when repeated.
    static let labelMinimumBytes = 80
    /// The cell of a member its class template gives (a string `~` is written in backticks).
    static let derivedCell: [UInt8] = [0x7E]
    /// A table cell holding an inline container may be this long at most.
    static let cellLimit = 160

    init(document: JSONDocument, subtrees: JSONSubtrees, templates: JSONTemplates, context: DocumentContext,
         dropped: [Bool], repeats: [UInt64: Int], labelable: Set<UInt64>) {
        self.document = document
        self.subtrees = subtrees
        self.templates = templates
        self.context = context
        self.dropped = dropped
        self.repeats = repeats
        self.labelable = labelable
    }

    /// True when container `node` is large enough and repeats, so it may be labelled.
    static func isLabelCandidate(_ node: Int, _ document: JSONDocument) -> Bool {
        let n = document[node]
        return n.kind.isContainer && n.childCount > 0 && n.end - n.start >= labelMinimumBytes
    }

    /// Renders the whole document.
    mutating func render() {
        let root = document.root
        switch document.kind(root) {
        case .object:
            members(of: root, indent: 0, skipping: [], firstInline: false)
        case .array:
            out += Array("root:".utf8)
            value(root, indent: -1)
        default:
            JSONScalarStyle.append(root, document, .line, 0, into: &out, usage: &usage)
            out.append(0x0A)
        }
    }

    // MARK: Blocks

    private mutating func indentation(_ indent: Int) {
        if indent > 0 { out += [UInt8](repeating: 0x20, count: indent * 2) }
    }

    /// The members of an object, one `key: value` line each, leaving out derived members and
    /// the keys in `skipping`; with `firstInline`, the first line continues the current one.
    /// With `previous` (the element before, in an item list), an object member that mostly
    /// repeats the same member of `previous` is written as its changes only.
    private mutating func members(of object: Int, indent: Int, skipping: Set<[UInt8]>, firstInline: Bool,
                                  previous: Int? = nil) {
        var first = firstInline
        for child in document.children(of: object) {
            if templates.derived[child] { continue }
            let key = document.key(child) ?? []
            if !skipping.isEmpty && skipping.contains(key) { continue }
            if !first { indentation(indent) }
            first = false
            JSONScalarStyle.appendKey(key, into: &out, usage: &usage)
            out.append(0x3A)
            if let previous, let before = document.member(previous, key: key), changes(child, from: before, indent: indent) {
                continue
            }
            value(child, indent: indent)
        }
        if first { out += Array("{}\n".utf8) }
    }

    /// Writes object `node` as the changes from object `before` (members with other values,
    /// added members, removed keys) and returns true, when most members are the same.
    private mutating func changes(_ node: Int, from before: Int, indent: Int) -> Bool {
        if document.kind(node) == .array {
            return pairChanges(node, from: before, indent: indent) || elementChanges(node, from: before, indent: indent)
        }
        guard document.kind(node) == .object, document.kind(before) == .object, document[node].childCount >= 4 else { return false }
        if Self.isLabelCandidate(node, document), subtrees.equal(node, before) { return false }
        var same = Set<[UInt8]>()
        var keys = Set<[UInt8]>()
        for child in document.children(of: node) {
            let key = document.key(child) ?? []
            keys.insert(key)
            if let match = document.member(before, key: key), subtrees.equal(match, child) { same.insert(key) }
        }
        guard same.count >= 3, same.count * 2 >= Int(document[node].childCount) else { return false }
        let removed = document.children(of: before).compactMap { document.key($0) }.filter { !keys.contains($0) }
        usedChanges = true
        if same.count == Int(document[node].childCount) && removed.isEmpty {
            out += Array(" (same as in the element shown above)\n".utf8)
            return true
        }
        out += Array(" (as in the element shown above, with these changes".utf8)
        if !removed.isEmpty {
            out += Array("; without ".utf8)
            for (position, key) in removed.enumerated() {
                if position > 0 { out += [0x2C, 0x20] }
                JSONScalarStyle.appendKey(key, into: &out, usage: &usage)
            }
        }
        out += Array(")\n".utf8)
        members(of: node, indent: indent + 1, skipping: same, firstInline: false)
        return true
    }

    /// The rest of a line after `key:` or `-`: a scalar, or a container on the lines below.
    private mutating func value(_ node: Int, indent: Int) {
        let kind = document.kind(node)
        guard kind.isContainer else {
            out.append(0x20)
            JSONScalarStyle.append(node, document, .line, indent + 1, into: &out, usage: &usage)
            out.append(0x0A)
            return
        }
        if labelReference(node) { return }
        if kind == .object {
            if document[node].childCount == 0 {
                out += Array(" {}\n".utf8)
            } else {
                out.append(0x0A)
                members(of: node, indent: indent + 1, skipping: [], firstInline: false)
            }
        } else {
            array(node, indent: indent)
        }
    }

    /// Writes ` *L1` and returns true when `node` repeats a labelled value; writes ` &L1` and
    /// returns false when it is the first of a repeat that is referenced later.
    private mutating func labelReference(_ node: Int) -> Bool {
        guard Self.isLabelCandidate(node, document) else { return false }
        let hash = subtrees.hashes[node]
        guard (repeats[hash] ?? 0) >= 2 else { return false }
        if let label = labels[hash], subtrees.equal(label.node, node) {
            out += Array(" *\(label.name)\n".utf8)
            referenced.insert(hash)
            usedLabels = true
            return true
        }
        if labels[hash] == nil, labelable.contains(hash) {
            let name = "L\(labels.count + 1)"
            labels[hash] = (name, node)
            out += Array(" &\(name)".utf8)
        }
        return false
    }

    /// Writes array `node` as the positions where it differs from array `before` (same
    /// length, scalars only) and returns true, when most positions are the same.
    private mutating func elementChanges(_ node: Int, from before: Int, indent: Int) -> Bool {
        guard document.kind(before) == .array, document[node].childCount == document[before].childCount,
              document[node].childCount >= 6, !subtrees.equal(node, before) else { return false }
        let now = Array(document.children(of: node)), then = Array(document.children(of: before))
        guard now.allSatisfy({ !document.kind($0).isContainer }) else { return false }
        let changed = now.indices.filter { !subtrees.equal(now[$0], then[$0]) }
        guard changed.count * 2 <= now.count else { return false }
        usedChanges = true
        out += Array(" (as in the element shown above, except at these 0-based positions)\n".utf8)
        for position in changed {
            indentation(indent + 1)
            out += Array("[\(position)]:".utf8)
            value(now[position], indent: indent + 1)
        }
        return true
    }

    // MARK: Name/value pairs

    /// ` (N name/value pairs)` then one `name: value` line per pair.
    private mutating func pairLines(_ list: JSONPairList, indent: Int) {
        usedPairs = true
        out += Array(" (\(Format.count(list.pairs.count)) name/value pairs)\n".utf8)
        for pair in list.pairs { pairLine(pair, indent: indent + 1) }
    }

    /// `name: value` at `indent`.
    private mutating func pairLine(_ pair: (name: Int, value: Int), indent: Int) {
        indentation(indent)
        out += document.rawBytes(pair.name).dropFirst().dropLast()
        out += [0x3A, 0x20]
        JSONScalarStyle.append(pair.value, document, .line, indent, into: &out, usage: &usage)
        out.append(0x0A)
    }

    /// Writes name/value list `node` as its changes from list `before` and returns true,
    /// when at most half of its pairs differ: a changed pair as `name: value`, a new one as
    /// `(after Name) name: value`, one no longer there as `(without Name)`.
    private mutating func pairChanges(_ node: Int, from before: Int, indent: Int) -> Bool {
        guard let list = JSONPairList(node, document), let previous = JSONPairList(before, document) else { return false }
        let changes = list.changes(from: previous, document)
        guard changes.count * 2 <= list.pairs.count else { return false }
        usedPairs = true
        usedChanges = true
        guard !changes.isEmpty else {
            out += Array(" (\(Format.count(list.pairs.count)) name/value pairs, same as in the element shown above)\n".utf8)
            return true
        }
        out += Array(" (\(Format.count(list.pairs.count)) name/value pairs, as in the element shown above with these changes)\n".utf8)
        var removed: [ArraySlice<UInt8>] = []
        for change in changes {
            switch change {
            case .changed(let pair):
                pairLine(list.pairs[pair], indent: indent + 1)
            case .inserted(let pair, let after):
                indentation(indent + 1)
                if let after {
                    out += Array("(after ".utf8) + document.rawBytes(list.pairs[after].name).dropFirst().dropLast() + [0x29, 0x20]
                } else {
                    out += Array("(first) ".utf8)
                }
                pairLine(list.pairs[pair], indent: 0)
            case .removed(let name):
                removed.append(document.rawBytes(name).dropFirst().dropLast())
            }
        }
        if !removed.isEmpty {
            indentation(indent + 1)
            out += Array("(without ".utf8)
            for (position, name) in removed.enumerated() {
                if position > 0 { out += [0x2C, 0x20] }
                out += name
            }
            out += Array(")\n".utf8)
        }
        return true
    }

    // MARK: Arrays

    /// An array after `key:`: inline for short scalars, a table or an item list for objects,
    /// `- value` lines otherwise.
    private mutating func array(_ node: Int, indent: Int) {
        let elements = Array(document.children(of: node))
        if elements.isEmpty {
            out += Array(" []\n".utf8)
            return
        }
        if elements.allSatisfy({ !document.kind($0).isContainer }), !elements.contains(where: { dropped[$0] }),
           let inline = inlineScalars(elements) {
            out.append(0x20)
            out += inline
            out.append(0x0A)
            return
        }
        if let list = JSONPairList(node, document), !elements.contains(where: { dropped[$0] }) {
            pairLines(list, indent: indent)
            return
        }
        if elements.count >= 2, elements.allSatisfy({ document.kind($0) == .object }) {
            let layout = JSONTableLayout(array: node, elements: elements, document: document,
                                         subtrees: subtrees, templates: templates)
            if let cells = tableCells(layout) {
                table(node, layout, cells, indent: indent)
            } else {
                items(node, layout, indent: indent)
            }
            return
        }
        out.append(0x0A)
        for segment in segments(elements) {
            guard case .kept(let element) = segment else {
                if case .dropped(let run) = segment { marker(run, unit: "items", layout: nil) }
                continue
            }
            indentation(indent + 1)
            out.append(0x2D)
            value(element, indent: indent + 1)
        }
    }

    /// `[a, b, c]` when every element is a short bare scalar, else nil.
    private mutating func inlineScalars(_ elements: [Int]) -> [UInt8]? {
        var text: [UInt8] = [0x5B]
        var scratch = JSONScalarStyle.Usage()
        for (position, element) in elements.enumerated() {
            if position > 0 { text += [0x2C, 0x20] }
            JSONScalarStyle.append(element, document, .flow, 0, into: &text, usage: &scratch)
            if text.count > 120 { return nil }
        }
        if !scratch.isEmpty { return nil }
        text.append(0x5D)
        return text
    }

    /// The `; all rows: a=1, b=x` part of a table or item list header.
    private mutating func constantsText(_ layout: JSONTableLayout, unit: String) {
        guard !layout.constants.isEmpty else { return }
        out += Array("; in all \(unit): ".utf8)
        for (position, constant) in layout.constants.enumerated() {
            if position > 0 { out += [0x2C, 0x20] }
            JSONScalarStyle.appendKey(constant.key, into: &out, usage: &usage)
            out.append(0x3D)
            var text: [UInt8] = []
            flow(constant.node, into: &text)
            out += text
        }
    }

    /// The cells of every row, or nil when some cell does not fit one short line.
    private mutating func tableCells(_ layout: JSONTableLayout) -> [[[UInt8]?]]? {
        guard !layout.columns.isEmpty, layout.isDense else { return nil }
        var rows: [[[UInt8]?]] = []
        var scratch = usage
        var usesDerivedCells = false
        for element in layout.elements {
            var row = [[UInt8]?](repeating: nil, count: layout.columns.count)
            for child in document.children(of: element) {
                guard let column = layout.columnIndex[document.key(child) ?? []] else { continue }
                if templates.derived[child] {
                    row[column] = Self.derivedCell
                    usesDerivedCells = true
                    continue
                }
                var cell: [UInt8] = []
                if document.kind(child).isContainer {
                    flow(child, into: &cell, usage: &scratch)
                    if cell.count > Self.cellLimit { return nil }
                } else {
                    JSONScalarStyle.append(child, document, .cell, 0, into: &cell, usage: &scratch)
                    if cell.contains(0x0A) { return nil }
                    if cell == Self.derivedCell {
                        cell = [0x60, 0x7E, 0x60]
                        scratch.insert(.backticks)
                    }
                }
                row[column] = cell
            }
            rows.append(row)
        }
        usage = scratch
        if usesDerivedCells { usedDerivedCells = true }
        return rows
    }

    /// ` N rows {a|b|c}; in all rows: …` then one line per row.
    private mutating func table(_ node: Int, _ layout: JSONTableLayout, _ cells: [[[UInt8]?]], indent: Int) {
        usedTables = true
        out += Array(" \(Format.count(layout.elements.count)) rows {".utf8)
        for (position, column) in layout.columns.enumerated() {
            if position > 0 { out.append(0x7C) }
            JSONScalarStyle.appendKey(column, into: &out, usage: &usage)
        }
        out.append(0x7D)
        constantsText(layout, unit: "rows")
        out.append(0x0A)
        var rowOf: [Int: Int] = [:]
        for (position, element) in layout.elements.enumerated() { rowOf[element] = position }
        for segment in segments(layout.elements) {
            guard case .kept(let element) = segment else {
                if case .dropped(let run) = segment { marker(run, unit: "rows", layout: layout) }
                continue
            }
            indentation(indent + 1)
            for (position, cell) in cells[rowOf[element]!].enumerated() {
                if position > 0 { out.append(0x7C) }
                if let cell { out += cell }
            }
            out.append(0x0A)
        }
    }

    /// ` N items; in all items: …` then `- key: value` blocks.
    private mutating func items(_ node: Int, _ layout: JSONTableLayout, indent: Int) {
        usedItems = true
        out += Array(" \(Format.count(layout.elements.count)) items".utf8)
        constantsText(layout, unit: "items")
        out.append(0x0A)
        let skipping = Set(layout.constants.map(\.key))
        var previous: Int?
        for segment in segments(layout.elements) {
            guard case .kept(let element) = segment else {
                if case .dropped(let run) = segment { marker(run, unit: "items", layout: layout) }
                continue
            }
            indentation(indent + 1)
            out.append(0x2D)
            defer { previous = element }
            if labelReference(element) { continue }
            if out.last == 0x2D {
                out.append(0x20)
                members(of: element, indent: indent + 2, skipping: skipping, firstInline: true, previous: previous)
            } else {
                out.append(0x0A)
                members(of: element, indent: indent + 2, skipping: skipping, firstInline: false, previous: previous)
            }
        }
    }

    /// A kept element, or a run of dropped ones.
    private enum Segment {
        case kept(Int)
        case dropped([Int])
    }

    /// The elements as kept ones and runs of dropped ones, in order.
    private func segments(_ elements: [Int]) -> [Segment] {
        var result: [Segment] = []
        var position = 0
        while position < elements.count {
            guard dropped[elements[position]] else {
                result.append(.kept(elements[position]))
                position += 1
                continue
            }
            var last = position
            while last + 1 < elements.count && dropped[elements[last + 1]] { last += 1 }
            result.append(.dropped(Array(elements[position...last])))
            position = last + 1
        }
        return result
    }

    /// `[... 40 rows omitted (state: open ×38, closed ×2) · lines 120-860 · hb_…:120-860 ...]`.
    private mutating func marker(_ run: [Int], unit: String, layout: JSONTableLayout?) {
        let range = LineRange(Int(document[run[0]].line), Int(document[run[run.count - 1]].endLine))
        let noun = run.count == 1 ? String(unit.dropLast()) : unit
        let kinds = layout?.keyColumnCounts(run) ?? []
        var details = ""
        if !kinds.isEmpty {
            var groups: [String] = []
            var currentColumn = ""
            for kind in kinds {
                let column = String(kind.name.prefix { $0 != "=" })
                let value = String(kind.name.drop { $0 != "=" }.dropFirst())
                if column != currentColumn {
                    groups.append("\(column): \(value) ×\(Format.count(kind.count))")
                    currentColumn = column
                } else {
                    groups[groups.count - 1] += ", \(value) ×\(Format.count(kind.count))"
                }
            }
            details = " (" + groups.joined(separator: "; ") + ")"
        }
        let place = "lines \(range) · \(context.query(range))"
        out += Array("[... \(Format.count(run.count)) \(noun) omitted\(details) · \(place) ...]\n".utf8)
        omissions.append(context.omission(range, count: run.count, unit: unit, kinds: kinds))
    }

    // MARK: Inline containers

    /// `{a: 1, b: [x, y]}`: a container on one line (for cells and header constants).
    private mutating func flow(_ node: Int, into text: inout [UInt8]) {
        var scratch = usage
        flow(node, into: &text, usage: &scratch)
        usage = scratch
    }

    private func flow(_ node: Int, into text: inout [UInt8], usage: inout JSONScalarStyle.Usage) {
        switch document.kind(node) {
        case .object:
            text.append(0x7B)
            var first = true
            for child in document.children(of: node) where !templates.derived[child] {
                if !first { text += [0x2C, 0x20] }
                first = false
                JSONScalarStyle.appendKey(document.key(child) ?? [], into: &text, usage: &usage)
                text += [0x3A, 0x20]
                flow(child, into: &text, usage: &usage)
            }
            text.append(0x7D)
        case .array:
            text.append(0x5B)
            for (position, child) in document.children(of: node).enumerated() {
                if position > 0 { text += [0x2C, 0x20] }
                flow(child, into: &text, usage: &usage)
            }
            text.append(0x5D)
        default:
            JSONScalarStyle.append(node, document, .flow, 0, into: &text, usage: &usage)
        }
    }
}
