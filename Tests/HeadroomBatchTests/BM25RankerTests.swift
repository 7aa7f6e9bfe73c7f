@testable import HeadroomBatch
import XCTest

final class BM25RankerTests: XCTestCase {
    func testRanksTheDocumentsThatShareRareTermsFirst() {
        let ranker = BM25Ranker(query: "Timeout connecting to DATABASE")
        let documents = ["connected to cache", "timeout while connecting to the database replica",
                         "database ready", "nothing here", "to to to to"].map { Array($0.utf8) }
        let scores = ranker.scores(documents)
        XCTAssertEqual(scores.count, 5)
        XCTAssertEqual(scores[3], 0)
        XCTAssertEqual(scores.indices.max { scores[$0] < scores[$1] }, 1)
        XCTAssertGreaterThan(scores[2], scores[0], "database is rarer than to")
        XCTAssertGreaterThan(scores[4], 0)
    }

    func testAnEmptyQueryScoresNothing() {
        let ranker = BM25Ranker(query: " ,;- ")
        XCTAssertTrue(ranker.isEmpty)
        XCTAssertEqual(ranker.scores([Array("a b".utf8)]), [0])
    }
}
