@testable import HeadroomBatch
import XCTest

/// Pipeline files: every key read into its setting, paths taken from the file's directory.
final class PipelineDefinitionTests: XCTestCase {
    func testEveryKeyIsReadAndPathsAreRelativeToTheFile() throws {
        let text = """
            # a comment
            [[inputs]]
            path = "corpus/*.jsonl"
              [inputs.fields]
              id = "chunk_id"
              text = ["body", "content"]
            [[inputs]]
            path = "site"
            metadata = ["title"]
            [chunking]
            max_bytes = 1500
            min_bytes = 100
            overlap_bytes = 50
            [dedup]
            near_duplicate_threshold = 0.9
            boilerplate_min_sources = 3
            [selection]
            budget = "40%"
            query = "date methods"
            extractive = true
            [output]
            directory = "../out/rag"
            archive = "/var/lib/hb"
            [run]
            jobs = 4
            part_bytes = 1048576
            """
        let definition = try PipelineDefinitionParser(path: "/etc/hb/pipelines/nightly.toml", text: text).parse()
        XCTAssertEqual(definition.name, "nightly")
        XCTAssertEqual(definition.inputs.map(\.path), ["/etc/hb/pipelines/corpus/*.jsonl", "/etc/hb/pipelines/site"])
        XCTAssertEqual(definition.inputs.map(\.format), [.jsonl, .documents])
        XCTAssertEqual(definition.inputs[0].fields.id, ["chunk_id"])
        XCTAssertEqual(definition.inputs[0].fields.text, ["body", "content"])
        XCTAssertEqual(definition.inputs[0].fields.source, RAGFieldMapping().source)
        XCTAssertNil(definition.inputs[0].metadata)
        XCTAssertEqual(definition.inputs[1].metadata, ["title"])
        XCTAssertEqual(definition.chunking.maxBytes, 1500)
        XCTAssertEqual(definition.chunking.minBytes, 100)
        XCTAssertEqual(definition.chunking.overlapBytes, 50)
        XCTAssertEqual(definition.rag.nearDuplicateThreshold, 0.9)
        XCTAssertEqual(definition.rag.boilerplateMinSources, 3)
        XCTAssertEqual(definition.budget, .percent(40))
        XCTAssertEqual(definition.query, "date methods")
        XCTAssertTrue(definition.rag.extractive)
        XCTAssertEqual(definition.outputDirectory, "/etc/hb/out/rag")
        XCTAssertEqual(definition.archivePath, "/var/lib/hb")
        XCTAssertEqual(definition.jobs, 4)
        XCTAssertEqual(definition.partBytes, 1 << 20)
    }

    func testKeyLinesFollowTablesAndArraysOfTables() {
        let locator = TOMLKeyLocator("""
            [[inputs]]
            path = "a"
            [inputs.fields]
            id = "x"

            [[inputs]]
            "path" = "b"
            [dedup]
            near_duplicates = false # off
            """)
        XCTAssertEqual(locator.line(of: "inputs[1].path"), 2)
        XCTAssertEqual(locator.line(of: "inputs[1].fields.id"), 4)
        XCTAssertEqual(locator.line(of: "inputs[2].path"), 7)
        XCTAssertEqual(locator.line(of: "inputs[2].format"), 6)
        XCTAssertEqual(locator.line(of: "dedup.near_duplicates"), 9)
        XCTAssertEqual(locator.line(of: "dedup.missing"), 8)
        XCTAssertNil(locator.line(of: "selection.budget"))
    }

    func testContentDefinedPartsKeepTheirBoundariesWhenARecordIsInserted() {
        func parts(_ lines: [String]) -> [[UInt8]] {
            var cutter = CorpusPartCutter(targetBytes: 64 << 10)
            var out: [[UInt8]] = []
            for (index, line) in lines.enumerated() {
                let full = Array(line.utf8).withUnsafeBytes { cutter.add($0, number: index + 1) }
                if full { out.append(cutter.take().bytes) }
            }
            let last = cutter.take()
            if last.records > 0 { out.append(last.bytes) }
            return out
        }
        let lines = (0..<20_000).map { "{\"id\":\($0),\"text\":\"passage \($0) \(String(repeating: "w", count: $0 % 97))\"}" }
        let before = parts(lines)
        XCTAssertGreaterThan(before.count, 10)
        XCTAssertTrue(before.allSatisfy { $0.count <= 2 * (64 << 10) + 200 })
        var edited = lines
        let inserted = "{\"id\":\"new\",\"text\":\"an inserted passage\"}"
        edited.insert(inserted, at: 10_000)
        let after = parts(edited)
        let unchanged = Set(before).intersection(Set(after))
        XCTAssertGreaterThanOrEqual(unchanged.count, before.count - 2, "an insertion changes at most two parts")
        XCTAssertEqual(before.reduce(0) { $0 + $1.count } + inserted.utf8.count + 1, after.reduce(0) { $0 + $1.count })
    }
}
