/// Compresses source code to an outline.
///
/// Within `context.budget` (or when `context.lossless`) the file is kept verbatim. Past the
/// budget, an outline (`CodeOutline`): imports (long runs folded to the first and last),
/// type and function signatures whole, the first line of doc comments and docstrings, and
/// each function body one marker with its line range
/// (`[... func body: 42 lines omitted · lines 120-161 · hb_…:120-161 ...]`); bodies of 2
/// lines or less stay. If that is still over the budget, type bodies collapse (innermost
/// first), then private declarations go, then the outline's tail; every cut is marked.
///
/// The language comes from the content (`CodeLanguage.detect`): Python by indentation, the
/// brace languages by brace matching that skips strings, characters and comments.
struct CodeCompressor: DocumentCompressor {
    func compress(_ document: [UInt8], context: DocumentContext) -> CompressedBody {
        let lines = DocumentLines(document)
        guard !context.lossless, context.budget > 0, context.tokens(document) > context.budget else {
            var out = TextBuffer()
            for index in 0..<lines.count { out.appendLine(stripping: Array(lines[index])) }
            return CompressedBody(body: out.bytes, omissions: [])
        }
        let structure = CodeStructure.scan(lines)
        var newline: [UInt8] = []
        let costs = (0..<lines.count).map { index -> Int in
            newline.removeAll(keepingCapacity: true)
            newline.append(contentsOf: lines[index])
            newline.append(10)
            return context.tokens(newline)
        }
        var target = context.budget
        var body = CompressedBody(body: [], omissions: [])
        // The estimate sums lines; measure the rendered outline and plan again while over.
        for _ in 0..<6 {
            body = Self.outline(lines, structure, costs, context: context, target: target).render()
            let over = context.tokens(body.body) - context.budget
            guard over > 0 else { break }
            target -= over + max(8, context.budget / 100)
        }
        return body
    }

    /// The outline cut down step by step until its estimate is within `target`.
    static func outline(_ lines: DocumentLines, _ structure: CodeStructure, _ costs: [Int],
                        context: DocumentContext, target: Int) -> CodeOutline {
        var outline = CodeOutline(lines: lines, structure: structure, context: context, costs: costs)
        outline.outline()
        if !context.query.isEmpty { outline.expandMatching(context.query, target: target) }
        outline.collapseTypes(target: target)
        outline.dropPrivate(target: target)
        outline.truncate(target: target)
        return outline
    }
}
