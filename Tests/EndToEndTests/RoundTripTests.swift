import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Every reference and every marker range of real inputs retrieves exactly the bytes it stands for.
final class RoundTripTests: XCTestCase {
    private static let realInputs = [
        "loghub-2k/HDFS/HDFS_2k.log", "loghub-2k/Hadoop/Hadoop_2k.log", "loghub-2k/Spark/Spark_2k.log",
        "loghub-2k/Zookeeper/Zookeeper_2k.log", "loghub-2k/BGL/BGL_2k.log", "loghub-2k/Linux/Linux_2k.log",
        "loghub-2k/Apache/Apache_2k.log", "loghub-2k/OpenSSH/OpenSSH_2k.log",
        "logdx-dev/cargo-tokio-001/raw.log", "logdx-dev/jest-nextjs-001/raw.log", "logdx-dev/lint-react-001/raw.log",
        "logdx-dev/mypy-pandas-001/raw.log", "logdx-dev/pytest-pandas-001/raw.log",
        "tool-outputs/diffs/pytest_diff_9.1.0..9.1.1.diff", "tool-outputs/code-search/pytest_rg_def_test_all_5791.txt",
        "tool-outputs/json/paginate-issues.raw-fixture.json", "rag/python311_docs_retrieval_dump_bm25_top10.jsonl",
    ]

    func testEveryMarkerRangeRetrievesExactlyTheOmittedLines() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        var tableRows = 0
        for relative in Self.realInputs {
            let path = try Paths.dataset(relative)
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let result = try cli(["compress", path])
            XCTAssertEqual(result.status, 0, "\(relative): \(result.stderr)")
            let bundle = result.text
            let header = try XCTUnwrap(bundle.split(separator: "\n").first.map(String.init))
            let id = try XCTUnwrap(header.components(separatedBy: " · ").last)
            XCTAssertEqual(try cli(["retrieve", id]).stdout, original, "\(relative): whole reference")
            // The log compressor keeps lines as they are and marks the rest; the document kinds
            // (JSON, search results, diffs, RAG records) rewrite without loss and mark only what
            // they cut.
            let keepsLines = header.contains(" · log · ")
            let markers = markerRanges(in: bundle)
            if keepsLines { XCTAssertFalse(markers.isEmpty, "\(relative) has omissions") }
            var omitted = 0
            for marker in markers {
                XCTAssertEqual(marker.reference, id)
                let expected = lines(original, marker.first, marker.last)
                XCTAssertEqual(try cli(["retrieve", "\(marker.reference):\(marker.first)-\(marker.last)"]).stdout, expected,
                               "\(relative) \(marker.first)-\(marker.last)")
                omitted += marker.last - marker.first + 1
            }
            // Each template row's span starts with its example line.
            let table = templateTable(in: bundle)
            tableRows += table.rows.count
            for row in table.rows {
                XCTAssertEqual(row.reference, id)
                let first = strippingEscapes(try cli(["retrieve", "\(row.reference):\(row.first)-\(row.first)"]).stdout)
                let example = row.example.hasSuffix("…") ? String(row.example.dropLast()) : row.example
                XCTAssertTrue(String(decoding: first, as: UTF8.self).hasPrefix(example), "\(relative) \(row.label): \(example)")
            }
            XCTAssertLessThan(result.stdout.count, original.count, relative)
            guard keepsLines else { continue }
            // Kept lines plus omitted lines account for every line of the input.
            let body = bundle.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(1 + table.lines).dropLast()
            let kept = body.filter { !$0.hasPrefix("[... ") && !$0.hasPrefix("[↑ ") }.count
            let total = original.split(separator: 10, omittingEmptySubsequences: false).count - (original.last == 10 ? 1 : 0)
            XCTAssertEqual(kept + omitted, total, relative)
        }
        XCTAssertGreaterThan(tableRows, 50, "the logs have template tables")
        XCTAssertEqual(try cli(["verify"]).status, 0)
    }

    func testRetrieveWithLinesOptionAndStdinInput() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("loghub-2k/OpenSSH/OpenSSH_2k.log"))))
        let result = try cli(["compress"], input: original)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.hasPrefix("## <stdin> · log · 2,000 lines"), result.text)
        let id = try XCTUnwrap(markerRanges(in: result.text).first?.reference)
        XCTAssertEqual(try cli(["retrieve", id, "--lines", "120-180"]).stdout, lines(original, 120, 180))
        XCTAssertEqual(try cli(["retrieve", "\(id):120"]).stdout, lines(original, 120, 120))
    }
}
