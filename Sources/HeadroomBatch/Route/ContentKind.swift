/// What a source holds, which decides the compressor it is routed to.
public enum ContentKind: String, CaseIterable, Sendable {
    /// Application, system and CI logs: lines with timestamps and levels.
    case log
    /// One JSON value (an API response, a document).
    case json
    /// One JSON object per line.
    case jsonl
    /// Search results: `path:line:text` hits, `-C` context blocks, `rg --json`, file lists, counts.
    case search
    /// A unified diff, or `git log -p`.
    case diff
    /// Source code.
    case code
    /// Markdown and prose.
    case text
    case html
    /// Comma- or tab-separated values.
    case csv
    /// RAG records: JSONL whose records carry a passage text.
    case rag

    /// What compresses this kind today.
    public var compressor: String {
        switch self {
        case .log:
            return "the log compressor: templates, stack traces, errors and signals kept, repeats folded"
        case .json:
            return "the JSON compressor: compact form, arrays of objects as tables, constant columns and null keys stated once, repeated objects and URL templates written once; past the budget, routine rows go before errors, outliers and the first and last rows"
        case .jsonl:
            return "the JSONL compressor: every field once with its values (constants, counts of few values, ranges of numbers); failures, extremes and the first and last records verbatim; the rest as marked record ranges"
        case .search:
            return "the search-results compressor: hits grouped by file (rg --heading style), repeated texts folded with their line numbers, context marked; past the budget, context lines go first, then hit texts other than each file's most relevant ones, then files into markers by directory"
        case .rag:
            return "the RAG compressor: exact duplicates kept once with every id, overlapping windows of a source stitched, passages grouped by source (or by query, in score order, each printed once); lossless by default"
        case .code:
            return "the code compressor: the whole file within the budget; past it an outline (imports, declarations and signatures, the first line of doc comments; bodies as markers), then type bodies and private members folded"
        case .diff:
            return "the diff compressor: file headers with stats, every changed line, context trimmed to what locates the change, lockfiles and generated files summarised, whitespace-only changes folded"
        default:
            return "the line compressor (the log compressor's generic rules: duplicates folded, templates, signals kept); a compressor for \(rawValue) is not built yet"
        }
    }
}

/// The kind of a source and why it was chosen.
public struct KindDetection: Sendable {
    public var kind: ContentKind
    /// What in the content decided, in words (for a CI log, it says so).
    public var reason: String
}
