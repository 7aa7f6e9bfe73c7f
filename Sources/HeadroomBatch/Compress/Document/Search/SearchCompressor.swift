/// The compressor for search results (grep/ripgrep output in its plain, context, heading,
/// count and file-list forms, and `rg --json`).
///
/// Lossless first: hits grouped by file under one heading each, identical texts of a file
/// folded with their line numbers, context lines kept and marked apart. Only past
/// `context.budget` (and never when `context.lossless`) does `SearchSelection` drop, in
/// order, context lines, the hit texts least relevant to `context.query`, then whole files
/// into markers.
struct SearchCompressor: DocumentCompressor {
    /// A shared directory prefix is stated once only from this many bytes on; shorter ones
    /// cost fewer tokens than the note, and paths are best kept whole.
    static let minimumPrefix = 24

    func compress(_ document: [UInt8], context: DocumentContext) -> CompressedBody {
        let results = Self.parse(document)
        let groups = results.files.indices.map { results.textGroups(of: $0) }
        var prefix = results.files.count > 1 ? results.commonDirectoryPrefix() : nil
        if let shared = prefix, shared.count < Self.minimumPrefix { prefix = nil }
        let renderer = SearchRenderer(results: results, groups: groups, context: context, prefix: prefix)
        let lossless = renderer.render(SearchPlan(files: results.files.count, level: .full, groups: groups.map(\.count)))
        if context.lossless || context.budget <= 0 || context.tokens(lossless.body) <= context.budget { return lossless }
        return SearchSelection(renderer: renderer, context: context).body()
    }

    /// Parses `document` as `rg --json` when it looks like it, else as plain search output.
    static func parse(_ document: [UInt8]) -> SearchResults {
        RipgrepJSON.looks(document) ? RipgrepJSON.parse(document) : SearchTextParser(document).parse()
    }
}
