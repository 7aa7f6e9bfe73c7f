/// The compressor for one JSON value (an API response, a document).
///
/// Lossless first: the value is written minified in a compact `key: value` form (see
/// `JSONRenderer`) with arrays of objects as tables, columns that have one value in every row
/// stated once, repeated values labelled once, and members that a template over their
/// sibling members gives (GitHub's `*_url` families) stated once as the template (`~` in a
/// table cell), arrays alternating names and values (HTTP `rawHeaders`) as `name: value`
/// lines, and an element's member that mostly repeats the one of the element shown above as
/// its changes. A legend at the top says what each construct used means. Past
/// `context.budget` (and never with `context.lossless`), array elements are left out in
/// `JSONRowSelection` order, each run replaced by a marker with its line range. Bytes that are not JSON get
/// `JSONMalformedFallback`.
struct JSONCompressor: DocumentCompressor {
    func compress(_ document: [UInt8], context: DocumentContext) -> CompressedBody {
        switch JSONDocument.parse(document) {
        case .failure(let error):
            var body = JSONMalformedFallback.body(document, error, context)
            body.problem = "not valid JSON: \(error.description); shown around the error"
            return body
        case .success(let parsed):
            return compress(parsed, context: context)
        }
    }

    /// The body for a parsed document.
    func compress(_ document: JSONDocument, context: DocumentContext) -> CompressedBody {
        let plan = Plan(document: document, context: context)
        let none = [Bool](repeating: false, count: document.nodes.count)
        let whole = plan.render(dropped: none)
        guard !context.lossless, context.budget > 0, context.tokens(whole.body) > context.budget else { return whole }
        // Leave out the fewest rows (in drop order) that bring the body within the budget.
        let order = JSONRowSelection.dropOrder(document, query: context.query)
        guard !order.isEmpty else { return whole }
        func dropping(_ count: Int) -> [Bool] {
            var dropped = none
            for node in order.prefix(count) { dropped[node] = true }
            return dropped
        }
        var low = 0, high = order.count
        var best = plan.render(dropped: dropping(high))
        guard context.tokens(best.body) <= context.budget else { return best }
        while high - low > 1 {
            let middle = (low + high) / 2
            let body = plan.render(dropped: dropping(middle))
            if context.tokens(body.body) <= context.budget {
                high = middle
                best = body
            } else {
                low = middle
            }
        }
        return best
    }

    /// What every rendering of one document shares: subtree hashes, templates, repeats.
    private struct Plan {
        let document: JSONDocument
        let context: DocumentContext
        let subtrees: JSONSubtrees
        let templates: JSONTemplates
        let repeats: [UInt64: Int]

        init(document: JSONDocument, context: DocumentContext) {
            self.document = document
            self.context = context
            subtrees = JSONSubtrees(document)
            templates = JSONTemplates(document)
            var repeats: [UInt64: Int] = [:]
            for node in document.nodes.indices where JSONRenderer.isLabelCandidate(node, document) {
                repeats[subtrees.hashes[node], default: 0] += 1
            }
            self.repeats = repeats.filter { $0.value >= 2 }
        }

        /// The body with the elements in `dropped` left out: a first pass finds which repeats
        /// are referenced, the second labels only those.
        func render(dropped: [Bool]) -> CompressedBody {
            var first = JSONRenderer(document: document, subtrees: subtrees, templates: templates, context: context,
                                     dropped: dropped, repeats: repeats, labelable: Set(repeats.keys))
            first.render()
            var renderer = JSONRenderer(document: document, subtrees: subtrees, templates: templates, context: context,
                                        dropped: dropped, repeats: repeats, labelable: first.referenced)
            renderer.render()
            var text = TextBuffer()
            text.append(legend(renderer))
            text.newline()
            for line in templateLines(dropped: dropped) {
                text.append(line)
                text.newline()
            }
            text.append(renderer.out)
            return CompressedBody(body: text.bytes, omissions: renderer.omissions)
        }

        /// What the constructs used mean, in one line.
        private func legend(_ renderer: JSONRenderer) -> String {
            var parts = ["[JSON in compact form: \"key: value\" lines, nesting by indentation, \"-\" starts an array element; values are strings unless numbers, true, false, null, [] or {}"]
            if renderer.usage.contains(.backticks) { parts.append("`…` is a string verbatim") }
            if renderer.usage.contains(.quoted) { parts.append("\"…\" is a JSON-escaped string") }
            if renderer.usage.contains(.fenced) { parts.append("a ``` block is a multi-line string") }
            if renderer.usedTables {
                parts.append("\"N rows {a|b}\" is an array of objects, one line of a|b values per object (empty cell: member absent)")
            }
            if renderer.usedTables || renderer.usedItems {
                parts.append("\"in all rows/items: k=v\" gives member k=v to every element")
            }
            if renderer.usedDerivedCells { parts.append("a ~ cell is the value its template below gives") }
            if renderer.usedPairs {
                parts.append("\"(N name/value pairs)\" is an array of strings alternating name and value, one \"name: value\" line per pair")
            }
            if renderer.usedLabels { parts.append("&L1 labels a value that *L1 repeats") }
            return parts.joined(separator: "; ") + "]"
        }

        /// True when node `index` or one of its ancestors is left out.
        private func isLeftOut(_ index: Int, _ dropped: [Bool]) -> Bool {
            var node = index
            while node >= 0 {
                if dropped[node] { return true }
                node = Int(document[node].parent)
            }
            return false
        }

        /// `[templates …]` then one line per class of objects with derived members, for the
        /// classes with an instance in the body (not left out with a dropped row).
        private func templateLines(dropped: [Bool]) -> [String] {
            let shown = templates.classes.filter { $0.instances.contains { !isLeftOut($0, dropped) } }
            guard !shown.isEmpty else { return [] }
            var lines = ["[members left out where these templates give them (<k> is member k of the same object):"]
            var names: [String: Int] = [:]
            let named = shown.map { objectClass -> String in
                let name = objectClass.places.prefix(4).joined(separator: "/") + (objectClass.places.count > 4 ? "/…" : "")
                names[name, default: 0] += 1
                return name
            }
            for (objectClass, name) in zip(shown, named) {
                let label = names[name]! > 1 ? "\(name) (\(objectClass.keyCount) keys)" : name
                lines.append(" \(label): " + objectClass.templates.map(\.text).joined(separator: " · "))
            }
            lines[lines.count - 1] += "]"
            return lines
        }
    }
}
