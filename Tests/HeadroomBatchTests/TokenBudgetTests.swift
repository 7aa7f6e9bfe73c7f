@testable import HeadroomBatch
import XCTest

final class TokenBudgetTests: XCTestCase {
    func testCountsAndSharesParseAndBoundTheSection() {
        XCTAssertEqual(TokenBudget("3000"), .tokens(3000))
        XCTAssertEqual(TokenBudget("0"), .tokens(0))
        XCTAssertEqual(TokenBudget("40%"), .percent(40))
        for bad in ["", "-5", "40x", "0%", "101%", "%"] { XCTAssertNil(TokenBudget(bad), bad) }
        XCTAssertEqual(TokenBudget.tokens(2500).tokens(forInput: 1_000_000), 2500)
        // A share: 3,000 tokens at least (small payloads are not cut), 32,000 at most.
        XCTAssertEqual(TokenBudget.percent(40).tokens(forInput: 1000), 3000)
        XCTAssertEqual(TokenBudget.percent(40).tokens(forInput: 50_000), 20_000)
        XCTAssertEqual(TokenBudget.percent(40).tokens(forInput: 10_000_000), 32_000)
        XCTAssertEqual(TokenBudget.defaultBudget(for: .json), .percent(40))
        XCTAssertEqual(TokenBudget.defaultBudget(for: .search), .tokens(2000))
        XCTAssertEqual(TokenBudget.defaultBudget(for: .log), .tokens(3000))
        XCTAssertEqual(TokenBudget.defaultBudget(for: .rag), .tokens(0), "RAG records: lossless by default")
    }
}
