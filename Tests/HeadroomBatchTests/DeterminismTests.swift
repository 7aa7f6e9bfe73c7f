@testable import HeadroomBatch
import TestSupport
import XCTest

/// The same bundle, templates and template ids whatever the number of workers and the
/// block size (the chunks lines are analyzed and mined in).
final class DeterminismTests: XCTestCase {
    private static let settings: [(jobs: Int, blockSize: Int)] = [(1, 4 << 20), (2, 64 << 10), (4, 200_000), (2, 1 << 20)]

    /// The five CI logs and a Loghub system in one file of several blocks at every size.
    private func corpus(_ dir: TemporaryDirectory) throws -> String {
        var bytes: [UInt8] = []
        for name in ["cargo-tokio-001", "jest-nextjs-001", "lint-react-001", "mypy-pandas-001", "pytest-pandas-001"] {
            bytes += Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("logdx-dev/\(name)/raw.log"))))
        }
        bytes += Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("loghub-2k/Hadoop/Hadoop_2k.log"))))
        XCTAssertGreaterThan(bytes.count, 2 << 20)
        return try dir.write("corpus.log", bytes)
    }

    func testBundleDoesNotDependOnJobsOrBlockSize() throws {
        let dir = try TemporaryDirectory()
        let inputs: [InputSource] = [.file(try corpus(dir)), .file(try Paths.dataset("loghub-2k/Spark/Spark_2k.log"))]
        var bodies: [[[UInt8]]] = []
        var templateIDs: [[[String]]] = []
        for (index, setting) in Self.settings.enumerated() {
            var options = CompressOptions(jobs: setting.jobs)
            options.blockSize = setting.blockSize
            let archive = try Archive(path: dir.file("archive-\(index)"), create: true)
            var sections: [Section] = []
            let run = CompressRun(options: options, archive: archive, tokenizer: EstimatedTokenCounter())
            _ = run.run(inputs, failed: { XCTFail("\($0)") }, emit: { sections.append($0) })
            XCTAssertEqual(sections.count, 2)
            bodies.append(sections.map(\.body))
            templateIDs.append(sections.map { $0.omissions.flatMap { $0.templates.map(\.id) } })
        }
        XCTAssertFalse(templateIDs[0][0].isEmpty, "markers name templates")
        XCTAssertTrue(String(decoding: bodies[0][1], as: UTF8.self).contains("[omitted lines by template: "))
        for index in 1..<bodies.count {
            XCTAssertEqual(bodies[index], bodies[0], "setting \(Self.settings[index])")
            XCTAssertEqual(templateIDs[index], templateIDs[0], "setting \(Self.settings[index])")
        }
    }

    func testTemplatesDoNotDependOnJobsOrBlockSize() throws {
        let dir = try TemporaryDirectory()
        let input = InputSource.file(try corpus(dir))
        var reports: [TemplateReport] = []
        for setting in Self.settings {
            reports.append(try TemplateReport.mine(input, assignments: true, jobs: setting.jobs, blockSize: setting.blockSize))
        }
        let first = reports[0]
        XCTAssertGreaterThan(first.templates.count, 100)
        for report in reports.dropFirst() {
            XCTAssertEqual(report.lines, first.lines)
            XCTAssertEqual(report.templates.map(\.id), first.templates.map(\.id))
            XCTAssertEqual(report.templates.map(\.count), first.templates.map(\.count))
            XCTAssertEqual(report.templates.map(\.firstLine), first.templates.map(\.firstLine))
            XCTAssertEqual(report.templates.map(\.examples), first.templates.map(\.examples))
            XCTAssertEqual(report.assignmentsCSV(), first.assignmentsCSV())
        }
    }

    func testNumericRangesHoldOverLinesOfManyShapesAndEveryWorkerCount() throws {
        // Lines with more variables than a shape cache slot holds between two runs of one
        // template: the ranges of that template cover both runs, for any jobs and block size.
        var generator = SplitMix64(seed: 7)
        var text = ""
        for i in 0..<20_000 { text += "alpha q\(i % 7) value 7 done\n" }
        for i in 0..<30_000 {
            text += "beta z\(i) values " + (0..<30).map { _ in String(generator.next() % 100_000) }.joined(separator: " ") + "\n"
        }
        for i in 0..<20_000 { text += "alpha q\(i % 7) value 9 done\n" }
        let dir = try TemporaryDirectory()
        let input = InputSource.file(try dir.write("shapes.log", Array(text.utf8)))
        var bodies: [String] = []
        for (index, setting) in Self.settings.enumerated() {
            var options = CompressOptions(jobs: setting.jobs)
            options.blockSize = setting.blockSize
            let archive = try Archive(path: dir.file("archive-\(index)"), create: true)
            var sections: [Section] = []
            _ = CompressRun(options: options, archive: archive, tokenizer: EstimatedTokenCounter())
                .run([input], failed: { XCTFail("\($0)") }, emit: { sections.append($0) })
            bodies.append(String(decoding: try XCTUnwrap(sections.first).body, as: UTF8.self))
        }
        XCTAssertTrue(bodies[0].contains("alpha <*> value <7..9> done"), bodies[0])
        for body in bodies.dropFirst() { XCTAssertEqual(body, bodies[0]) }
    }
}
