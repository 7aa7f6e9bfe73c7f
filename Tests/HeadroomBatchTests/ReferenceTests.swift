import HeadroomBatch
import XCTest

final class ReferenceTests: XCTestCase {
    func testParsesIDAndRange() throws {
        let query = try ReferenceQuery.parse("hb_3f9a1c0d2e7b4a51:120-180")
        XCTAssertEqual(query.id.hex, "3f9a1c0d2e7b4a51")
        XCTAssertEqual(query.range, LineRange(120, 180))
        XCTAssertEqual(query.description, "hb_3f9a1c0d2e7b4a51:120-180")
    }

    func testSingleLineAndUpperCaseDigits() throws {
        let query = try ReferenceQuery.parse("hb_3F9A1C0D2E7B4A51:7")
        XCTAssertEqual(query.id.hex, "3f9a1c0d2e7b4a51")
        XCTAssertEqual(query.range, LineRange(7, 7))
    }

    func testRejectsMalformedReferences() {
        for bad in ["", "3f9a1c0d2e7b4a51", "hb_", "hb_3f9a", "hb_zz9a1c0d2e7b4a51", "hb_3f9a1c0d2e7b4a51:0-3",
                    "hb_3f9a1c0d2e7b4a51:9-3", "hb_3f9a1c0d2e7b4a51:a-b", "hb_3f9a1c0d2e7b4a51:1-2-3"] {
            XCTAssertThrowsError(try ReferenceQuery.parse(bad), bad) { error in
                XCTAssertEqual((error as? HeadroomError)?.code, .reference, bad)
            }
        }
    }

    func testIDIsThePrefixOfTheDigest() {
        let digest = "6fe25449e79d75e3aa00000000000000000000000000000000000000000000ff"
        XCTAssertEqual(ReferenceID(digest: digest).description, "hb_6fe25449e79d75e3")
    }
}
