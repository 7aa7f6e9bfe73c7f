import Foundation
import TestSupport
import XCTest

@testable import HeadroomBatch

/// Where the shared datasets are: $HEADROOM_DATASETS, else `../shared/datasets` beside the
/// package root (found from this file's path), else /work/shared/datasets.
private func tokenizerDatasetsDirectory() -> URL {
    if let override = ProcessInfo.processInfo.environment["HEADROOM_DATASETS"], !override.isEmpty {
        return URL(fileURLWithPath: override)
    }
    let fileManager = FileManager.default
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
        if fileManager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            let beside = directory.appendingPathComponent("../shared/datasets").standardizedFileURL
            if fileManager.fileExists(atPath: beside.path) { return beside }
            break
        }
        directory = directory.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: "/work/shared/datasets")
}

private func tokenizerDataset(_ relativePath: String) -> String {
    tokenizerDatasetsDirectory().appendingPathComponent(relativePath).path
}

/// Loaded once for the whole test run; a missing file fails every test that uses it.
private let sharedO200k = Result { try BPETokenizer(ranksFile: tokenizerDataset("tokenizers/o200k_base.tiktoken")) }

private func readDataset(_ relativePath: String) throws -> Data {
    let path = tokenizerDataset(relativePath)
    guard let data = FileManager.default.contents(atPath: path) else {
        throw TokenizerError.fileNotFound(path: path)
    }
    return data
}

final class TokenizerTests: XCTestCase {
    private func o200k() throws -> BPETokenizer { try sharedO200k.get() }

    private func encode(_ tokenizer: BPETokenizer, _ bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBytes { tokenizer.encode($0) }
    }

    // MARK: Loading

    func testLoadsO200kBase() throws {
        let tokenizer = try o200k()
        XCTAssertEqual(tokenizer.name, "o200k_base")
        XCTAssertTrue(tokenizer.isExact)
        XCTAssertEqual(tokenizer.pattern, .o200k)
        XCTAssertEqual(tokenizer.vocabularySize, 199_998)
        XCTAssertEqual(tokenizer.count(""), 0)
        XCTAssertEqual(tokenizer.encode(""), [])
    }

    func testMissingFileThrowsNamingTheFile() {
        let path = "/nonexistent/dir/o200k_base.tiktoken"
        XCTAssertThrowsError(try BPETokenizer(ranksFile: path)) { error in
            XCTAssertEqual(error as? TokenizerError, .fileNotFound(path: path))
            XCTAssertTrue("\(error)".contains(path))
        }
    }

    func testMalformedFilesThrowWithLineNumbers() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hb-tokenizer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // All 256 single bytes, so only the broken line matters.
        let bytes = (0..<256).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
        func load(_ lines: [String]) throws -> BPETokenizer {
            let path = directory.appendingPathComponent("test.tiktoken").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return try BPETokenizer(ranksFile: path)
        }
        let good = try load(bytes + ["YWI= 256"])
        XCTAssertEqual(good.name, "test")
        XCTAssertEqual(good.encode("abab"), [256, 256])
        XCTAssertEqual(good.decode([256, 97]), Array("aba".utf8))

        let cases: [(lines: [String], line: Int, reason: String)] = [
            (bytes + ["YWI="], 257, "expected"),
            (bytes + ["Y*I= 256"], 257, "base64"),
            (bytes + ["YWI 256"], 257, "base64"),
            (bytes + ["YWI= 2x6"], 257, "decimal"),
            (bytes + ["YWI= 256", "YWI= 257"], 258, "second time"),
            (bytes + ["YWI= 255"], 257, "rank 255"),
        ]
        for (lines, line, reason) in cases {
            XCTAssertThrowsError(try load(lines), "line \(line)") { error in
                guard case .malformedLine(_, let reported, let message)? = error as? TokenizerError else {
                    return XCTFail("unexpected error \(error)")
                }
                XCTAssertEqual(reported, line)
                XCTAssertTrue(message.contains(reason), message)
                XCTAssertTrue("\(error)".contains("test.tiktoken"))
            }
        }
        XCTAssertThrowsError(try load(bytes.enumerated().filter { $0.offset != 0x41 }.map(\.element))) { error in
            guard case .incomplete(_, let reason)? = error as? TokenizerError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertTrue(reason.contains("0x41"), reason)
        }
    }

    // MARK: Exactness

    func testEveryVectorEncodesExactly() throws {
        let tokenizer = try o200k()
        struct Vector: Decodable {
            let text: String
            let tokens: [Int]
        }
        let data = try readDataset("tokenizers/o200k_base.vectors.jsonl")
        var checked = 0
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            let vector = try JSONDecoder().decode(Vector.self, from: Data(line))
            XCTAssertEqual(tokenizer.encode(vector.text), vector.tokens, "vector line \(index + 1)")
            XCTAssertEqual(tokenizer.count(vector.text), vector.tokens.count, "vector line \(index + 1)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 352)
    }

    func testHandPickedEdgeCases() throws {
        let tokenizer = try o200k()
        // Token ids from tiktoken 0.14 with the same ranks file.
        let expected: [(String, [Int])] = [
            ("I'll", [67504]),
            ("DON'T", [134882, 51532]),
            ("don't", [91418]),
            ("We'RE here", [2167, 6, 1099, 2105]),
            (" I'\u{17F}", [3413, 70067]),  // long s case-folds to 's' in the contraction
            ("12345", [7633, 2548]),
            ("1234567", [7633, 19354, 22]),
            ("a  \n  b", [64, 4066, 220, 287]),
            ("x   y", [87, 256, 342]),
            ("x  ", [87, 256]),
            ("\r\n\r\n  foo", [1414, 220, 30551]),
            ("日本語のテキストです", [9048, 40909, 3385, 16056, 18368, 38236, 15121]),
            ("Hello 👋🏽 world 🚀!", [13225, 61138, 233, 52622, 121, 2375, 169883, 222, 0]),
            ("naïve café", [1503, 9954, 737, 30469]),
            ("e\u{301}t\u{E9}", [68, 13430, 54949]),
            ("a\u{88F}b", [64, 156, 95, 237, 65]),  // Unicode 17 letter: unassigned for tiktoken
            ("x\u{A0}\u{A0}y", [87, 5310, 5310, 88]),
            ("HTTPServer getHTTPResponse", [17893, 6444, 717, 17893, 3186]),
            ("workerEnv.init() ok /etc/httpd/conf/workers2.properties\n",
             [40610, 20275, 14930, 416, 4763, 820, 25255, 34854, 67, 149540, 75342, 409, 17, 39913, 198]),
        ]
        for (text, ids) in expected {
            XCTAssertEqual(tokenizer.encode(text), ids, text.debugDescription)
            XCTAssertEqual(tokenizer.count(text), ids.count, text.debugDescription)
            XCTAssertEqual(tokenizer.decode(ids), Array(text.utf8), text.debugDescription)
        }
        // Digits split in threes; whitespace before a word gives back its last space.
        XCTAssertEqual(tokenizer.encode("12345").map { tokenizer.decode([$0]) }, [Array("123".utf8), Array("45".utf8)])
    }

    func testLongPiecesMatchTiktoken() throws {
        let tokenizer = try o200k()
        // Counts from tiktoken 0.14; these pieces take the heap merge.
        XCTAssertEqual(tokenizer.count(String(repeating: ".", count: 10_000)), 157)
        XCTAssertEqual(tokenizer.count(String(repeating: "=-", count: 3_000)), 375)
        XCTAssertEqual(tokenizer.count(String(repeating: " ", count: 5_000) + "x"), 41)
    }

    func testLongPieceMergeAgreesWithScanMerge() throws {
        let tokenizer = try o200k()
        let table = tokenizer.rankTable
        var generator = SplitMix64(seed: 42)
        let alphabets: [[UInt8]] = [
            Array("abcdefgh".utf8), Array(".=-_ ".utf8), Array("0123456789abcdef".utf8), Array(".".utf8),
            (0...255).map { UInt8($0) },
        ]
        for round in 0..<500 {
            let alphabet = alphabets[round % alphabets.count]
            let length = 2 + Int(generator.next() % UInt64(BPERankTable.smallPieceLimit - 1))
            let piece = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            piece.withUnsafeBufferPointer { buffer in
                let p = buffer.baseAddress!
                let limit = p + length
                var starts = [Int32](repeating: 0, count: length + 1)
                var ranks = [UInt32](repeating: 0, count: length)
                let parts = table.mergeSmall(p, length, limit, starts: &starts, pairRanks: &ranks)
                let expected = Array(starts[0...parts])
                // Rank-by-rank sweep only, heap only, and a switch from one to the other.
                for budget in [nil, Int.max, 0, length] {
                    XCTAssertEqual(
                        table.mergeLarge(p, length, limit, sweepBudget: budget), expected,
                        "budget \(budget.map(String.init) ?? "default"), piece \(piece)")
                }
            }
        }
    }

    func testCountEqualsEncodeAndTiktokenOnARealLog() throws {
        let tokenizer = try o200k()
        let log = try readDataset("loghub-2k/Apache/Apache_2k.log")
        let ids = log.withUnsafeBytes { tokenizer.encode($0) }
        XCTAssertEqual(ids.count, 64_500)  // tiktoken 0.14
        XCTAssertEqual(log.withUnsafeBytes { tokenizer.count($0) }, ids.count)
        XCTAssertEqual(tokenizer.decode(ids), Array(log))
    }

    // MARK: Invalid UTF-8

    func testInvalidUTF8IsEncodedByteWise() throws {
        let tokenizer = try o200k()
        // Each invalid byte is one "other" character; ids from tiktoken's pieces and BPE.
        let expected: [([UInt8], [Int])] = [
            ([0xFF], [187]),
            (Array("abc".utf8) + [0xFF] + Array("def ".utf8) + [0xE2, 0x82] + Array(" x".utf8) + [0xC0, 0xAF] + Array("z".utf8),
             [26682, 187, 1314, 59790, 1215, 124, 107, 89]),
            (Array("GET /a".utf8) + [0xFF, 0xFE] + Array("b HTTP/1.1\r\n".utf8),
             [7800, 820, 64, 187, 186, 65, 21929, 14, 16, 13, 16, 370]),
            (Array("I".utf8) + [0xED, 0xA0, 0x80] + Array("'ll ".utf8) + [0x80, 0x80, 0x80] + Array(" ok".utf8),
             [40, 169, 62313, 6, 680, 220, 222, 222, 222, 4763]),
        ]
        for (bytes, ids) in expected {
            XCTAssertEqual(encode(tokenizer, bytes), ids, "\(bytes)")
        }
    }

    func testRandomBytesNeverCrashAndRoundTrip() throws {
        let tokenizer = try o200k()
        var generator = SplitMix64(seed: 7)
        let fragments: [[UInt8]] = [
            [0x80], [0xBF], [0xC0], [0xC1], [0xF5], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], Array("é".utf8), Array("日本".utf8), Array("🚀".utf8), Array(" I'll".utf8),
            Array("\r\n".utf8), Array("  ".utf8), Array("12345".utf8), Array("=====".utf8), Array("Word".utf8),
        ]
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 60) {
                if generator.next() % 3 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: generator.next()))
                } else {
                    bytes += fragments[Int(generator.next() % UInt64(fragments.count))]
                }
            }
            let ids = encode(tokenizer, bytes)
            XCTAssertEqual(tokenizer.decode(ids), bytes, "round \(round)")
            XCTAssertEqual(tokenizer.count(bytes), ids.count, "round \(round)")
            XCTAssertLessThanOrEqual(ids.count, bytes.count)
        }
        // Truncated sequences at the very end of the buffer.
        for tail: [UInt8] in [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x27], [0x27, 0x6C]] {
            let bytes = Array("x".utf8) + tail
            XCTAssertEqual(tokenizer.decode(encode(tokenizer, bytes)), bytes)
        }
    }

    // MARK: Sharing and other vocabularies

    func testConcurrentCountsAgree() throws {
        let tokenizer = try o200k()
        let log = try readDataset("loghub-2k/OpenSSH/OpenSSH_2k.log")
        let expected = log.withUnsafeBytes { tokenizer.count($0) }
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            results[index] = log.withUnsafeBytes { tokenizer.count($0) }
        }
        XCTAssertEqual(Array(results), Array(repeating: expected, count: 8))
    }

    func testCl100kBaseUsesItsOwnPattern() throws {
        let tokenizer = try BPETokenizer(ranksFile: tokenizerDataset("tokenizers/cl100k_base.tiktoken"))
        XCTAssertEqual(tokenizer.name, "cl100k_base")
        XCTAssertEqual(tokenizer.pattern, .cl100k)
        let expected: [(String, [Int])] = [
            ("I'll", [40, 3358]),
            ("DON'T", [85741, 17773]),
            ("x  \n\n  ", [87, 19124, 256]),
            ("a  \n  b", [64, 2355, 220, 293]),
            ("12345", [4513, 1774]),
        ]
        for (text, ids) in expected {
            XCTAssertEqual(tokenizer.encode(text), ids, text.debugDescription)
        }
        XCTAssertEqual(BPEPattern.forVocabulary(named: "gpt-4", size: 100_256), .cl100k)
        XCTAssertEqual(BPEPattern.forVocabulary(named: "my_o200k_copy", size: 100_256), .o200k)
        XCTAssertEqual(BPEPattern.forVocabulary(named: "ranks", size: 199_998), .o200k)
    }

    // MARK: Estimate

    func testEstimateIsCloseToExactOnRealLogs() throws {
        let tokenizer = try o200k()
        let estimate = EstimatedTokenCounter()
        XCTAssertFalse(estimate.isExact)
        XCTAssertEqual(estimate.name, "estimate")
        XCTAssertEqual(estimate.count(""), 0)
        for file in ["loghub-2k/Apache/Apache_2k.log", "loghub-2k/BGL/BGL_2k.log", "logdx-dev/lint-react-001/raw.log"] {
            let log = try readDataset(file)
            let exact = log.withUnsafeBytes { tokenizer.count($0) }
            let estimated = log.withUnsafeBytes { estimate.count($0) }
            let error = abs(Double(estimated - exact)) / Double(exact)
            XCTAssertLessThan(error, 0.08, "\(file): exact \(exact), estimate \(estimated)")
        }
        // Invalid UTF-8 is fine here too.
        XCTAssertGreaterThan(estimate.count([0xFF, 0xC3, 0x41, 0xE2, 0x82]), 0)
    }
}

