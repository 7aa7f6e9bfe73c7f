/// What a document compressor is given besides the payload's bytes.
struct DocumentContext {
    /// The reference of the whole payload; omissions point into it by 1-based line range.
    var reference: ReferenceID
    /// Tokens the section body may take; 0 for no bound.
    var budget: Int
    /// No lossy step at all: only lossless rewriting (the body may then exceed `budget`).
    var lossless: Bool
    /// What the user is looking for (`--query`), empty when none: lossy selection keeps the
    /// parts most relevant to it first (`BM25Ranker`).
    var query: String
    /// Counts the tokens of bundle text with the run's tokenizer, in the unit of `budget`.
    var tokens: ([UInt8]) -> Int

    /// An omission of lines `range` of the payload.
    func omission(_ range: LineRange, count: Int, unit: String = "lines",
                  kinds: [(name: String, count: Int)] = []) -> Omission {
        Omission(unit: unit, range: range, count: count, kinds: kinds, reference: reference)
    }

    /// `hb_…:A-B`, the reference of lines `range` as a marker prints it.
    func query(_ range: LineRange) -> ReferenceQuery { ReferenceQuery(id: reference, range: range) }
}

/// A compressor that needs the whole payload at once (JSON, search results, diffs, source
/// code, RAG records), unlike the streaming log compressor. Payloads up to `DocumentCompressors.limit`
/// bytes reach it; larger ones go through the log compressor.
///
/// Lossless first: the body is rewritten without loss (structure factored out, repeats
/// stated once); lossy selection applies only when that exceeds `context.budget` and
/// `context.lossless` is off, and every cut is a marker with its reference range
/// (`[... what was omitted · lines A-B · hb_…:A-B ...]`).
protocol DocumentCompressor {
    /// The section body for `document`, whose lines are numbered from 1 as in the archive.
    func compress(_ document: [UInt8], context: DocumentContext) -> CompressedBody
}
