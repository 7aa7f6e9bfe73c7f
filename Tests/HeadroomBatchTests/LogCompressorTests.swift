@testable import HeadroomBatch
import XCTest

final class LogCompressorTests: XCTestCase {
    /// Feeds lines through the compressor the way the merge stage does, one "block" per call.
    private func compress(_ lines: [String], options: LogCompressor.Options) -> String {
        let compressor = LogCompressor(options: options)
        for (index, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { raw in
                let (hash, control) = LineHash.hash(raw)
                compressor.add(.init(number: index + 1, bytes: raw, hash: hash, level: LineLevel.detect(raw), hasControl: control))
                compressor.endOfBlock()
            }
        }
        let body = compressor.finish(reference: ReferenceID(hex: "0123456789abcdef"))
        return String(decoding: body.body, as: UTF8.self)
    }

    func testKeepsHeadTailAndErrorsAndMarksEveryGap() {
        var lines = (1...100).map { "2026-01-01 INFO request \($0) served" }
        lines[49] = "2026-01-01 ERROR request 50 failed: timeout"
        var options = LogCompressor.Options()
        options.headLines = 3
        options.tailLines = 2
        let text = compress(lines, options: options)
        let expected = """
            2026-01-01 INFO request 1 served
            2026-01-01 INFO request 2 served
            2026-01-01 INFO request 3 served
            [... 46 lines omitted (INFO 46) · lines 4-49 · hb_0123456789abcdef:4-49 ...]
            2026-01-01 ERROR request 50 failed: timeout
            [... 48 lines omitted (INFO 48) · lines 51-98 · hb_0123456789abcdef:51-98 ...]
            2026-01-01 INFO request 99 served
            2026-01-01 INFO request 100 served

            """
        XCTAssertEqual(text, expected)
    }

    func testFoldsConsecutiveAndRepeatedErrorLines() {
        var lines = (1...40).map { "INFO tick \($0)" }
        for i in 10..<20 { lines[i] = "ERROR disk full" }
        lines[30] = "ERROR disk full"
        var options = LogCompressor.Options()
        options.headLines = 0
        options.tailLines = 0
        let text = compress(lines, options: options)
        XCTAssertEqual(text.components(separatedBy: "\nERROR disk full\n").count + (text.hasPrefix("ERROR disk full\n") ? 1 : 0), 2,
                       "the error line is printed once:\n\(text)")
        XCTAssertTrue(text.contains("[... ×9 identical to the line above · lines 12-20 · hb_0123456789abcdef:12-20 ...]"), text)
        XCTAssertTrue(text.contains("[↑ ×11 in all · last at line 31]"), text)
        XCTAssertTrue(text.contains("1 repeats of shown lines"), text)
    }

    func testLinesWithControlBytesAreNeverPrinted() {
        let lines = ["INFO start", "ERROR bad \u{0}\u{1} bytes", "INFO end"]
        var options = LogCompressor.Options()
        options.headLines = 5
        let text = compress(lines, options: options)
        XCTAssertFalse(text.contains("bad"), text)
        XCTAssertTrue(text.contains("1 with control bytes"), text)
    }
}
