import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONDocument { try JSONDocument(parsing: Array(text.utf8)) }

    private func failure(_ text: String) -> JSONParseError? {
        failure(Array(text.utf8))
    }

    private func failure(_ bytes: [UInt8]) -> JSONParseError? {
        if case .failure(let error) = JSONDocument.parse(bytes) { return error }
        return nil
    }

    func testNodesCarryKindsLinesKeysAndNavigation() throws {
        let text = """
        {
          "name": "octo",
          "tags": ["a", 2, true, false, null],
          "nested": {"x": -1.5e3},
          "empty": {}
        }
        """
        let document = try parse(text)
        XCTAssertEqual(document.kind(document.root), .object)
        XCTAssertEqual(document[document.root].childCount, 4)
        XCTAssertEqual(document[document.root].line, 1)
        XCTAssertEqual(document[document.root].endLine, 6)
        let keys = document.children(of: document.root).map { String(decoding: document.key($0)!, as: UTF8.self) }
        XCTAssertEqual(keys, ["name", "tags", "nested", "empty"])

        let tags = try XCTUnwrap(document.member(document.root, "tags"))
        XCTAssertEqual(document[tags].line, 3)
        XCTAssertEqual(document.children(of: tags).map { document.kind($0) }, [.string, .number, .true, .false, .null])
        XCTAssertEqual(document.children(of: tags).map { Int(document[$0].parent) }, Array(repeating: tags, count: 5))

        let nested = try XCTUnwrap(document.member(document.root, "nested"))
        let x = try XCTUnwrap(document.member(nested, "x"))
        XCTAssertEqual(Array(document.numberText(x)!), Array("-1.5e3".utf8))
        XCTAssertEqual(document[x].line, 4)
        XCTAssertEqual(Int(document[nested].subtreeEnd), x + 1)
        XCTAssertEqual(String(decoding: document.rawBytes(nested), as: UTF8.self), #"{"x": -1.5e3}"#)

        let name = try XCTUnwrap(document.member(document.root, key: Array("name".utf8)))
        XCTAssertEqual(document.string(name), Array("octo".utf8))
        XCTAssertNil(document.member(document.root, "missing"))
        XCTAssertNil(document.member(tags, "name"), "arrays have no members")
        XCTAssertEqual(document.children(of: try XCTUnwrap(document.member(document.root, "empty"))).map { $0 }, [])
    }

    func testStringsDecodeEscapesAndSurrogatePairs() throws {
        let document = try parse(#"{"k\"ey": "a\"b\\c\/d\b\f\n\r\t é \u00e9 \ud83d\ude00 \ud83d x \u0041"}"#)
        let member = try XCTUnwrap(document.member(document.root, "k\"ey"))
        XCTAssertEqual(document.key(member), Array("k\"ey".utf8))
        XCTAssertEqual(String(decoding: document.rawKey(member)!, as: UTF8.self), #"k\"ey"#)
        XCTAssertEqual(String(decoding: document.string(member)!, as: UTF8.self),
                       "a\"b\\c/d\u{8}\u{c}\n\r\t é é 😀 \u{FFFD} x A")
        XCTAssertFalse(document.isPlainString(member))
    }

    func testScalarRootsAndWhitespace() throws {
        XCTAssertEqual(try parse(" \n 42 \n").kind(0), .number)
        XCTAssertEqual(try parse(" \n 42 \n")[0].line, 2)
        XCTAssertEqual(try parse("\"s\"").string(0), Array("s".utf8))
        XCTAssertEqual(try parse("[]")[0].childCount, 0)
        XCTAssertEqual(try JSONDocument(parsing: Array("\n[1]".utf8), firstLine: 10)[1].line, 11)
    }

    func testErrorsAreValuesWithMessageOffsetAndLine() {
        let truncated = failure("{\n  \"a\": [1, 2")
        XCTAssertEqual(truncated?.reason, .truncated)
        XCTAssertEqual(truncated?.line, 2)
        XCTAssertEqual(truncated?.offset, 14)
        XCTAssertEqual(failure("{\"a\": \"unterminated")?.reason, .truncated)
        XCTAssertEqual(failure("[tru")?.reason, .truncated)
        XCTAssertEqual(failure("")?.reason, .truncated)
        XCTAssertEqual(failure("-")?.reason, .truncated)

        let trailing = failure("{\"a\": 1}\n\n x")
        XCTAssertEqual(trailing?.reason, .trailingGarbage)
        XCTAssertEqual(trailing?.line, 3)
        XCTAssertEqual(trailing?.offset, 11)
        XCTAssertTrue(trailing!.description.contains("line 3"), trailing!.description)

        XCTAssertEqual(failure("[1,]")?.reason, .invalidToken)
        XCTAssertEqual(failure("{a: 1}")?.reason, .invalidToken)
        XCTAssertEqual(failure("[01]")?.reason, .invalidToken)
        XCTAssertEqual(failure("[1.]")?.reason, .invalidToken)
        XCTAssertEqual(failure("[nul]")?.reason, .invalidToken)
        XCTAssertEqual(failure("{\"a\" 1}")?.reason, .invalidToken)
        XCTAssertEqual(failure("[\"a\u{1}\"]")?.reason, .invalidToken)

        let escape = failure("[\"ok\",\n \"bad \\x escape\"]")
        XCTAssertEqual(escape?.reason, .invalidEscape)
        XCTAssertEqual(escape?.line, 2)
        XCTAssertEqual(escape?.offset, 13)
        XCTAssertEqual(failure(#"["\u12G4"]"#)?.reason, .invalidEscape)
    }

    func testNestingIsLimitedWithoutOverflowingTheStack() throws {
        let allowed = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        XCTAssertEqual(try parse(allowed).nodes.count, 1000)
        let tooDeep = failure(String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001))
        XCTAssertEqual(tooDeep?.reason, .tooDeep)
        XCTAssertEqual(tooDeep?.offset, 1000)
        let hostile = failure(String(repeating: "{\"a\":", count: 200_000))
        XCTAssertEqual(hostile?.reason, .tooDeep)
    }

    func testHundredMegabyteString() throws {
        let size = 100 << 20
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: size + 2)
        bytes[0] = UInt8(ascii: "\"")
        bytes[size + 1] = UInt8(ascii: "\"")
        bytes[size / 2] = UInt8(ascii: "\\")
        bytes[size / 2 + 1] = UInt8(ascii: "n")
        let start = Date()
        let document = try JSONDocument(parsing: bytes)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(document.nodes.count, 1)
        XCTAssertEqual(document[0].end, size + 2)
        XCTAssertEqual(document.string(0)?.count, size - 1)
        print("100 MB string parsed in \(Int(elapsed * 1000)) ms")
    }

    /// Every leaf of the dataset files decodes as Foundation decodes it.
    func testDatasetFilesAgreeWithFoundation() throws {
        let directory = try Paths.dataset("tool-outputs/json")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.count, 10)
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
            let document = try JSONDocument(parsing: Array(data))
            let expected = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            XCTAssertTrue(equal(document, document.root, expected), file)
            XCTAssertEqual(Int(document[document.root].endLine), String(decoding: data, as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).count - (data.last == 10 ? 1 : 0), file)
        }
    }

    private func equal(_ document: JSONDocument, _ index: Int, _ value: Any) -> Bool {
        switch document.kind(index) {
        case .object:
            guard let object = value as? [String: Any], object.count == Int(document[index].childCount) else { return false }
            return document.children(of: index).allSatisfy { child in
                guard let expected = object[String(decoding: document.key(child)!, as: UTF8.self)] else { return false }
                return equal(document, child, expected)
            }
        case .array:
            guard let array = value as? [Any], array.count == Int(document[index].childCount) else { return false }
            return zip(document.children(of: index), array).allSatisfy { equal(document, $0, $1) }
        case .string:
            return (value as? String).map { Array($0.utf8) == document.string(index) } ?? false
        case .number:
            guard let number = value as? NSNumber else { return false }
            return Double(String(decoding: document.numberText(index)!, as: UTF8.self)) == number.doubleValue
        case .true, .false:
            guard let number = value as? NSNumber else { return false }
            return number.boolValue == (document.kind(index) == .true)
        case .null:
            return value is NSNull
        }
    }
}
