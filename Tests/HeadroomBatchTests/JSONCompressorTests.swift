import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

final class JSONCompressorTests: XCTestCase {
    static let tokenizer: BPETokenizer? = try? BPETokenizer(ranksFile: Paths.tokenizer())

    private func tokens(_ bytes: [UInt8]) -> Int {
        guard let tokenizer = Self.tokenizer else { return bytes.count / 4 }
        return bytes.withUnsafeBytes { tokenizer.count($0) }
    }

    private func context(budget: Int = 0, lossless: Bool = false, query: String = "") -> DocumentContext {
        DocumentContext(reference: ReferenceID(hex: "3f9a1c0d2e7b4a51"), budget: budget, lossless: lossless,
                        query: query, tokens: { [self] in tokens($0) })
    }

    private func compress(_ text: String, budget: Int = 0, lossless: Bool = false, query: String = "") -> String {
        let body = JSONCompressor().compress(Array(text.utf8), context: context(budget: budget, lossless: lossless, query: query))
        return String(decoding: body.body, as: UTF8.self)
    }

    // MARK: Dataset figures

    private struct Figures { var ratio: Double; var fidelity: Double }

    private func measure(group: String, lossless: Bool) throws -> Figures {
        XCTAssertNotNil(Self.tokenizer, "o200k_base tokenizer missing")
        let directory = try Paths.dataset("tool-outputs/json")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".\(group)-fixture.json") }.sorted()
        XCTAssertEqual(files.count, 5)
        var input = 0, output = 0, fidelity = 0.0
        for file in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
            let inputTokens = tokens(bytes)
            let budget = lossless ? 0 : TokenBudget.percent(40).tokens(forInput: inputTokens)
            let body = JSONCompressor().compress(bytes, context: context(budget: budget, lossless: lossless))
            let bodyTokens = tokens(body.body)
            let score = try JSONFidelity.score(input: bytes, body: body.body)
            let missing = try JSONFidelity.missing(input: bytes, body: body.body)
            print("\(file) lossless=\(lossless): \(inputTokens) -> \(bodyTokens) tokens (\(Format.fixed(Double(bodyTokens) / Double(inputTokens), digits: 3))), fidelity \(Format.fixed(score, digits: 3)), omissions \(body.omissions.count), missing \(missing.prefix(5))")
            input += inputTokens
            output += bodyTokens
            fidelity += score
        }
        let figures = Figures(ratio: Double(output) / Double(input), fidelity: fidelity / Double(files.count))
        print("group \(group) lossless=\(lossless): ratio \(Format.fixed(figures.ratio, digits: 3)), fidelity \(Format.fixed(figures.fidelity, digits: 3))")
        return figures
    }

    func testDatasetLossless() throws {
        for group in ["raw", "normalized"] {
            let figures = try measure(group: group, lossless: true)
            XCTAssertLessThanOrEqual(figures.ratio, 0.45, group)
            XCTAssertGreaterThanOrEqual(figures.fidelity, 0.95, group)
        }
    }

    func testDatasetDefaultBudget() throws {
        for group in ["raw", "normalized"] {
            let figures = try measure(group: group, lossless: false)
            XCTAssertLessThanOrEqual(figures.ratio, 0.40, group)
            XCTAssertGreaterThanOrEqual(figures.fidelity, 0.90, group)
        }
    }
}
