@testable import HeadroomBatch
import XCTest

final class LineShapeCacheTests: XCTestCase {
    private func tokens(_ variables: Int) -> [MaskedToken] {
        (0..<variables).map { MaskedToken(hash: TokenMasker.wildcard, start: Int32(3 * $0), end: Int32(3 * $0 + 2), hasVariable: true) }
    }

    func testShapesOfOneDigitPatternShareAKeyAndOthersDoNot() {
        func key(_ text: String) -> UInt64 { Array(text.utf8).withUnsafeBytes { LineShapeCache.key($0) } }
        XCTAssertEqual(key("GET /users/1234 took 56ms"), key("GET /users/9876 took 01ms"))
        XCTAssertNotEqual(key("GET /users/1234 took 56ms"), key("GET /users/12345 took 5ms"))
        XCTAssertNotEqual(key("GET /users/1234 took 56ms"), key("GET /users/1234 took 56 ms"))
    }

    func testALineWithTooManyVariablesLeavesTheSlotItFailedToTakeIntact() {
        var cache = LineShapeCache()
        var first = LineShapeCache.Entry()
        first.key = 0x1234_5678_0000_0001
        cache.store(first, tokens: tokens(3), lineStart: 0)
        // Another key of the same slot, with more variables than a slot holds: not cached.
        var crowded = LineShapeCache.Entry()
        crowded.key = first.key &+ UInt64(LineShapeCache.slots << 3)
        cache.store(crowded, tokens: tokens(LineShapeCache.maxVariables + 6), lineStart: 0)
        XCTAssertNil(cache.find(crowded.key))
        let found = try! XCTUnwrap(cache.find(first.key))
        var positions: [Int32] = []
        cache.variables(of: found) { positions = $0.map(\.position) }
        XCTAssertEqual(positions, [0, 1, 2])
    }
}
