import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// `headroom-batch templates`: the template table and the `--assignments` CSV, end to end.
final class TemplatesCommandTests: XCTestCase {
    func testAssignmentsGroupEveryLoghubSystemAsTheGroundTruthDoes() throws {
        let dir = try TemporaryDirectory()
        let binary = Paths.executable("headroom-batch")
        for system in Loghub.systems {
            let log = try Paths.dataset("loghub-2k/\(system)/\(system)_2k.log")
            let truth = try Loghub.eventIDs(try Paths.dataset("loghub-2k/\(system)/\(system)_2k.log_structured_corrected.csv"))
            let csv = dir.file("\(system).csv")
            let result = try runProcess(binary, ["templates", "--assignments", csv, log])
            XCTAssertEqual(result.status, 0, result.stderr)
            let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
            XCTAssertEqual(rows.first?.map(String.init), ["line_no", "template_id"])
            let body = rows.dropFirst()
            XCTAssertEqual(body.map { Int($0[0])! }, Array(1...truth.count), system)
            let ga = Loghub.groupingAccuracy(predicted: body.map { String($0[1]) }, truth: truth)
            XCTAssertGreaterThanOrEqual(ga, 0.9, system)
            // The table lists each id of the CSV once, with its count.
            let listed = result.text.split(separator: "\n").filter { !$0.hasPrefix("##") && !$0.hasPrefix("    e.g.") }
            XCTAssertEqual(listed.count, Set(body.map { $0[1] }).count, system)
            let counted = listed.map { Int($0.components(separatedBy: "  ")[1].dropFirst().replacingOccurrences(of: ",", with: ""))! }
            XCTAssertEqual(counted.reduce(0, +), truth.count, system)
        }
    }

    func testTemplatesOfSeveralInputsAndAssignmentsNeedOne() throws {
        let binary = Paths.executable("headroom-batch")
        let logs = [try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log"), try Paths.dataset("loghub-2k/Apache/Apache_2k.log")]
        let table = try runProcess(binary, ["templates", "--examples", "2"] + logs)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertEqual(table.text.split(separator: "\n").filter { $0.hasPrefix("## ") }.count, 2)
        XCTAssertTrue(table.text.contains("PacketResponder <*> for block <*> terminating"), table.text)
        XCTAssertTrue(table.text.contains("    e.g. PacketResponder "), table.text)
        let refused = try runProcess(binary, ["templates", "--assignments", "/tmp/x.csv"] + logs)
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--assignments takes exactly one input"), refused.stderr)
    }
}
