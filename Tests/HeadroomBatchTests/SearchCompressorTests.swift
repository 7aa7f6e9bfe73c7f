@testable import HeadroomBatch
import Foundation
import TestSupport
import XCTest

final class SearchCompressorTests: XCTestCase {
    static let datasetFiles = [
        "pytest_rg_context3_TODO_FIXME_XXX.txt", "pytest_rg_def_test_all_5791.txt", "pytest_rg_fnmatch_lines.txt",
        "pytest_rg_import_os.txt", "pytest_rg_json_raise_ValueError.jsonl",
    ]
    static let reference = ReferenceID(hex: "0123456789abcdef")
    nonisolated(unsafe) static var tokenizer: BPETokenizer?

    private func tokenizer() throws -> BPETokenizer {
        if let known = Self.tokenizer { return known }
        let made = try BPETokenizer(ranksFile: try Paths.tokenizer())
        Self.tokenizer = made
        return made
    }

    private func context(budget: Int = 0, lossless: Bool = false, query: String = "", count: @escaping ([UInt8]) -> Int = { $0.count / 4 }) -> DocumentContext {
        DocumentContext(reference: Self.reference, budget: budget, lossless: lossless, query: query, tokens: count)
    }

    private func compress(_ text: String, budget: Int = 0, lossless: Bool = false, query: String = "") -> String {
        let body = SearchCompressor().compress(Array(text.utf8), context: context(budget: budget, lossless: lossless, query: query))
        return String(decoding: body.body, as: UTF8.self)
    }

    // MARK: - Formats

    func testGroupsPlainHitsByFileAndFoldsIdenticalTexts() {
        let input = """
            src/a.py:3:import os
            src/a.py:10:    import os
            src/a.py:12:x = 1
            src/b-2-c.py:5:def f():

            """
        XCTAssertEqual(compress(input), """
            [search results: 4 hits in 2 files]
            src/a.py
            3,10:import os
            12:x = 1
            src/b-2-c.py:5:def f():

            """)
    }

    func testKeepsContextLinesApartFromMatchesAndImpliesSeparators() {
        let input = """
            a/x.py-1-first
            a/x.py:2:    match one
            a/x.py-3-after
            --
            a/x.py-10-ctx
            a/x.py:11:match two
            --
            b.txt-4-c
            b.txt:5:m

            """
        XCTAssertEqual(compress(input), """
            [search results: 3 hits in 2 files, 4 context lines]
            a/x.py
            1-first
            2:match one
            -after
            10-ctx
            11:match two
            b.txt
            4-c
            5:m

            """)
    }

    func testSplitsOddPathsWithDashesAndColonsByTheirNeighbours() {
        let input = """
            weird-12-name.txt-3-before
            weird-12-name.txt:4:hit: 5:x
            weird-12-name.txt-5-after-6-more
            c:1:d.txt:7:text
            c:1:d.txt:8:more
            plain.py:9:a-10-b

            """
        let results = SearchTextParser(Array(input.utf8)).parse()
        let paths = results.files.map { String(decoding: results[$0.path], as: UTF8.self) }
        XCTAssertEqual(paths, ["weird-12-name.txt", "c:1:d.txt", "plain.py"])
        XCTAssertEqual(results.lines.map(\.number), [3, 4, 5, 7, 8, 9])
        XCTAssertEqual(compress(input), """
            [search results: 4 hits in 3 files, 2 context lines]
            weird-12-name.txt
            3-before
            4:hit: 5:x
            -after-6-more
            c:1:d.txt
            7:text
            8:more
            plain.py:9:a-10-b

            """)
    }

    func testKeepsColumns() {
        let input = "a.py:3:5:foo\na.py:9:1:bar: 2\n"
        XCTAssertEqual(compress(input), "[search results: 2 hits in 1 file]\na.py\n3:5:foo\n9:1:bar: 2\n")
    }

    func testReadsHeadingBlocks() {
        let input = """
            src/a.py
            3:import os
            4-ctx
            --
            9:import sys

            src/b.py
            7:x

            """
        XCTAssertEqual(compress(input), """
            [search results: 3 hits in 2 files, 1 context line]
            src/a.py
            3:import os
            -ctx
            9:import sys
            src/b.py:7:x

            """)
    }

    func testCountsAndFileLists() {
        XCTAssertEqual(compress("a.py:3\nb/c.py:12\n"), "[search counts: 15 in 2 files]\na.py:3\nb/c.py:12\n")
        XCTAssertEqual(compress("a.py\nb/c d.py\n"), "[files with matches: 2]\na.py\nb/c d.py\n")
    }

    func testKeepsLinesThatAreNotSearchOutputVerbatim() {
        let input = "rg: ./secret: Permission denied (os error 13)\na.py:1:x\nBinary file b.bin matches\n"
        XCTAssertEqual(compress(input), """
            [search results: 1 hit in 1 file]
            rg: ./secret: Permission denied (os error 13)
            a.py:1:x
            Binary file b.bin matches

            """)
    }

    func testStatesALongSharedDirectoryOnce() {
        let input = "/home/runner/work/project/src/a.py:1:x\n/home/runner/work/project/tests/b.py:2:y\n"
        XCTAssertEqual(compress(input), """
            [search results: 2 hits in 2 files · paths under /home/runner/work/project/]
            src/a.py:1:x
            tests/b.py:2:y

            """)
    }

    func testReadsRipgrepJSON() {
        let input = #"""
            {"type":"begin","data":{"path":{"text":"src/a.py"}}}
            {"type":"context","data":{"path":{"text":"src/a.py"},"lines":{"text":"def f():\n"},"line_number":9,"absolute_offset":0,"submatches":[]}}
            {"type":"match","data":{"path":{"text":"src/a.py"},"lines":{"text":"    raise ValueError(\"bad \u00e9\")\n"},"line_number":10,"absolute_offset":9,"submatches":[{"match":{"text":"raise ValueError"},"start":4,"end":20}]}}
            {"type":"end","data":{"path":{"text":"src/a.py"},"binary_offset":null,"stats":{"matches":1}}}
            {"type":"begin","data":{"path":{"bytes":"YmluL3guYw=="}}}
            {"type":"match","data":{"path":{"bytes":"YmluL3guYw=="},"lines":{"text":"raise ValueError\n"},"line_number":3,"absolute_offset":0,"submatches":[]}}
            {"type":"end","data":{"path":{"bytes":"YmluL3guYw=="},"binary_offset":null,"stats":{"matches":1}}}
            {"data":{"elapsed_total":{"human":"0.01s"},"stats":{"matches":2}},"type":"summary"}

            """#
        XCTAssertEqual(compress(input), """
            [search results: 2 hits in 2 files, 1 context line]
            src/a.py
            9-def f():
            10:raise ValueError("bad é")
            bin/x.c:3:raise ValueError
            [... 3 lines omitted (search statistics: rg --json end and summary messages) · lines 4-8 · hb_0123456789abcdef:4-8 ...]

            """)
    }

    // MARK: - Selection

    /// 40 files of 30 hits each, every hit text unique (`value f-h`), in `path:line:text` form.
    private func generated(files: Int = 40, hits: Int = 30, special: (file: Int, hit: Int, text: String)? = nil) -> String {
        var out = ""
        for f in 0..<files {
            for h in 0..<hits {
                let text = special.map { $0.file == f && $0.hit == h ? $0.text : nil } ?? nil
                out += "pkg\(f % 4)/module_\(f).py:\(h * 7 + 1):    value = compute(\(f), \(h))  # item \(f)-\(h)\n"
                    .replacingOccurrences(of: "value = compute(\(f), \(h))  # item \(f)-\(h)", with: text ?? "value = compute(\(f), \(h))  # item \(f)-\(h)")
            }
        }
        return out
    }

    func testLossyBodyFitsTheBudgetKeepsEveryFileAndMarksEveryOmittedHit() throws {
        let input = generated()
        let bytes = Array(input.utf8)
        let body = SearchCompressor().compress(bytes, context: context(budget: 1500))
        let text = String(decoding: body.body, as: UTF8.self)
        XCTAssertLessThanOrEqual(body.body.count / 4, 1500)
        for f in 0..<40 { XCTAssertTrue(text.contains("pkg\(f % 4)/module_\(f).py"), "file \(f) listed") }
        let ranges = markerRanges(in: text)
        XCTAssertFalse(ranges.isEmpty)
        XCTAssertEqual(ranges.count, body.omissions.count)
        for (marker, omission) in zip(ranges, body.omissions) {
            XCTAssertEqual(marker.reference, "hb_0123456789abcdef")
            XCTAssertEqual(LineRange(marker.first, marker.last), omission.range)
        }
        // Every hit whose text is not in the body lies in a marker's range, and retrieving
        // that range gives back its exact line.
        let originals = input.split(separator: "\n").map(String.init)
        var omitted = 0
        for (index, line) in originals.enumerated() {
            let hitText = String(line.split(separator: ":", maxSplits: 2)[2]).trimmingCharacters(in: .whitespaces)
            guard !text.contains(hitText) else { continue }
            omitted += 1
            let number = index + 1
            let covering = ranges.first { $0.first <= number && number <= $0.last }
            XCTAssertNotNil(covering, "line \(number) omitted without a marker")
            if let covering {
                let restored = String(decoding: lines(bytes, covering.first, covering.last), as: UTF8.self)
                XCTAssertTrue(restored.contains(line + "\n"))
            }
        }
        XCTAssertGreaterThan(omitted, 0)
        let counted = body.omissions.reduce(0) { $0 + $1.count }
        XCTAssertEqual(counted, omitted, "markers count exactly the omitted hits")
    }

    func testHidesTheLastFilesIntoOneMarkerWhenEvenTheListDoesNotFit() {
        let text = compress(generated(files: 200, hits: 2), budget: 700)
        XCTAssertTrue(text.contains("pkg0/module_0.py"))
        XCTAssertFalse(text.contains("module_199.py"))
        XCTAssertTrue(text.contains(" more files with "), text)
        XCTAssertLessThanOrEqual(text.utf8.count / 4, 700)
    }

    func testListsFilesWithoutTextsByDirectory() {
        var input = ""
        for f in 0..<30 { for h in 1...3 { input += "lib/f\(f).py:\(h):unique text number \(f * 10 + h) of the generated file\n" } }
        let text = compress(input, budget: 200)
        XCTAssertTrue(text.hasPrefix("[search results: 90 hits in 30 files]\nlib/: f0.py (3), f1.py (3), f2.py (3), "), text)
        XCTAssertTrue(text.hasSuffix("f29.py (3)\n[... 90 lines omitted (90 hits of the 30 files above) · lines 1-90 · hb_0123456789abcdef:1-90 ...]\n"), text)
    }

    func testQueryBringsTheRelevantHitsFirst() {
        let needle = "raise TimeoutError(\"database connection timed out\")"
        let input = generated(special: (file: 33, hit: 17, text: needle))
        XCTAssertFalse(compress(input, budget: 800).contains(needle))
        let text = compress(input, budget: 800, query: "database timeout")
        XCTAssertTrue(text.contains("pkg1/module_33.py (30 hits)\n120:" + needle), text)
    }

    func testLosslessKeepsEveryHitWhateverTheBudget() {
        let input = generated()
        let body = SearchCompressor().compress(Array(input.utf8), context: context(budget: 100, lossless: true))
        XCTAssertTrue(body.omissions.isEmpty)
        XCTAssertEqual(SearchFidelity.fidelity(original: Array(input.utf8), body: body.body), 1)
    }

    func testSameInputSameBody() throws {
        let input = generated(files: 60, hits: 9)
        XCTAssertEqual(compress(input, budget: 900), compress(input, budget: 900))
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/code-search/pytest_rg_fnmatch_lines.txt"))))
        let a = SearchCompressor().compress(bytes, context: context(budget: 3000)).body
        let b = SearchCompressor().compress(bytes, context: context(budget: 3000)).body
        XCTAssertEqual(a, b)
    }

    // MARK: - Dataset figures

    /// Body tokens, input tokens and fidelity per dataset file, for one setting.
    private func measure(lossless: Bool, budget: Int) throws -> [(name: String, tokensIn: Int, tokensOut: Int, fidelity: Double)] {
        let tokenizer = try tokenizer()
        let count: ([UInt8]) -> Int = { bytes in bytes.withUnsafeBytes { tokenizer.count($0) } }
        var rows: [(name: String, tokensIn: Int, tokensOut: Int, fidelity: Double)] = []
        for name in Self.datasetFiles {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/code-search/" + name))))
            let started = Date()
            let body = SearchCompressor().compress(bytes, context: context(budget: budget, lossless: lossless, count: count))
            let seconds = Date().timeIntervalSince(started)
            let fidelity = SearchFidelity.fidelity(original: bytes, body: body.body)
            rows.append((name, count(bytes), count(body.body), fidelity))
            let label = lossless ? "lossless" : "budget \(budget)"
            print("search \(label) \(name): \(rows.last!.tokensIn) -> \(rows.last!.tokensOut) tokens, ratio \(Format.fixed(Double(rows.last!.tokensOut) / Double(rows.last!.tokensIn), digits: 3)), fidelity \(Format.fixed(fidelity, digits: 3)) (\(Format.fixed(seconds, digits: 2)) s)")
            if !lossless {
                XCTAssertLessThanOrEqual(rows.last!.tokensOut, budget, name)
                // Every hit not found in the body lies in the range of a marker.
                let ranges = markerRanges(in: String(decoding: body.body, as: UTF8.self))
                for hit in SearchFidelity.missing(original: bytes, body: body.body) {
                    XCTAssertTrue(ranges.contains { $0.first <= hit.line && hit.line <= $0.last }, "\(name): line \(hit.line) has no marker")
                }
            }
        }
        return rows
    }

    /// Total ratio and mean fidelity of `rows`.
    private func totals(_ rows: [(name: String, tokensIn: Int, tokensOut: Int, fidelity: Double)]) -> (ratio: Double, fidelity: Double) {
        let ratio = Double(rows.reduce(0) { $0 + $1.tokensOut }) / Double(rows.reduce(0) { $0 + $1.tokensIn })
        return (ratio, rows.reduce(0) { $0 + $1.fidelity } / Double(rows.count))
    }

    func testLosslessFormOnTheDatasetKeepsEveryHitInLittleMoreThanHalfTheTokens() throws {
        let rows = try measure(lossless: true, budget: 3000)
        for row in rows { XCTAssertEqual(row.fidelity, 1, row.name) }
        let all = totals(rows), plain = totals(rows.filter { !$0.name.hasSuffix(".jsonl") })
        print("search lossless total: ratio \(Format.fixed(all.ratio, digits: 3)) (without .jsonl \(Format.fixed(plain.ratio, digits: 3)))")
        XCTAssertLessThanOrEqual(all.ratio, 0.60)
        XCTAssertLessThanOrEqual(plain.ratio, 0.60)
    }

    func testDefaultBudgetOnTheDatasetMeetsTheRatioAndFidelityTargets() throws {
        let rows = try measure(lossless: false, budget: 3000)
        let all = totals(rows), plain = totals(rows.filter { !$0.name.hasSuffix(".jsonl") })
        print("search budget 3000 total: ratio \(Format.fixed(all.ratio, digits: 4)), fidelity \(Format.fixed(all.fidelity, digits: 3)) (without .jsonl: ratio \(Format.fixed(plain.ratio, digits: 4)), fidelity \(Format.fixed(plain.fidelity, digits: 3)))")
        XCTAssertLessThanOrEqual(all.ratio, 0.05)
        XCTAssertLessThanOrEqual(plain.ratio, 0.05)
        XCTAssertGreaterThanOrEqual(all.fidelity, 0.40)
        XCTAssertGreaterThanOrEqual(plain.fidelity, 0.40)
    }
}
