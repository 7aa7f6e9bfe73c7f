@testable import HeadroomBatch
import TestSupport
import XCTest

final class DecompressorTests: XCTestCase {
    /// Reads a whole source through `SourceReader`, as the pipeline does.
    private func readAll(_ path: String) throws -> ([UInt8], StreamCompression) {
        let reader = try SourceReader(.file(path))
        let block = Block()
        var out: [UInt8] = []
        repeat {
            block.reset()
            reader.fill(block)
            if let error = block.readError { throw error }
            out.append(contentsOf: block.bytes)
        } while !reader.finished
        return (out, reader.compression)
    }

    func testRecognisesCompressedInputsByMagicBytesNotNames() throws {
        let dir = try TemporaryDirectory()
        let log = try Paths.dataset("loghub-2k/Linux/Linux_2k.log")
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: log)))
        let cases: [(String, [String], StreamCompression)] = [
            ("gzip", ["-c", log], .gzip), ("zstd", ["-q", "-c", log], .zstd), ("lz4", ["-q", "-c", log], .lz4),
        ]
        for (tool, arguments, format) in cases {
            let packed = try runProcess("/usr/bin/\(tool)", arguments)
            XCTAssertEqual(packed.status, 0, tool)
            let path = try dir.write("\(tool).log", packed.stdout)  // named .log on purpose
            let (bytes, detected) = try readAll(path)
            XCTAssertEqual(detected, format)
            XCTAssertEqual(bytes, original, tool)
        }
    }

    func testTruncatedStreamsAreErrorsNamingTheInput() throws {
        let dir = try TemporaryDirectory()
        let log = try Paths.dataset("loghub-2k/Linux/Linux_2k.log")
        for tool in ["gzip", "zstd", "lz4"] {
            let packed = try runProcess("/usr/bin/\(tool)", ["-c", log]).stdout
            let path = try dir.write("cut.\(tool)", Array(packed.prefix(packed.count / 2)))
            XCTAssertThrowsError(try readAll(path), tool) { error in
                XCTAssertTrue("\(error)".contains("cut.\(tool)"), "\(error)")
                XCTAssertTrue("\(error)".contains("truncated") || "\(error)".contains("corrupt"), "\(error)")
            }
        }
    }

    func testBlocksAreCutAfterNewlinesAndLongLinesAreSplit() throws {
        let dir = try TemporaryDirectory()
        var text = [UInt8](repeating: UInt8(ascii: "a"), count: Block.capacity + 100)
        text += Array("\nshort\n".utf8)
        let path = try dir.write("long.txt", text)
        let reader = try SourceReader(.file(path))
        let block = Block()
        reader.fill(block)
        XCTAssertEqual(block.count, Block.capacity)
        XCTAssertTrue(block.endsMidLine)
        XCTAssertFalse(block.isLast)
        block.reset()
        reader.fill(block)
        XCTAssertTrue(block.startsMidLine)
        XCTAssertEqual(block.count, 100 + 7)
        XCTAssertTrue(block.isLast)
    }
}
