import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// The tool-output measure on `../shared/datasets/tool-outputs`, end to end through
/// `compress`: per kind, the total tokens (o200k_base) of the bundle sections (header and
/// body) over those of the inputs, and the mean fidelity over files, with `--lossless` and with
/// the defaults. `make eval` prints the table; the targets are asserted.
final class ToolOutputEvaluationTests: XCTestCase {
    struct Group {
        var name: String
        var files: [String]
        var fidelity: (_ input: [UInt8], _ section: [UInt8]) throws -> Double
        /// Ratio at most and fidelity at least: lossless, then default.
        var lossless: (ratio: Double, fidelity: Double)
        var standard: (ratio: Double, fidelity: Double)
    }

    private func groups() throws -> [Group] {
        let root = try Paths.dataset("tool-outputs")
        func files(_ folder: String, _ keep: (String) -> Bool) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)").filter(keep).sorted().map { "\(root)/\(folder)/\($0)" }
        }
        let json: (String) -> Group = { variant in
            Group(name: "json (\(variant))", files: (try? files("json") { $0.hasSuffix(".\(variant)-fixture.json") }) ?? [],
                  fidelity: { try JSONFidelity.score(input: $0, body: $1) },
                  lossless: (0.45, 0.95), standard: (0.40, 0.90))
        }
        return [
            Group(name: "search", files: try files("code-search") { _ in true },
                  fidelity: { SearchFidelity.fidelity(original: $0, body: $1) },
                  lossless: (0.60, 1.00), standard: (0.05, 0.40)),
            json("raw"), json("normalized"),
            Group(name: "diffs", files: try files("diffs") { _ in true },
                  fidelity: { DiffFidelity.fidelity(diff: $0, body: $1) },
                  lossless: (0.65, 1.00), standard: (0.40, 0.85)),
        ]
    }

    func testToolOutputsMeetTheirTokenAndFidelityTargets() throws {
        let tokenizer = try BPETokenizer(ranksFile: try Paths.tokenizer())
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        var table = ["kind               files  mode       tokens in → bundle     ratio  fidelity  target (ratio ≤, fidelity ≥)"]
        for group in try groups() {
            XCTAssertFalse(group.files.isEmpty, group.name)
            for (mode, flags, target) in [("lossless", ["--lossless"], group.lossless), ("default", [], group.standard)] {
                var tokensIn = 0
                var tokensOut = 0
                var fidelities: [Double] = []
                for file in group.files {
                    let input = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                    let result = try cli(["compress", "--format", "json"] + flags + [file])
                    XCTAssertEqual(result.status, 0, result.stderr)
                    let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
                    let sections = try XCTUnwrap(manifest["sections"] as? [[String: Any]])
                    XCTAssertEqual(sections.count, 1, file)
                    let section = Array(try XCTUnwrap(sections.first?["text"] as? String).utf8)
                    tokensIn += tokenizer.count(input)
                    tokensOut += tokenizer.count(section)
                    fidelities.append(try group.fidelity(input, section))
                }
                let ratio = Double(tokensOut) / Double(max(tokensIn, 1))
                let fidelity = fidelities.reduce(0, +) / Double(fidelities.count)
                table.append(group.name.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + String(group.files.count).padding(toLength: 7, withPad: " ", startingAt: 0)
                    + mode.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + "\(Format.count(tokensIn)) → \(Format.count(tokensOut))".padding(toLength: 23, withPad: " ", startingAt: 0)
                    + String(format: "%.3f  %.3f     %.2f, %.2f", ratio, fidelity, target.ratio, target.fidelity))
                XCTAssertLessThanOrEqual(ratio, target.ratio, "\(group.name) \(mode) ratio")
                XCTAssertGreaterThanOrEqual(fidelity, target.fidelity, "\(group.name) \(mode) fidelity")
            }
        }
        print("tool outputs (o200k_base tokens; ratio = bundle sections / inputs; fidelity = mean over files)")
        print(table.joined(separator: "\n"))
    }
}
