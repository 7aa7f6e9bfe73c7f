@testable import HeadroomBatch
import TestSupport
import XCTest

/// The JSONL compressor: field tallies, failures and extremes kept, markers that cover
/// exactly the records in between, and the same section whatever the workers and blocks.
final class RecordCompressorTests: XCTestCase {
    /// API-like records: a failure every so often, one very slow request, a constant and an
    /// always-null field, one line that is not JSON.
    private func records(count: Int) -> (text: [UInt8], failures: Set<Int>, slowest: Int, broken: Int) {
        var random = SplitMix64(seed: 7)
        var lines: [String] = []
        var failures = Set<Int>()
        let slowest = count * 2 / 3
        let broken = count / 2
        for n in 1...count {
            if n == broken {
                lines.append("{\"id\":\(n),\"status\":200,\"truncated")
                continue
            }
            let failed = random.next() % 97 == 0
            if failed { failures.insert(n) }
            let status = failed ? 503 : 200
            let latency = n == slowest ? "98765.4" : String(Double(random.next() % 50_000) / 100)
            let state = random.next() % 5 == 0 ? "closed" : "open"
            lines.append("{\"id\":\(n),\"state\":\"\(state)\",\"api\":\"v2\",\"deleted_at\":null,\"status\":\(status),"
                         + "\"latency_ms\":\(latency),\"user\":{\"login\":\"user\(random.next() % 300)\",\"type\":\"User\"}}")
        }
        return (Array((lines.joined(separator: "\n") + "\n").utf8), failures, slowest, broken)
    }

    private func compress(_ path: String, jobs: Int = 1, blockSize: Int = 4 << 20, budget: TokenBudget? = nil,
                          archive: String) throws -> Section {
        var options = CompressOptions(jobs: jobs)
        options.blockSize = blockSize
        options.budget = budget
        var sections: [Section] = []
        let run = CompressRun(options: options, archive: try Archive(path: archive, create: true), tokenizer: EstimatedTokenCounter())
        _ = run.run([.file(path)], failed: { XCTFail("\($0)") }, emit: { sections.append($0) })
        return try XCTUnwrap(sections.first)
    }

    func testFieldsAreTalliedAndFailuresExtremesAndBrokenLinesAreKept() throws {
        let dir = try TemporaryDirectory()
        let input = records(count: 20_000)
        let path = try dir.write("api.jsonl", input.text)
        let section = try compress(path, archive: dir.file("archive"))
        XCTAssertEqual(section.kind, "jsonl")
        let text = String(decoding: section.body, as: UTF8.self)
        XCTAssertTrue(text.contains("[20,000 JSON records, one a line · \(input.failures.count) with errors or failures · 1 line not JSON"), text)
        XCTAssertTrue(text.contains("same in every record: api=\"v2\", user.type=\"User\""), text)
        XCTAssertTrue(text.contains("always null or empty: deleted_at"), text)
        XCTAssertTrue(text.contains("status: 200 ×\(Format.count(19_999 - input.failures.count)) · 503 ×\(input.failures.count)"), text)
        XCTAssertTrue(text.contains("latency_ms: number 0"), text)
        XCTAssertTrue(text.contains("..98765.4"), text)
        let lines = input.text.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertTrue(text.contains("[line \(input.slowest) · the largest latency_ms]\n" + lines[input.slowest - 1] + "\n"), text)
        XCTAssertTrue(text.contains("[line \(input.broken) · not JSON: "), text)
        let firstFailure = input.failures.min()!
        XCTAssertTrue(text.contains("[line \(firstFailure) · status=503]\n" + lines[firstFailure - 1]), text)
        XCTAssertLessThanOrEqual(text.utf8.count / 4, 3300, "within the default budget of 3,000 tokens")

        // Every line is either shown verbatim or inside exactly one marker's range, in order.
        var covered = 0
        for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if row.hasPrefix("[... "), let range = row.range(of: #"lines (\d+)-(\d+) "#, options: .regularExpression) {
                let numbers = row[range].dropFirst(6).dropLast().split(separator: "-").map { Int($0)! }
                XCTAssertEqual(numbers[0], covered + 1, String(row))
                covered = numbers[1]
            } else if row.hasPrefix("{") || row.hasPrefix("{\"id\":\(input.broken)") {
                XCTAssertEqual(String(row), lines[covered], "line \(covered + 1)")
                covered += 1
            }
        }
        XCTAssertEqual(covered, 20_000)
        XCTAssertEqual(section.omissions.reduce(0) { $0 + $1.count }, 20_000 - text.split(separator: "\n").filter { $0.hasPrefix("{") }.count)
    }

    func testTheSectionDoesNotDependOnJobsOrBlockSize() throws {
        let dir = try TemporaryDirectory()
        let generated = try dir.write("api.jsonl", records(count: 12_000).text)
        let real = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        for path in [generated, real] {
            var bodies: [[UInt8]] = []
            for (index, setting) in [(1, 4 << 20), (2, 64 << 10), (4, 100_000)].enumerated() {
                var options = CompressOptions(jobs: setting.0)
                options.blockSize = setting.1
                options.kind = .jsonl
                var sections: [Section] = []
                let run = CompressRun(options: options, archive: try Archive(path: dir.file("a\(index)"), create: true),
                                      tokenizer: EstimatedTokenCounter())
                _ = run.run([.file(path)], failed: { XCTFail("\($0)") }, emit: { sections.append($0) })
                bodies.append(try XCTUnwrap(sections.first).body)
            }
            XCTAssertEqual(bodies[1], bodies[0], path)
            XCTAssertEqual(bodies[2], bodies[0], path)
        }
    }
}
