@testable import HeadroomBatch
import TestSupport
import XCTest

final class ArchiveTests: XCTestCase {
    /// Compresses `inputs` into the archive at `path` with the library API.
    private func compress(_ inputs: [String], archive: Archive, jobs: Int = 2) -> ([Section], [HeadroomError]) {
        var sections: [Section] = []
        var errors: [HeadroomError] = []
        let run = CompressRun(options: CompressOptions(jobs: jobs), archive: archive, tokenizer: EstimatedTokenCounter())
        _ = run.run(inputs.map { .file($0) }, failed: { errors.append($0) }, emit: { sections.append($0) })
        return (sections, errors)
    }

    private func retrieve(_ archive: Archive, _ query: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try archive.retrieve(try ReferenceQuery.parse(query)) { out.append(contentsOf: $0) }
        return out
    }

    func testRoundTripOfWholeReferenceAndRanges() throws {
        let dir = try TemporaryDirectory()
        let archive = try Archive(path: dir.file("archive"), create: true)
        let log = try Paths.dataset("loghub-2k/Zookeeper/Zookeeper_2k.log")
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: log)))
        let (sections, errors) = compress([log], archive: archive)
        XCTAssertTrue(errors.isEmpty, "\(errors)")
        let id = try XCTUnwrap(sections.first?.reference)
        XCTAssertEqual(try retrieve(archive, id.description), original)
        for (first, last) in [(1, 1), (1, 2000), (120, 180), (2000, 2000), (1999, 2000)] {
            XCTAssertEqual(try retrieve(archive, "\(id):\(first)-\(last)"), lines(original, first, last), "\(first)-\(last)")
        }
        XCTAssertThrowsError(try retrieve(archive, "\(id):1999-2001"))
    }

    func testSameBytesAreStoredOnceWithTheSameReference() throws {
        let dir = try TemporaryDirectory()
        let archive = try Archive(path: dir.file("archive"), create: true)
        let log = try Paths.dataset("loghub-2k/Apache/Apache_2k.log")
        let copy = try dir.write("copy.log", Array(try Data(contentsOf: URL(fileURLWithPath: log))))
        let first = compress([log], archive: archive).0
        let segmentSize = try archive.stats().segmentBytes
        let second = compress([copy, log], archive: archive).0
        XCTAssertEqual(Set((first + second).map(\.reference)).count, 1)
        XCTAssertEqual(try archive.stats().segmentBytes, segmentSize, "no new bytes for known content")
        XCTAssertEqual(try archive.stats().references, 1)
        XCTAssertEqual(try archive.stats().sources, 2)
        XCTAssertTrue(second.allSatisfy(\.alreadyArchived))
    }

    func testMultiBlockInputRetrievesRangesAcrossBlockBoundaries() throws {
        let dir = try TemporaryDirectory()
        var text: [UInt8] = []
        var n = 0
        while text.count < Block.capacity * 2 + 12345 {
            n += 1
            text.append(contentsOf: Array("line \(n) of a long generated log with some padding text\n".utf8))
        }
        let path = try dir.write("big.log", text)
        let archive = try Archive(path: dir.file("archive"), create: true)
        let (sections, errors) = compress([path], archive: archive, jobs: 2)
        XCTAssertTrue(errors.isEmpty)
        let section = try XCTUnwrap(sections.first)
        XCTAssertEqual(section.lines, n)
        let id = section.reference
        XCTAssertGreaterThan(try archive.blocks(of: try archive.lookup(id)).count, 2)
        // Every block boundary: ranges straddling it come back exactly.
        for block in try archive.blocks(of: try archive.lookup(id)) {
            let a = max(1, block.firstLine - 3), b = min(n, block.firstLine + 3)
            XCTAssertEqual(try retrieve(archive, "\(id):\(a)-\(b)"), lines(text, a, b))
        }
        XCTAssertEqual(try retrieve(archive, id.description), text)
    }

    func testVerifyNamesADamagedReference() throws {
        let dir = try TemporaryDirectory()
        let archive = try Archive(path: dir.file("archive"), create: true)
        let (sections, _) = compress([try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log"),
                                      try Paths.dataset("loghub-2k/Spark/Spark_2k.log")], archive: archive)
        XCTAssertTrue(try archive.verify().failures.isEmpty)
        // Flip one byte inside the first reference's only block.
        let block = try XCTUnwrap(try archive.blocks(of: try archive.lookup(sections[0].reference)).first)
        let segment = dir.file("archive/segments/\(block.segment).zst")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[block.offset + block.packed / 2] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let result = try archive.verify()
        XCTAssertEqual(result.checked, 2)
        XCTAssertEqual(result.failures.map(\.id), [sections[0].reference])
    }

    func testUnknownFormatVersionIsAClearError() throws {
        let dir = try TemporaryDirectory()
        _ = try Archive(path: dir.file("archive"), create: true)
        let database = try SQLiteDatabase(path: dir.file("archive/index.sqlite"))
        try database.run("UPDATE meta SET value = '99' WHERE key = 'format_version'")
        XCTAssertThrowsError(try Archive(path: dir.file("archive"), create: false)) { error in
            XCTAssertTrue("\(error)".contains("format version 99 is not supported"), "\(error)")
        }
    }

    func testArchiveIsPrivateToItsUser() throws {
        let dir = try TemporaryDirectory()
        let archive = try Archive(path: dir.file("archive"), create: true)
        _ = compress([try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log")], archive: archive)
        func mode(_ path: String) -> mode_t {
            var status = stat()
            stat(path, &status)
            return status.st_mode & 0o777
        }
        XCTAssertEqual(mode(dir.file("archive")), 0o700)
        XCTAssertEqual(mode(dir.file("archive/segments")), 0o700)
        XCTAssertEqual(mode(dir.file("archive/index.sqlite")), 0o600)
        XCTAssertEqual(mode(dir.file("archive/segments/1.zst")), 0o600)
    }

    func testGarbageCollectionRemovesOldReferencesAndFreesSegments() throws {
        let dir = try TemporaryDirectory()
        let archive = try Archive(path: dir.file("archive"), create: true)
        _ = compress([try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log")], archive: archive)
        XCTAssertEqual(try archive.collectGarbage(olderThan: 3600).references, 0)
        XCTAssertEqual(try archive.stats().references, 1)
        let report = try archive.collectGarbage(olderThan: -10)
        XCTAssertEqual(report.references, 1)
        XCTAssertEqual(report.segmentsDeleted, 1)
        XCTAssertEqual(try archive.stats().references, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("archive/segments/1.zst")))
        XCTAssertTrue(try archive.verify().failures.isEmpty)
    }
}
