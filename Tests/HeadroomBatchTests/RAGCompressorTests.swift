import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

final class RAGCompressorTests: XCTestCase, DocumentCompressorTesting {
    func compress(_ input: String, budget: Int = 0, lossless: Bool = false, query: String = "") throws -> CompressedBody {
        RAGCompressor().compress(Array(input.utf8), context: try context(budget: budget, lossless: lossless, query: query))
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
}
