/// Which kinds have a whole-payload compressor, and the payload size they take.
enum DocumentCompressors {
    /// Payloads larger than this go through the streaming log compressor instead (their
    /// section says so).
    static let limit = 64 << 20

    /// The compressor for `kind` (RAG records with `rag`), or nil when the kind streams
    /// through the log compressor.
    static func compressor(for kind: ContentKind, rag: RAGOptions = RAGOptions()) -> DocumentCompressor? {
        switch kind {
        case .json: return JSONCompressor()
        case .diff: return DiffCompressor()
        case .search: return SearchCompressor()
        case .code: return CodeCompressor()
        case .rag: return RAGCompressor(options: rag)
        default: return nil
        }
    }
}
