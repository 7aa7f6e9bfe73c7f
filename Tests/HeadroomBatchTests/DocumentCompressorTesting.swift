@testable import HeadroomBatch
import TestSupport

/// What the tests of document compressors share: the o200k_base tokenizer, loaded once, and
/// contexts whose budgets count with it.
protocol DocumentCompressorTesting {}

/// The tokenizer the document compressor tests share.
private enum SharedTokenizer {
    nonisolated(unsafe) static var loaded: BPETokenizer?
}

extension DocumentCompressorTesting {
    static var reference: ReferenceID { ReferenceID(hex: "3f9a1c0d2e7b4a51") }

    func tokenizer() throws -> BPETokenizer {
        if let tokenizer = SharedTokenizer.loaded { return tokenizer }
        let tokenizer = try BPETokenizer(ranksFile: try Paths.tokenizer())
        SharedTokenizer.loaded = tokenizer
        return tokenizer
    }

    /// o200k_base tokens of `bytes`.
    func count(_ bytes: [UInt8]) throws -> Int {
        let tokenizer = try tokenizer()
        return bytes.withUnsafeBytes { tokenizer.count($0) }
    }

    func context(budget: Int = 0, lossless: Bool = false, query: String = "") throws -> DocumentContext {
        let tokenizer = try tokenizer()
        return DocumentContext(reference: Self.reference, budget: budget, lossless: lossless, query: query,
                               tokens: { bytes in bytes.withUnsafeBytes { tokenizer.count($0) } })
    }

    func text(_ body: CompressedBody) -> String { String(decoding: body.body, as: UTF8.self) }
}
