import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// `search`: full-text search over the archived originals, ranked, with ranges that retrieve.
final class SearchCommandTests: XCTestCase {
    func testHitsAreRankedAndTheirRangesRetrieveTheMatchingLines() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let cargo = try Paths.dataset("logdx-dev/cargo-tokio-001/raw.log")
        let rag = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        XCTAssertEqual(try cli(["compress", "-q", cargo, rag]).status, 0)

        let result = try cli(["search", "--json", "--limit", "5", "E0308", "mismatched"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let hits = try XCTUnwrap(manifest["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.count, 5)
        let scores = hits.compactMap { $0["score"] as? Double }
        XCTAssertEqual(scores, scores.sorted(by: >), "best first")
        for hit in hits {
            XCTAssertEqual(hit["source"] as? String, cargo)
            let lines = try cli(["retrieve", try XCTUnwrap(hit["reference"] as? String)]).text
            XCTAssertTrue(lines.contains("E0308") || lines.contains("mismatched"), lines)
            XCTAssertLessThanOrEqual(lines.split(separator: "\n").count, 20, "a chunk is at most 20 lines")
        }
        XCTAssertTrue((hits[0]["snippet"] as? String ?? "").contains("[mismatched]"))

        // A JSONL record is its own chunk: the answer to a query is one record away.
        let text = try cli(["search", "--limit", "1", "date.toordinal"]).text
        let reference = try XCTUnwrap(text.split(separator: " ").dropFirst().first.map(String.init))
        let range = try XCTUnwrap(ReferenceQuery.parse(reference).range)
        XCTAssertEqual(range.first, range.last, "one line: \(reference)")
        XCTAssertTrue(try cli(["retrieve", reference]).text.contains("toordinal"))

        // The index is derived: deleting it only costs a rebuild.
        try FileManager.default.removeItem(atPath: dir.file("archive/search.sqlite"))
        XCTAssertEqual(try cli(["search", "--limit", "1", "date.toordinal"]).text, text)
        XCTAssertEqual(try cli(["search", "zzqqxx"]).text, "no match for: zzqqxx\n")
        XCTAssertEqual(try cli(["search", "--", "..."]).status, 64, "no word to search for")
    }
}
