import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// The CI-log measure of DESIGN section 7 on `../shared/datasets/logdx-dev`: the share of
/// `critical` ground-truth signals whose value, an alias, or file appears verbatim in the bundle
/// (ANSI codes stripped), against the bundle's size in tokens (bytes / 4), with default options.
/// `make eval` prints the table.
final class LogDxEvaluationTests: XCTestCase {
    /// The targets: at least 0.90 of the critical signals kept on average, in a mean bundle of
    /// at most 3,000 tokens.
    static let minimumRecall = 0.90
    static let maximumMeanTokens = 3000.0

    func testCriticalSignalsSurviveWithinTheTokenBudget() throws {
        let root = try Paths.dataset("logdx-dev")
        let cases = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        XCTAssertEqual(cases.count, 5)
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        var recalls: [Double] = []
        var tokens: [Double] = []
        var table = ["case                     critical kept   tokens   missing"]
        for name in cases {
            let truth = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(root)/\(name)/ground_truth.json")))
                    as? [String: Any])
            let signals = try XCTUnwrap(truth["required_signals"] as? [[String: Any]]).filter { $0["importance"] as? String == "critical" }
            let result = try cli(["compress", "-q", "\(root)/\(name)/raw.log"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let bundle = Self.strippingANSI(result.text)
            var kept = 0
            var missing: [String] = []
            for signal in signals {
                let candidates = [signal["value"] as? String, signal["file"] as? String].compactMap { $0 }
                    + (signal["aliases"] as? [String] ?? [])
                if candidates.contains(where: { !$0.isEmpty && bundle.contains($0) }) {
                    kept += 1
                } else {
                    missing.append("\(signal["type"] ?? "?")")
                }
            }
            recalls.append(Double(kept) / Double(signals.count))
            tokens.append(Double(result.stdout.count) / 4)
            table.append(name.padding(toLength: 25, withPad: " ", startingAt: 0)
                + "\(kept)/\(signals.count)".padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(Int(tokens.last!)).padding(toLength: 9, withPad: " ", startingAt: 0) + missing.joined(separator: ", "))
        }
        let meanRecall = recalls.reduce(0, +) / Double(recalls.count)
        let meanTokens = tokens.reduce(0, +) / Double(tokens.count)
        table.append(String(format: "mean critical recall %.2f at %.0f tokens (target: at least 0.90 at most 3,000)", meanRecall, meanTokens))
        print(table.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(meanRecall, Self.minimumRecall)
        XCTAssertLessThanOrEqual(meanTokens, Self.maximumMeanTokens)
    }

    static func strippingANSI(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[ -/]*[@-~]", with: "", options: .regularExpression)
    }
}
