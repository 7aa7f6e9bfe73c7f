import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Inputs of every shape, output formats, and determinism across --jobs.
final class CommandTests: XCTestCase {
    func testOutputIsIdenticalWhateverTheNumberOfJobs() throws {
        let dir = try TemporaryDirectory()
        // Several blocks: the five CI logs concatenated twice, plus a long-line fixture.
        var big: [UInt8] = []
        for _ in 0..<2 {
            for name in ["cargo-tokio-001", "jest-nextjs-001", "lint-react-001", "mypy-pandas-001", "pytest-pandas-001"] {
                big += Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("logdx-dev/\(name)/raw.log"))))
            }
        }
        for _ in 0..<3 { big += big }
        XCTAssertGreaterThan(big.count, 12 << 20)
        let path = try dir.write("ci.log", big)
        var outputs: [[UInt8]] = []
        for jobs in ["1", "2", "4"] {
            let cli = HeadroomCLI(archive: dir.file("archive-\(jobs)"))
            let result = try cli(["compress", "--jobs", jobs, path, try Paths.dataset("loghub-2k/BGL/BGL_2k.log")])
            XCTAssertEqual(result.status, 0, result.stderr)
            outputs.append(result.stdout)
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func testDirectoriesGlobsAndMissingInputs() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("logs/nested"), withIntermediateDirectories: true)
        try dir.write("logs/a.log", "INFO one\nERROR two\n")
        try dir.write("logs/nested/b.log", "WARN three\n")
        try dir.write("logs/c.txt", "INFO four\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))

        let fromDirectory = try cli(["compress", dir.file("logs")])
        XCTAssertEqual(fromDirectory.status, 0, fromDirectory.stderr)
        let headers = fromDirectory.text.split(separator: "\n").filter { $0.hasPrefix("## ") }
        XCTAssertEqual(headers.count, 3)
        XCTAssertTrue(headers[0].contains("logs/a.log") && headers[1].contains("logs/c.txt") && headers[2].contains("logs/nested/b.log"))

        let quotedGlob = try cli(["compress", dir.file("logs") + "/**/*.log"])
        XCTAssertEqual(quotedGlob.text.split(separator: "\n").filter { $0.hasPrefix("## ") }.count, 2, quotedGlob.text)

        let withMissing = try cli(["compress", dir.file("nope.log"), dir.file("logs/a.log")])
        XCTAssertEqual(withMissing.status, 1)
        XCTAssertTrue(withMissing.stderr.contains("nope.log: no such file or directory"), withMissing.stderr)
        XCTAssertTrue(withMissing.text.contains("ERROR two"), "the other input is still processed")
    }

    func testJSONManifestAndOutDirectory() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let log = try Paths.dataset("loghub-2k/Hadoop/Hadoop_2k.log")
        let json = try cli(["compress", "--format", "json", "--json-summary", log])
        XCTAssertEqual(json.status, 0, json.stderr)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        XCTAssertEqual(manifest["tokenizer"] as? String, "o200k_base")
        let section = try XCTUnwrap((manifest["sections"] as? [[String: Any]])?.first)
        XCTAssertEqual(section["lines"] as? Int, 2000)
        XCTAssertEqual(section["tokens_in_exact"] as? Bool, true)
        let omissions = try XCTUnwrap(section["omissions"] as? [[String: Any]])
        XCTAssertFalse(omissions.isEmpty)
        for omission in omissions {
            let reference = try XCTUnwrap(omission["reference"] as? String)
            let first = try XCTUnwrap(omission["first"] as? Int), last = try XCTUnwrap(omission["last"] as? Int)
            XCTAssertEqual(omission["count"] as? Int, last - first + 1)
            XCTAssertTrue(reference.hasSuffix(":\(first)-\(last)"))
        }
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])
        XCTAssertEqual(summary["inputs"] as? Int, 1)
        XCTAssertEqual(summary["tokens_in"] as? Int, section["tokens_in"] as? Int)
        XCTAssertGreaterThan(summary["tokens_in"] as? Int ?? 0, 10 * (summary["bundle_tokens"] as? Int ?? 0) / 10)

        let out = dir.file("bundles")
        let written = try cli(["compress", "--out-dir", out, log])
        XCTAssertEqual(written.status, 0)
        XCTAssertTrue(written.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files.count, 2)
        XCTAssertTrue(files.allSatisfy { $0.contains("Hadoop_2k.log.") })
    }
}
