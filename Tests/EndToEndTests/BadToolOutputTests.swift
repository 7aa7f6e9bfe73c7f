import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Malformed tool outputs: each is an error of its own input, clearly worded, while the
/// others are processed; every one is still archived byte-exact and shown around its problem.
final class BadToolOutputTests: XCTestCase {
    func testMalformedJSONIsReportedPerInputAndStillArchived() throws {
        let dir = try TemporaryDirectory()
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/json/labels.normalized-fixture.json"))))
        let inputs: [(name: String, bytes: [UInt8], problem: String?)] = [
            ("truncated.json", Array(good.prefix(good.count / 2)), "not valid JSON"),
            ("garbage.json", good + Array("\n]] trailing garbage\n".utf8), "not valid JSON"),
            ("deep.json", Array((String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)).utf8), "not valid JSON"),
            ("good.json", good, nil),
            // A valid document with a 70 MB string: over the whole-payload limit, it is
            // compressed line by line, and says so.
            ("huge-string.json", Array("{\"blob\":\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 70 << 20) + Array("\"}\n".utf8), nil),
        ]
        var paths: [String] = []
        for input in inputs { paths.append(try dir.write(input.name, input.bytes)) }
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let result = try cli(["compress", "--format", "json"] + paths)
        XCTAssertEqual(result.status, 1, "malformed inputs fail the run; the rest is done")
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let sections = try XCTUnwrap(manifest["sections"] as? [[String: Any]])
        XCTAssertEqual(sections.map { $0["source"] as? String ?? "" }, paths, "every input has its section")
        let errors = try XCTUnwrap(manifest["errors"] as? [[String: Any]])
        XCTAssertEqual(errors.map { $0["source"] as? String ?? "" }, paths.prefix(3).map { $0 })
        for (input, path) in zip(inputs, paths) {
            let section = try XCTUnwrap(sections.first { $0["source"] as? String == path })
            if let problem = input.problem {
                let message = try XCTUnwrap(errors.first { $0["source"] as? String == path }?["message"] as? String)
                XCTAssertTrue(message.hasPrefix(problem) && message.contains("line"), message)
                XCTAssertTrue(result.stderr.contains(path), result.stderr)
            }
            let original = try cli(["retrieve", try XCTUnwrap(section["reference"] as? String)])
            XCTAssertTrue(original.stdout == input.bytes, "\(input.name) is archived byte-exact")
        }
        let huge = try XCTUnwrap(sections.last)
        XCTAssertTrue((huge["kind_reason"] as? String ?? "").contains("compressed line by line"), "\(huge)")
        XCTAssertLessThan(try XCTUnwrap(huge["bundle_tokens"] as? Int), 3000)
        let deep = try XCTUnwrap(errors.first { ($0["source"] as? String ?? "").hasSuffix("deep.json") }?["message"] as? String)
        XCTAssertTrue(deep.contains("1000") || deep.contains("1,000") || deep.contains("deep"), deep)
    }
}
