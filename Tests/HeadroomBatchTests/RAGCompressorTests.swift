import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

final class RAGCompressorTests: XCTestCase, DocumentCompressorTesting {
    func compress(_ input: String, budget: Int = 0, lossless: Bool = false, query: String = "",
                  options: RAGOptions = RAGOptions()) throws -> CompressedBody {
        RAGCompressor(options: options).compress(Array(input.utf8), context: try context(budget: budget, lossless: lossless, query: query))
    }

    /// A JSONL record line.
    func record(_ fields: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Lines `first...last` of a numbered document `line 1\nline 2\n…` as one text.
    func window(_ first: Int, _ last: Int, prefix: String = "line") -> String {
        (first...last).map { "\(prefix) \($0) of the manual, with enough words" }.joined(separator: "\n")
    }

    // MARK: - Lossless

    func testDuplicatesAreFoldedWithEveryID() throws {
        let input = [
            record(["id": "q1/r1/doc:a", "source": "a.rst", "text": "Alpha passage.\nSecond line here."]),
            record(["id": "q2/r4/doc:a", "source": "a.rst", "text": "Alpha   passage.\nSecond line here.  "]),
            record(["id": "q3/r2/doc:a", "source": "a.rst", "text": "Alpha passage.\nSecond line here."]),
        ].joined(separator: "\n") + "\n"
        let out = text(try compress(input))
        XCTAssertEqual(out.components(separatedBy: "Second line here.").count - 1, 1, out)
        XCTAssertTrue(out.contains("-- q{1/r1,2/r4,3/r2}/doc:a\n"), out)
        XCTAssertTrue(out.contains("2 exact duplicates folded"), out)
    }

    func testThreeOverlappingWindowsAreStitched() throws {
        // Windows 1-10, 8-17, 15-24 of one document; the chunker strips each chunk's ends.
        let input = [
            record(["id": "w1", "source": "doc", "text": window(1, 10)]),
            record(["id": "w3", "source": "doc", "text": window(15, 24)]),
            record(["id": "w2", "source": "doc", "text": "  " + window(8, 17)]),
        ].joined(separator: "\n") + "\n"
        let body = try compress(input, lossless: true)
        let out = text(body)
        for n in 1...24 {
            XCTAssertEqual(out.components(separatedBy: "line \(n) of the manual,").count - 1, 1, "line \(n): \(out)")
        }
        XCTAssertTrue(out.contains("-- 3 windows\n"), out)
        XCTAssertTrue(out.contains("@1 w1\n@8 w2\n@15 w3\n"), out)
        XCTAssertTrue(body.omissions.isEmpty)
        // In text order, once each.
        let printed = out.split(separator: "\n").filter { $0.hasPrefix("line ") }
        XCTAssertEqual(printed.map { String($0) }, (1...24).map { "line \($0) of the manual, with enough words" })
    }

    func testShortCoincidentalOverlapIsNotStitched() throws {
        let input = [
            record(["id": "a", "source": "doc", "text": "First text.\nEnd."]),
            record(["id": "b", "source": "doc", "text": "End.\nSecond text."]),
        ].joined(separator: "\n")
        let out = text(try compress(input))
        XCTAssertEqual(out.components(separatedBy: "End.").count - 1, 2, out)
        XCTAssertFalse(out.contains("stitched"), out)
    }

    func testRecordsWithoutTextAndMalformedLinesAreKept() throws {
        let input = [
            record(["id": "a", "source": "doc", "text": "Kept passage text."]),
            #"{"id": "b", "source": "doc", "score": 3}"#,
            #"{"id": "c", "text": "broken"#,
            "plain words, not json",
            #"["an", "array"]"#,
            record(["id": "d", "content": "Content key is the text."]),
        ].joined(separator: "\n") + "\n"
        let out = text(try compress(input, budget: 0))
        for line in input.split(separator: "\n").dropFirst().prefix(4) {
            XCTAssertTrue(out.contains("\n" + line + "\n"), "missing \(line): \(out)")
        }
        XCTAssertTrue(out.contains("[4 input lines kept verbatim (not a JSON object with a text field): lines 2, 3, 4, 5]"), out)
        XCTAssertTrue(out.contains("Content key is the text."), out)
        XCTAssertTrue(out.contains("== source: (no source)"), out)
    }

    func testDecodedTextWithRealNewlines() throws {
        let input = #"{"id": "x", "page_content": "caf\u00e9 \"quoted\"\n\tindented", "url": "https://e.x/a"}"# + "\n"
        let out = text(try compress(input))
        XCTAssertTrue(out.contains("\ncafé \"quoted\"\n\tindented\n"), out)
        XCTAssertTrue(out.contains("== source: https://e.x/a"), out)
    }

    func testQueriesGroupPassagesAndReferenceRepeats() throws {
        let input = [
            record(["id": "d1", "source": "s", "query": "how to parse", "score": 1.5, "text": "Parsing is done by the parser."]),
            record(["id": "d2", "source": "s", "query": "how to parse", "score": 9.25, "text": "The parse function returns a tree."]),
            record(["id": "d2", "source": "s", "query": "what is a tree", "score": 4, "text": "The parse function returns a tree."]),
        ].joined(separator: "\n") + "\n"
        let out = text(try compress(input))
        XCTAssertEqual(out.components(separatedBy: "The parse function returns a tree.").count - 1, 1, out)
        let first = try XCTUnwrap(out.range(of: "== query: how to parse\n#2 score 9.25 → P1\n"), out)
        let lower = try XCTUnwrap(out.range(of: "#1 score 1.5 → P2"), out)
        XCTAssertLessThan(first.lowerBound, lower.lowerBound)
        XCTAssertTrue(out.contains("== query: what is a tree\n#3 score 4 → P1\n"), out)
        XCTAssertTrue(out.contains("[S1: s]"), out)
    }

    func testDeterministic() throws {
        let path = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(400_000))
        let context = try context(budget: 0)
        let a = RAGCompressor().compress(bytes, context: context).body
        let b = RAGCompressor().compress(bytes, context: context).body
        XCTAssertEqual(a, b)
        let budgeted = try self.context(budget: 3000, query: "datetime date")
        XCTAssertEqual(RAGCompressor().compress(bytes, context: budgeted).body, RAGCompressor().compress(bytes, context: budgeted).body)
    }

    // MARK: - Budget

    func testBudgetCutsWholePassagesWithExactRanges() throws {
        var lines: [String] = []
        for n in 1...12 {
            let topic = n == 7 ? "zebra stripes" : "topic \(n)"
            lines.append(record(["id": "r\(n)", "source": "doc\(n % 3)",
                                 "text": (1...8).map { "Paragraph \($0) about \(topic): words words words words words." }.joined(separator: "\n")]))
        }
        lines.insert(record(["id": "r7-again", "source": "doc1", "text": (1...8).map { "Paragraph \($0) about zebra stripes: words words words words words." }.joined(separator: "\n")]), at: 9)
        let input = lines.joined(separator: "\n") + "\n"
        let full = try compress(input)
        XCTAssertTrue(full.omissions.isEmpty)
        let lossless = try compress(input, budget: 200, lossless: true)
        XCTAssertEqual(lossless.body, full.body)

        let body = try compress(input, budget: 700, query: "zebra")
        let out = text(body)
        XCTAssertLessThanOrEqual(try count(body.body), 700, out)
        XCTAssertTrue(out.contains("Paragraph 3 about zebra stripes"), out)
        XCTAssertFalse(body.omissions.isEmpty, out)
        // The omitted lines are exactly the records whose text is not printed.
        var omitted = Set<Int>()
        for omission in body.omissions {
            XCTAssertEqual(omission.unit, "records")
            XCTAssertEqual(omission.count, omission.range.count)
            for line in omission.range.first...omission.range.last { XCTAssertTrue(omitted.insert(line).inserted) }
        }
        for (index, line) in input.split(separator: "\n").enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let first = (object["text"] as! String).split(separator: "\n")[0]
            XCTAssertEqual(omitted.contains(index + 1), !out.contains(first), "line \(index + 1)")
        }
        XCTAssertEqual(markerRanges(in: out).map { LineRange($0.first, $0.last) }, body.omissions.map(\.range))
        XCTAssertTrue(out.contains("least relevant to the query"), out)
        XCTAssertTrue(out.contains("(omitted)"), out)
    }

    // MARK: - Near duplicates

    /// A 30-line text of distinct 8-word lines about `topic`, with the lines in `replaced`
    /// changed.
    func longText(_ topic: String, replaced: [Int: String] = [:]) -> [String] {
        (1...30).map { replaced[$0] ?? "Line \($0) explains how the \(topic) module handles case \($0 * 7)." }
    }

    func testNearDuplicatePairIsPrintedAsDifferences() throws {
        let canonical = longText("codec")
        let member = longText("codec", replaced: [12: "A rewritten twelfth line that only the mirror copy carries."])
        let input = [
            record(["id": "mirror", "source": "mirror.rst", "text": member.joined(separator: "\n")]),
            record(["id": "main", "source": "main.rst", "text": canonical.joined(separator: "\n")]),
            record(["id": "main-again", "source": "main.rst", "text": canonical.joined(separator: "\n")]),
        ].joined(separator: "\n") + "\n"
        let body = try compress(input, lossless: true)
        let out = text(body)
        // The most retrieved passage is the canonical one, printed whole; the other is its diff.
        XCTAssertTrue(out.contains("-- P2 · main{,-again}\n" + canonical.joined(separator: "\n") + "\n"), out)
        XCTAssertTrue(out.contains("-- mirror\n[≈P2 ("), out)
        XCTAssertTrue(out.contains("1 line added, 1 line of P2 lacking]\n@12 -1 +1\n- \(canonical[11])\n+ \(member[11])\n"), out)
        for line in canonical where line != canonical[11] {
            XCTAssertEqual(out.components(separatedBy: line + "\n").count - 1, 1, line)
        }
        XCTAssertTrue(out.contains("1 near-duplicate printed as differences"), out)
        XCTAssertTrue(body.omissions.isEmpty)
    }

    func testDissimilarPassagesStayApart() throws {
        // Ten of thirty lines differ: Jaccard over 5-word shingles is well below 0.8.
        var replaced: [Int: String] = [:]
        for n in stride(from: 1, through: 30, by: 3) { replaced[n] = "Different line \(n) with other words in it entirely here." }
        let input = [
            record(["id": "a", "source": "a.rst", "text": longText("codec").joined(separator: "\n")]),
            record(["id": "b", "source": "b.rst", "text": longText("codec", replaced: replaced).joined(separator: "\n")]),
        ].joined(separator: "\n") + "\n"
        let out = text(try compress(input))
        XCTAssertFalse(out.contains("≈P"), out)
        XCTAssertFalse(out.contains("near-duplicates"), out)
        XCTAssertEqual(out.components(separatedBy: "Line 2 explains how").count - 1, 2, out)
    }

    func testGroupOfThree() throws {
        let base = longText("parser")
        let second = longText("parser", replaced: [3: "An extra remark on the third line, only in the second copy."])
        var third = longText("parser")
        third.removeLast()
        third.insert("A new opening line that the third copy starts with.", at: 0)
        let input = [
            record(["id": "one", "source": "s1", "text": base.joined(separator: "\n")]),
            record(["id": "two", "source": "s2", "text": second.joined(separator: "\n")]),
            record(["id": "three", "source": "s3", "text": third.joined(separator: "\n")]),
        ].joined(separator: "\n") + "\n"
        let out = text(try compress(input))
        XCTAssertTrue(out.contains("-- P1 · one\n"), out)
        XCTAssertTrue(out.contains("-- two\n[≈P1 ("), out)
        XCTAssertTrue(out.contains("@3 -1 +1\n- \(base[2])\n+ \(second[2])\n"), out)
        XCTAssertTrue(out.contains("-- three\n[≈P1 ("), out)
        XCTAssertTrue(out.contains("@1 -0 +1\n+ \(third[0])\n@30 -1 +0\n- \(base[29])\n"), out)
        XCTAssertTrue(out.contains("2 near-duplicates printed as differences"), out)
        XCTAssertEqual(out.components(separatedBy: base[15]).count - 1, 1, out)
        // Lossless: every line of every member is in the canonical passage or added.
        for line in second + third { XCTAssertTrue(out.contains(line + "\n"), line) }
    }

    func testNearDuplicatesInQueryGroupsAndUnderBudget() throws {
        let base = longText("socket")
        let member = longText("socket", replaced: [20: "The twentieth line differs in the second retrieval of it."])
        let input = [
            record(["id": "a", "source": "s", "query": "sockets", "score": 2, "text": base.joined(separator: "\n")]),
            record(["id": "b", "source": "t", "query": "sockets", "score": 1, "text": member.joined(separator: "\n")]),
        ].joined(separator: "\n") + "\n"
        let out = text(try compress(input))
        XCTAssertTrue(out.contains("-- P2 · S2 · b\n[≈P1 ("), out)
        // When the canonical passage is cut, a kept member is printed whole.
        let renderer = RAGRenderer(input: RAGRecords(Array(input.utf8)), stitcher: PassageStitcher(RAGRecords(Array(input.utf8)).records),
                                   context: try context(budget: 0))
        let partial = text(renderer.render(kept: [false, true], droppedHeaders: true))
        XCTAssertFalse(partial.contains("[≈P"), partial)
        XCTAssertFalse(partial.contains("printed as differences"), partial)
        XCTAssertTrue(partial.contains(member.joined(separator: "\n")), partial)
    }

    func testLineDiffRebuildsTheMember() throws {
        func lines(_ words: String) -> [ArraySlice<UInt8>] { words.split(separator: " ").map { Array($0.utf8)[...] } }
        let cases = [("a b c d e", "a x c d e"), ("a b c", "x y a b c z"), ("a b c d", ""), ("", "a b"), ("a a b b", "b a b a")]
        for (canonical, member) in cases {
            let diff = try XCTUnwrap(PassageLineDiff(canonical: lines(canonical), member: lines(member)))
            XCTAssertEqual(diff.apply(canonical: lines(canonical), member: lines(member)).map { Array($0) }, lines(member).map { Array($0) },
                           "\(canonical) -> \(member)")
        }
    }

    func testNearDuplicateGroupingIsDeterministic() throws {
        let path = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        let records = RAGRecords(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let stitcher = PassageStitcher(records.records)
        let start = Date()
        let a = NearDuplicateGrouper(stitcher)
        let seconds = Date().timeIntervalSince(start)
        let b = NearDuplicateGrouper(stitcher)
        XCTAssertEqual(a.groupOfPassage, b.groupOfPassage)
        XCTAssertEqual(a.groups.map(\.canonical), b.groups.map(\.canonical))
        print("rag near-duplicates: \(stitcher.passages.count) passages, \(a.groups.count) groups, \(a.memberCount) members, \(seconds) s")
        for threshold in [0.5, 0.6, 0.7] {
            let looser = NearDuplicateGrouper(stitcher, threshold: threshold)
            print("rag near-duplicates at threshold \(threshold): \(looser.groups.count) groups, \(looser.memberCount) members")
        }
    }

    // MARK: - Dataset

    func testPythonDocsRetrievalDump() throws {
        let dump = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl"))))
        let queries = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_queries.jsonl"))))
        let inputTokens = try count(dump)
        let start = Date()
        let lossless = RAGCompressor().compress(dump, context: try context(budget: 0, lossless: true))
        let seconds = Date().timeIntervalSince(start)
        let output = text(lossless)
        if let dumpPath = ProcessInfo.processInfo.environment["RAG_DUMP"] { try output.write(toFile: dumpPath, atomically: true, encoding: .utf8) }
        let ratio = Double(try count(lossless.body)) / Double(inputTokens)
        let distinct = RAGRetention.distinctRetention(input: dump, output: output)
        let answers = RAGRetention.answerRetention(queries: queries, output: output)
        print("rag lossless: \(inputTokens) tokens in, ratio \(ratio), distinct \(distinct.share) of \(distinct.total), answers \(answers.share) of \(answers.total), \(seconds) s")
        print("missing sentences: \(distinct.missing.prefix(5))")
        XCTAssertLessThanOrEqual(ratio, 0.50)
        XCTAssertGreaterThanOrEqual(distinct.share, 0.99)
        XCTAssertEqual(answers.share, 1.0, "\(answers.missing)")
        XCTAssertTrue(lossless.omissions.isEmpty)

        let budgeted = RAGCompressor().compress(dump, context: try context(budget: 3000))
        let budgetedText = text(budgeted)
        let budgetedTokens = try count(budgeted.body)
        let budgetedDistinct = RAGRetention.distinctRetention(input: dump, output: budgetedText)
        let budgetedAnswers = RAGRetention.answerRetention(queries: queries, output: budgetedText)
        print("rag budget 3000: \(budgetedTokens) tokens, ratio \(Double(budgetedTokens) / Double(inputTokens)), distinct \(budgetedDistinct.share), answers \(budgetedAnswers.share), markers \(budgeted.omissions.count)")
        XCTAssertLessThanOrEqual(budgetedTokens, 3000)
        XCTAssertEqual(budgeted.omissions.reduce(0) { $0 + $1.count }
                       + 1200 - budgeted.omissions.reduce(0) { $0 + $1.count }, 1200)
        XCTAssertEqual(markerRanges(in: budgetedText).count, budgeted.omissions.count)
    }

    // MARK: - Near-duplicate options

    func testNearDuplicateThresholdAndShingleWidthAreConfigurable() throws {
        var replaced: [Int: String] = [:]
        for n in stride(from: 1, through: 30, by: 3) { replaced[n] = "Different line \(n) with other words in it entirely here." }
        let input = [
            record(["id": "a", "source": "a.rst", "text": longText("codec").joined(separator: "\n")]),
            record(["id": "b", "source": "b.rst", "text": longText("codec", replaced: replaced).joined(separator: "\n")]),
        ].joined(separator: "\n") + "\n"
        // Jaccard over 5-word shingles is about 0.33 here, over 2-word shingles about 0.47.
        // (Grouped or not, the pair differs too much to print as differences.)
        let records = RAGRecords(Array(input.utf8)).records
        func groups(_ options: RAGOptions) throws -> Int {
            try RAGRenderer(input: RAGRecords(Array(input.utf8)), stitcher: PassageStitcher(records), context: context(), options: options)
                .nearDuplicates.groups.count
        }
        var loose = RAGOptions()
        loose.nearDuplicateThreshold = 0.25
        XCTAssertEqual(try groups(loose), 1)
        XCTAssertEqual(try groups(RAGOptions()), 0)
        XCTAssertEqual(NearDuplicateGrouper(PassageStitcher(records), threshold: 0.4, shingleWords: 5).groups.count, 0)
        XCTAssertEqual(NearDuplicateGrouper(PassageStitcher(records), threshold: 0.4, shingleWords: 2).groups.count, 1)
        var shorter = RAGOptions()
        shorter.nearDuplicateThreshold = 0.4
        XCTAssertEqual(try groups(shorter), 0)
        shorter.shingleWords = 2
        XCTAssertEqual(try groups(shorter), 1)
        XCTAssertEqual(NearDuplicateGrouper.rowsPerBand(threshold: 0.8), 4)
        XCTAssertEqual(NearDuplicateGrouper.rowsPerBand(threshold: 0.25), 1)

        // Above 1: no grouping, even of a pair that differs in one line.
        let canonical = longText("codec")
        let member = longText("codec", replaced: [12: "A rewritten twelfth line that only the mirror copy carries."])
        let pair = [
            record(["id": "main", "source": "main.rst", "text": canonical.joined(separator: "\n")]),
            record(["id": "mirror", "source": "mirror.rst", "text": member.joined(separator: "\n")]),
        ].joined(separator: "\n") + "\n"
        var off = RAGOptions()
        off.nearDuplicateThreshold = 1.01
        let out = text(try compress(pair, options: off))
        XCTAssertFalse(out.contains("≈P"), out)
        XCTAssertEqual(out.components(separatedBy: canonical[20] + "\n").count - 1, 2, out)
        XCTAssertTrue(text(try compress(pair)).contains("[≈P1 ("))
    }

    // MARK: - Boilerplate

    static let nav = "Home · Guides · API reference · Changelog · Community forum · Status page"
    static let footer = ["Copyright 2024 Example Corp. All rights reserved worldwide.", "",
                         "Privacy policy · Terms of service · Cookie settings · Contact support",
                         "Built with the Example static site generator, version 2.3.1"]

    /// 30 markdown pages from 10 sources (3 each), every one with the site's navigation line
    /// on top and its footer at the bottom, between them a text of its own.
    func sitePages(sources: Int = 10, perSource: Int = 3) -> (input: String, own: [[String]]) {
        var lines: [String] = []
        var own: [[String]] = []
        for page in 0..<(sources * perSource) {
            let source = page % sources
            let body = ["# Page \(page) of section \(source)", "",
                        "This page explains topic \(page * 7) of the product in section \(source).",
                        "- step one for case \(page), then step two with option \(page % 4)",
                        "See also the notes about release \(page + 100)."]
            own.append(body)
            let text = ([Self.nav, ""] + body + [""] + Self.footer).joined(separator: "\n")
            lines.append(record(["id": "https://docs.example.com/s\(source)/p\(page).html", "source": "site/section-\(source).md", "text": text]))
        }
        return (lines.joined(separator: "\n") + "\n", own)
    }

    /// The body with every `[Bn]` line replaced by the lines of block Bn and the statements
    /// removed: what a program reading the bundle recovers.
    func expandingBoilerplate(_ out: String) -> String {
        var blocks: [String: [String]] = [:]
        var result: [String] = []
        var current: (label: String, remaining: Int)?
        for line in out.components(separatedBy: "\n") {
            if let open = current {
                blocks[open.label, default: []].append(line)
                current = open.remaining > 1 ? (open.label, open.remaining - 1) : nil
                continue
            }
            if line.hasPrefix("[boilerplate: ") { continue }
            if line.hasPrefix("[boilerplate B") {
                // [boilerplate B1 · in 10 sources · 4 lines]
                let parts = line.dropFirst("[boilerplate ".count).components(separatedBy: " · ")
                current = (parts[0], Int(parts[2].split(separator: " ")[0].replacingOccurrences(of: ",", with: ""))!)
                continue
            }
            let trimmed = String(line.drop { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("[B"), trimmed.hasSuffix("]"), let lines = blocks[String(trimmed.dropFirst().dropLast())] {
                result.append(contentsOf: lines)
                continue
            }
            result.append(line)
        }
        return result.joined(separator: "\n")
    }

    func testBoilerplateIsStatedOnceAndEveryPageKeepsItsOwnText() throws {
        let (input, own) = sitePages()
        let folded = try compress(input, lossless: true)
        var off = RAGOptions()
        off.boilerplateMinSources = 0
        let unfolded = try compress(input, lossless: true, options: off)
        let out = text(folded)
        XCTAssertTrue(folded.omissions.isEmpty)
        // Stated once each, in two blocks: the navigation line and the footer (with its blank line).
        XCTAssertEqual(out.components(separatedBy: Self.nav).count - 1, 1, out)
        for line in Self.footer where !line.isEmpty { XCTAssertEqual(out.components(separatedBy: line).count - 1, 1, out) }
        XCTAssertTrue(out.contains("[boilerplate B1 · in 10 sources · 1 line]\n\(Self.nav)\n"), out)
        XCTAssertTrue(out.contains("[boilerplate B2 · in 10 sources · 4 lines]\n" + Self.footer.joined(separator: "\n") + "\n"), out)
        XCTAssertEqual(out.components(separatedBy: "\n[B1]\n").count - 1, 30, out)
        XCTAssertEqual(out.components(separatedBy: "\n[B2]\n").count - 1, 30, out)
        // Every page's own text verbatim, in order.
        for body in own { XCTAssertTrue(out.contains("\n" + body.joined(separator: "\n") + "\n"), body[0]) }
        // Expanding the markers gives back the unfolded body exactly.
        XCTAssertEqual(expandingBoilerplate(out), text(unfolded))
        let (on, without) = (try count(folded.body), try count(unfolded.body))
        XCTAssertLessThan(on, without)
        print("rag boilerplate corpus: \(try count(Array(input.utf8))) tokens in, folding on \(on), off \(without) tokens")
    }

    func testBoilerplateNeedsEnoughSourcesAndASaving() throws {
        // In 4 sources only: below the default of 5.
        let (few, _) = sitePages(sources: 4, perSource: 3)
        XCTAssertFalse(text(try compress(few)).contains("[boilerplate"))
        var four = RAGOptions()
        four.boilerplateMinSources = 4
        XCTAssertTrue(text(try compress(few, options: four)).contains("[boilerplate B1 · in 4 sources"))

        // Under a budget, with 2 pages printed, the navigation line costs more stated than
        // repeated and is printed in place; the footer, longer, still saves.
        let (input, _) = sitePages()
        let records = RAGRecords(Array(input.utf8))
        let stitcher = PassageStitcher(records.records)
        let renderer = RAGRenderer(input: records, stitcher: stitcher, context: try context())
        XCTAssertEqual(renderer.boilerplate.blocks.count, 2)
        var kept = [Bool](repeating: false, count: stitcher.passages.count)
        kept[0] = true
        kept[1] = true
        let partial = text(renderer.render(kept: kept, droppedHeaders: false))
        XCTAssertEqual(partial.components(separatedBy: Self.nav).count - 1, 2, partial)
        XCTAssertTrue(partial.contains("[boilerplate B1 · in 10 sources · 4 lines]\n" + Self.footer.joined(separator: "\n") + "\n"), partial)
        XCTAssertFalse(partial.contains("[B2]"), partial)
        XCTAssertEqual(partial.components(separatedBy: "\n[B1]\n").count - 1, 2, partial)
        // Short repeated lines (a version directive) are not folded, however often they repeat.
        let short = (0..<12).map { record(["id": "r\($0)", "source": "s\($0)", "text": "Text \($0) of its own here.\n.. versionadded:: 3.10\nMore of page \($0)."]) }
        XCTAssertFalse(text(try compress(short.joined(separator: "\n"))).contains("[B1]"))
    }

    func testDatasetFoldingIsReversible() throws {
        let dump = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl"))))
        let context = try context(budget: 0, lossless: true)
        var off = RAGOptions()
        off.boilerplateMinSources = 0
        let folded = text(RAGCompressor().compress(dump, context: context))
        let unfolded = text(RAGCompressor(options: off).compress(dump, context: context))
        XCTAssertFalse(unfolded.contains("[boilerplate"))
        XCTAssertEqual(expandingBoilerplate(folded), unfolded)
        let blocks = folded.split(separator: "\n").filter { $0.hasPrefix("[boilerplate B") }
        print("rag dataset boilerplate: \(blocks.count) blocks, \(try count(Array(folded.utf8))) tokens folded vs \(try count(Array(unfolded.utf8))) unfolded")
        for block in blocks { print("  \(block)") }
    }

    // MARK: - Extractive selection

    /// Twelve prose records of 6 lines, two sentences each; record 8 holds the zebra sentence.
    func prosePages() -> String {
        (1...12).map { n in
            let lines = (1...6).map { line -> String in
                if n == 8, line == 4 { return "The zebra crossing timer resets after ninety seconds. It is configured per street." }
                return "Record \(n) line \(line) describes ordinary settings of module \(n * line). Nothing more is said here."
            }
            return record(["id": "doc\(n)", "source": "manual\(n % 4).md", "text": lines.joined(separator: "\n")])
        }.joined(separator: "\n") + "\n"
    }

    func testExtractiveSelectionKeepsTheBestSentenceWithinTheBudget() throws {
        let input = prosePages()
        var options = RAGOptions()
        options.extractive = true
        let body = try compress(input, budget: 300, query: "zebra timer", options: options)
        let out = text(body)
        XCTAssertLessThanOrEqual(try count(body.body), 300, out)
        XCTAssertTrue(out.hasPrefix("[extractive selection: on · query \"zebra timer\" · "), out)
        XCTAssertTrue(out.contains("\nThe zebra crossing timer resets after ninety seconds."), out)
        // Omitted sentences of record 8 (input line 8) are marked with its line.
        XCTAssertTrue(out.contains(" sentences omitted (extractive selection) · hb_3f9a1c0d2e7b4a51:8-8 ...]\n"), out)
        let sentenceMarkers = body.omissions.filter { $0.unit == "sentences" }
        XCTAssertFalse(sentenceMarkers.isEmpty)
        XCTAssertTrue(sentenceMarkers.allSatisfy { $0.range.first == $0.range.last })
        XCTAssertEqual(markerRanges(in: out).map { LineRange($0.first, $0.last) }, body.omissions.map(\.range))
        // Every kept line is a verbatim piece of an input line.
        let inputLines = (1...12).flatMap { n in (1...6).map { "Record \(n) line \($0) describes ordinary settings of module \(n * $0). Nothing more is said here." } }
            + ["The zebra crossing timer resets after ninety seconds. It is configured per street."]
        for line in out.split(separator: "\n") where line.hasPrefix("Record ") || line.hasPrefix("The zebra") || line.hasPrefix("It is") || line.hasPrefix("Nothing") {
            XCTAssertTrue(inputLines.contains { $0.contains(line) }, String(line))
        }
        // Records with nothing kept are omitted records.
        XCTAssertTrue(out.contains("records omitted ("), out)
        // Deterministic.
        XCTAssertEqual(try compress(input, budget: 300, query: "zebra timer", options: options).body, body.body)
    }

    func testExtractiveSelectionOnlyWhenLossyAndOverBudget() throws {
        let input = prosePages()
        var options = RAGOptions()
        options.extractive = true
        let full = try compress(input)
        XCTAssertEqual(try compress(input, options: options).body, full.body)
        XCTAssertEqual(try compress(input, budget: 300, lossless: true, options: options).body, full.body)
        XCTAssertEqual(try compress(input, budget: 100_000, query: "zebra", options: options).body, full.body)
        // Off: the passages are cut whole, as before.
        let whole = text(try compress(input, budget: 300, query: "zebra timer"))
        XCTAssertFalse(whole.contains("extractive"), whole)
        XCTAssertFalse(whole.contains("sentences omitted"), whole)
    }

    func testExtractiveSelectionUsesEachRecordsQuery() throws {
        var lines: [String] = []
        for n in 1...8 {
            let query = n <= 4 ? "where is the lighthouse" : "when does the ferry leave"
            let text = (1...5).map { line -> String in
                if n == 2, line == 3 { return "The lighthouse stands on the northern cliff." }
                if n == 6, line == 2 { return "The ferry leaves at seven every morning." }
                return "Entry \(n) line \(line) talks about general harbour matters of kind \(n * 10 + line)."
            }.joined(separator: "\n")
            lines.append(record(["id": "e\(n)", "source": "guide\(n).txt", "query": query, "score": Double(10 - n), "text": text]))
        }
        var options = RAGOptions()
        options.extractive = true
        let body = try compress(lines.joined(separator: "\n") + "\n", budget: 480, options: options)
        let out = text(body)
        XCTAssertLessThanOrEqual(try count(body.body), 480, out)
        XCTAssertTrue(out.hasPrefix("[extractive selection: on · each record's own query · "), out)
        XCTAssertTrue(out.contains("\nThe lighthouse stands on the northern cliff.\n"), out)
        XCTAssertTrue(out.contains("\nThe ferry leaves at seven every morning.\n"), out)
    }

    func testSentencesSplitProseAndKeepCodeWhole() throws {
        let lines = [
            ".. method:: date.replace(year=self.year). Still the directive",
            "   Return a date. With the same value! Or not? yes",
            "",
            "   Example::",
            "",
            "       >>> d.replace(day=26). x",
            "       more code. here",
            "   Back to prose. Second one.",
            "-----------",
        ]
        let split = PassageSentences(lines.map { Array($0.utf8)[...] })
        let texts = split.sentences.map { sentence in String(decoding: Array(lines[sentence.line].utf8)[sentence.bytes], as: UTF8.self) }
        XCTAssertEqual(texts, [
            ".. method:: date.replace(year=self.year). Still the directive",
            "   Return a date.", "With the same value!", "Or not?", "yes",
            "   Example::",
            "       >>> d.replace(day=26). x",
            "       more code. here",
            "   Back to prose.", "Second one.",
        ])
        XCTAssertEqual(split.kinds, [.code, .prose, .blank, .prose, .blank, .code, .code, .prose, .decoration])
    }

    func testPythonDocsExtractiveSelection() throws {
        let dump = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl"))))
        let queriesFile = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("rag/python311_docs_queries.jsonl"))))
        // The same dump with each record carrying the query that retrieved it (its id starts with the query id).
        var queryOf: [String: String] = [:]
        for line in Data(queriesFile).split(separator: 10) {
            let object = try JSONSerialization.jsonObject(with: line) as! [String: Any]
            queryOf[object["query_id"] as! String] = object["query"] as? String
        }
        var withQueries = Data()
        for line in Data(dump).split(separator: 10) {
            var object = try JSONSerialization.jsonObject(with: line) as! [String: Any]
            object["query"] = queryOf[String((object["id"] as! String).split(separator: "/")[0])]
            withQueries.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            withQueries.append(10)
        }
        var extractive = RAGOptions()
        extractive.extractive = true
        for (name, input) in [("dump", dump), ("dump with record queries", Array(withQueries))] {
            let inputTokens = try count(input)
            for budget in [3000, 20000] {
                let context = try context(budget: budget)
                let start = Date()
                let selected = RAGCompressor(options: extractive).compress(input, context: context)
                let seconds = Date().timeIntervalSince(start)
                let whole = RAGCompressor().compress(input, context: context)
                let (selectedTokens, wholeTokens) = (try count(selected.body), try count(whole.body))
                XCTAssertLessThanOrEqual(selectedTokens, budget)
                let selectedAnswers = RAGRetention.answerRetention(queries: queriesFile, output: text(selected))
                let wholeAnswers = RAGRetention.answerRetention(queries: queriesFile, output: text(whole))
                print("rag \(name) budget \(budget): extractive ratio \(Double(selectedTokens) / Double(inputTokens)), answers \(selectedAnswers.share) (\(seconds) s); whole passages ratio \(Double(wholeTokens) / Double(inputTokens)), answers \(wholeAnswers.share)")
                XCTAssertEqual(markerRanges(in: text(selected)).count, selected.omissions.count)
                if name != "dump" { XCTAssertGreaterThan(selectedAnswers.share, wholeAnswers.share) }
            }
        }
    }

    // MARK: - Speed-ups keep the results

    /// The grouper computes full signatures only for the pairs its one-permutation sketch
    /// prefilter keeps: its groups must be those of comparing every passage's signature
    /// through the signatures' own LSH bands (the grouper's original way).
    func testPrefilteredGroupingMatchesComparingEverySignature() throws {
        let path = try Paths.dataset("rag/python311_docs_retrieval_dump_bm25_top10.jsonl")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(400_000))
        while bytes.last != 10 { bytes.removeLast() }
        // Near-duplicates too: copies of records from other sources, one line dropped or
        // changed in every other one.
        var extra: [String] = []
        for (index, record) in RAGRecords(bytes).records.prefix(400).enumerated() where index % 3 == 0 {
            var lines = String(decoding: record.text, as: UTF8.self).components(separatedBy: "\n")
            guard lines.count >= 6 else { continue }
            if index % 2 == 0 { lines.remove(at: lines.count / 2) } else { lines[1] = "A line of the mirror copy \(index)." }
            extra.append(self.record(["id": "copy\(index)", "source": "mirror\(index % 7)", "text": lines.joined(separator: "\n")]))
        }
        bytes += Array((extra.joined(separator: "\n") + "\n").utf8)
        let stitcher = PassageStitcher(RAGRecords(bytes).records)
        let grouper = NearDuplicateGrouper(stitcher)
        XCTAssertGreaterThan(grouper.groups.count, 0)

        // Every signature, candidates from LSH buckets, greedy groups as documented.
        let passages = stitcher.passages
        let signatures = passages.map { NearDuplicateGrouper.signature(NearDuplicateGrouper.shingles(stitcher.text(of: $0))) }
        let rows = NearDuplicateGrouper.rowsPerBand(threshold: NearDuplicateGrouper.threshold)
        var candidates = [Set<Int>](repeating: [], count: passages.count)
        for band in 0..<(NearDuplicateGrouper.hashCount / rows) {
            var buckets: [[UInt64]: [Int]] = [:]
            for (passage, signature) in signatures.enumerated() {
                guard let signature else { continue }
                buckets[Array(signature[(band * rows)..<((band + 1) * rows)]), default: []].append(passage)
            }
            for bucket in buckets.values { for a in bucket { for b in bucket where a != b { candidates[a].insert(b) } } }
        }
        let retrievals = passages.map { $0.windows.reduce(0) { $0 + stitcher.windows[$1.window].records.count } }
        let priority = passages.indices.sorted { a, b in
            retrievals[a] != retrievals[b] ? retrievals[a] > retrievals[b] : passages[a].firstRecord < passages[b].firstRecord
        }
        var grouped = [Bool](repeating: false, count: passages.count)
        var expected: [String] = []
        for canonical in priority where !grouped[canonical] {
            var members: [String] = []
            for other in candidates[canonical].sorted() where !grouped[other] {
                let similarity = NearDuplicateGrouper.similarity(signatures[canonical]!, signatures[other]!)
                if similarity >= NearDuplicateGrouper.threshold {
                    members.append("\(other)@\(similarity)")
                    grouped[other] = true
                }
            }
            guard !members.isEmpty else { continue }
            grouped[canonical] = true
            expected.append("\(canonical): " + members.joined(separator: " "))
        }
        let found = grouper.groups.map { group in
            "\(group.canonical): " + group.members.map { "\($0.passage)@\($0.similarity)" }.joined(separator: " ")
        }
        XCTAssertEqual(found, expected)
    }

    func testSketchEstimatesSimilarity() {
        let base = (0..<400).map { NearDuplicateGrouper.mix(UInt64($0)) }
        let same = NearDuplicateSketch(base)
        XCTAssertEqual(same.similarity(NearDuplicateSketch(base.reversed() + base)), 1)
        // 300 shared of 500: Jaccard 0.6.
        let other = Array(base.prefix(300)) + (1000..<1100).map { NearDuplicateGrouper.mix(UInt64($0)) }
        XCTAssertEqual(same.similarity(NearDuplicateSketch(other)), 0.6, accuracy: 0.1)
        // Small sets are densified: every bin holds a value of the set.
        let small = NearDuplicateSketch(Array(base.prefix(3)))
        XCTAssertEqual(small.similarity(NearDuplicateSketch(Array(base.prefix(3)))), 1)
        XCTAssertEqual(NearDuplicateSketch.rowsPerBand(similarity: 0.65), 4)
    }

    func testByteTableNumbersDistinctRunsInOrder() {
        var table = RAGByteTable(capacity: 1)
        let runs: [[UInt8]] = (0..<100).map { Array("run \($0 % 37) of the table".utf8) }
        let entries = runs.map { table.insert($0[...], hash: RAGByteHash.hash($0[...])).entry }
        XCTAssertEqual(entries, (0..<100).map { $0 % 37 })
        XCTAssertEqual(table.count, 37)
        // Equal hashes, different bytes: two entries.
        var colliding = RAGByteTable()
        XCTAssertEqual(colliding.insert(Array("a".utf8)[...], hash: 7).entry, 0)
        XCTAssertEqual(colliding.insert(Array("b".utf8)[...], hash: 7).entry, 1)
        XCTAssertEqual(colliding.find(Array("b".utf8)[...], hash: 7), 1)
        XCTAssertNil(colliding.find(Array("c".utf8)[...], hash: 7))
        XCTAssertTrue(RAGByteTable.equal(Array("0123456789abcdef!".utf8)[...], Array("0123456789abcdef!".utf8)[...]))
        XCTAssertFalse(RAGByteTable.equal(Array("0123456789abcdef!".utf8)[...], Array("0123456789abcdef?".utf8)[...]))
    }
}
