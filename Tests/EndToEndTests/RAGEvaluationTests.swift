import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// The RAG measure on `../shared/datasets/rag`, end to end through `compress` with the
/// defaults (lossless for RAG records): the share of the input's distinct sentences (20+
/// characters) present verbatim in the bundle, the share of answerable queries whose answer
/// directive line is present, and the bundle's o200k_base tokens over the input's. `make eval`
/// prints the table.
final class RAGEvaluationTests: XCTestCase {
    func testRetrievalDumpKeepsEverySentenceAndAnswerInHalfTheTokens() throws {
        let dump = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let queries = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_queries.jsonl"))))
        let input = Array(try Data(contentsOf: URL(fileURLWithPath: dump)))
        let dir = try TemporaryDirectory()
        let result = try HeadroomCLI(archive: dir.file("archive"))(["compress", dump])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.hasPrefix("## \(dump) · rag · "), String(result.text.prefix(200)))
        let tokenizer = try BPETokenizer(ranksFile: try Paths.tokenizer())
        let ratio = Double(tokenizer.count(result.stdout)) / Double(tokenizer.count(input))
        let distinct = RAGRetention.distinctRetention(input: input, output: result.text)
        let answers = RAGRetention.answerRetention(queries: queries, output: result.text)
        print("""
            rag (o200k_base tokens; defaults: lossless)
            distinct sentences kept  \(String(format: "%.3f", distinct.share)) of \(distinct.total)   target ≥ 0.99
            answer lines kept        \(String(format: "%.3f", answers.share)) of \(answers.total)   target 1.00
            bundle / input tokens    \(String(format: "%.3f", ratio))            target ≤ 0.50
            """)
        XCTAssertGreaterThanOrEqual(distinct.share, 0.99, "missing e.g. \(distinct.missing.prefix(3))")
        XCTAssertEqual(answers.share, 1.0, "missing \(answers.missing.prefix(3))")
        XCTAssertLessThanOrEqual(ratio, 0.50)
    }
}
