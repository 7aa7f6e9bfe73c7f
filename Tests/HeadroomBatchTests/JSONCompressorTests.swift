import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

/// The compact JSON form and lossy selection on small inputs written here, and the figures on
/// the dataset's API responses.
final class JSONCompressorTests: XCTestCase {
    static let tokenizer: BPETokenizer? = try? BPETokenizer(ranksFile: Paths.tokenizer())

    private func tokens(_ bytes: [UInt8]) -> Int {
        guard let tokenizer = Self.tokenizer else { return bytes.count / 4 }
        return bytes.withUnsafeBytes { tokenizer.count($0) }
    }

    private func context(budget: Int = 0, lossless: Bool = false, query: String = "") -> DocumentContext {
        DocumentContext(reference: ReferenceID(hex: "3f9a1c0d2e7b4a51"), budget: budget, lossless: lossless,
                        query: query, tokens: { [self] in tokens($0) })
    }

    private func body(_ text: String, budget: Int = 0, lossless: Bool = false, query: String = "") -> CompressedBody {
        JSONCompressor().compress(Array(text.utf8), context: context(budget: budget, lossless: lossless, query: query))
    }

    private func compress(_ text: String, budget: Int = 0, lossless: Bool = false, query: String = "") -> String {
        String(decoding: body(text, budget: budget, lossless: lossless, query: query).body, as: UTF8.self)
    }

    /// Occurrences of `needle` in `text`.
    private func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    // MARK: Lossless forms

    func testArrayOfObjectsIsATableWithOneLinePerRow() {
        let text = compress(#"{"issues": [{"id": 1, "title": "Crash on start", "state": "open"}, {"id": 2, "title": "Typo", "state": "closed"}, {"id": 3, "title": "Slow sync", "state": "open"}]}"#)
        XCTAssertTrue(text.contains("issues: 3 rows {id|title|state}\n"), text)
        XCTAssertTrue(text.contains("\n  1|Crash on start|open\n  2|Typo|closed\n  3|Slow sync|open\n"), text)
        XCTAssertTrue(text.contains("\"N rows {a|b}\" is an array of objects"), "the legend explains tables")
    }

    func testConstantColumnsAreStatedOnce() {
        let text = compress(#"[{"id": 1, "kind": "issue", "locked": false}, {"id": 2, "kind": "issue", "locked": false}, {"id": 3, "kind": "issue", "locked": false}]"#)
        XCTAssertTrue(text.contains("root: 3 rows {id}; in all rows: kind=issue, locked=false\n"), text)
        XCTAssertEqual(occurrences("issue", in: text), 1, text)
    }

    func testNullColumnsAndEmptyKeysAreNamedOnce() {
        let text = compress(#"[{"id": 1, "closed_at": null, "": "a"}, {"id": 2, "closed_at": null, "": "b"}, {"id": 3, "closed_at": null, "": "c"}]"#)
        XCTAssertTrue(text.contains("in all rows: closed_at=null"), text)
        XCTAssertEqual(occurrences("closed_at", in: text), 1, text)
        XCTAssertTrue(text.contains(#"{id|""}"#), "the empty key is a quoted column name: \(text)")
        XCTAssertTrue(text.contains("\n1|a\n2|b\n3|c\n"), text)
    }

    func testRepeatedObjectsAreLabelledOnceAndReferenced() {
        let owner = #"{"login": "octocat", "id": 583231, "type": "User", "site_admin": false, "company": "GitHub"}"#
        let text = compress(#"{"repository": {"name": "hello", "owner": \#(owner)}, "organization": \#(owner)}"#)
        XCTAssertTrue(text.contains("owner: &L1\n"), text)
        XCTAssertTrue(text.contains("organization: *L1\n"), text)
        XCTAssertEqual(occurrences("octocat", in: text), 1, text)
        XCTAssertTrue(text.contains("&L1 labels a value that *L1 repeats"), text)
    }

    func testURLMembersGivenByATemplateAreLeftOut() {
        let users = (1...4).map { n in
            #"{"login": "user\#(n)", "url": "https://api.example.com/users/user\#(n)", "followers_url": "https://api.example.com/users/user\#(n)/followers"}"#
        }
        let text = compress(#"{"users": [\#(users.joined(separator: ", "))]}"#)
        XCTAssertTrue(text.contains("url = https://api.example.com/users/<login>"), text)
        XCTAssertTrue(text.contains("followers_url = <url>/followers"), text)
        XCTAssertFalse(text.contains("https://api.example.com/users/user2"), "derived URLs are not written: \(text)")
        for n in 1...4 { XCTAssertTrue(text.contains("user\(n)"), text) }
    }

    func testTemplatesNeverReadAValueOutOfTheMiddleOfANumber() {
        let runs = (7...9).map { n in #"{"number": \#(n), "url": "https://ci.example.com/builds/20220719/runs/\#(n)"}"# }
        let text = compress(#"{"runs": [\#(runs.joined(separator: ", "))]}"#)
        XCTAssertTrue(text.contains("url = https://ci.example.com/builds/20220719/runs/<number>"), text)
    }

    func testTableCellsGivenByATemplateAreATilde() {
        let labels = ["bug", "help wanted", "docs"].map { name in
            #"{"name": "\#(name)", "url": "https://api.example.com/labels/\#(name.replacingOccurrences(of: " ", with: "%20"))"}"#
        }
        let text = compress(#"{"labels": [\#(labels.joined(separator: ", "))]}"#)
        XCTAssertTrue(text.contains("url = https://api.example.com/labels/<name>"), text)
        XCTAssertTrue(text.contains("\n  bug|~\n"), text)
        XCTAssertTrue(text.contains("\n  help wanted|https://api.example.com/labels/help%20wanted\n"), "not given: written in full: \(text)")
        XCTAssertTrue(text.contains("a ~ cell is the value its template below gives"), text)
        XCTAssertTrue(compress(#"[{"a": "~", "b": 1}, {"a": "x", "b": 2}]"#).contains("\n`~`|1\n"), "a real ~ is quoted")
    }

    func testHeaderPairsAreNameValueLinesAndLaterOnesOnlyTheirChanges() {
        let common = #""X-Frame-Options", "deny", "X-Content-Type-Options", "nosniff", "Vary", "Accept-Encoding", "connection", "close""#
        let first = #"["Server", "GitHub.com", "Date", "Tue, 19 Jul 2022 04:38:09 GMT", "ETag", "\"abc\"", "Cache-Control", "private, max-age=60", "X-RateLimit-Remaining", "4951", \#(common)]"#
        let second = #"["Server", "GitHub.com", "Date", "Tue, 19 Jul 2022 04:38:12 GMT", "Cache-Control", "private, max-age=60", "Location", "https://example.com/a", "X-RateLimit-Remaining", "4950", \#(common)]"#
        let text = compress(#"[{"status": 200, "rawHeaders": \#(first)}, {"status": 201, "rawHeaders": \#(second)}]"#)
        XCTAssertTrue(text.contains("rawHeaders: (9 name/value pairs)\n"), text)
        XCTAssertTrue(text.contains("Server: GitHub.com\n"), text)
        XCTAssertTrue(text.contains("Date: Tue, 19 Jul 2022 04:38:09 GMT\n"), text)
        XCTAssertTrue(text.contains("rawHeaders: (9 name/value pairs, as in the element shown above with these changes)\n"), text)
        XCTAssertTrue(text.contains("Date: Tue, 19 Jul 2022 04:38:12 GMT\n"), text)
        XCTAssertTrue(text.contains("(after Cache-Control) Location: https://example.com/a\n"), text)
        XCTAssertTrue(text.contains("(without ETag)\n"), text)
        XCTAssertEqual(occurrences("GitHub.com", in: text), 1, text)
        XCTAssertEqual(occurrences("nosniff", in: text), 1, text)
    }

    func testPlainWordListsAreNotReadAsPairs() {
        let text = compress(#"{"tags": ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon"]}"#)
        XCTAssertFalse(text.contains("name/value pairs"), text)
    }

    // MARK: Lossy selection

    /// 40 rows, one per line (row `n` on line `n + 1`): row 17 failed, row 25 took far longer,
    /// rows 20 and 21 (in the middle, with nothing rare about them) mention a timeout.
    private var serviceRows: String {
        let rows = (1...40).map { n -> String in
            let status = n == 17 ? 500 : 200
            let latency = n == 25 ? 98_765 : 100 + n % 7
            let message = n == 20 || n == 21 ? "upstream timeout from billing" : n % 2 == 0 ? "served from cache" : "served from origin"
            return #"  {"id": "req-\#(n)", "status": \#(status), "latency_ms": \#(latency), "message": "\#(message)"}"#
        }
        return "[\n" + rows.joined(separator: ",\n") + "\n]\n"
    }

    func testLossySelectionKeepsErrorsAndOutliersAndMarksExactlyTheDroppedRows() throws {
        let input = serviceRows
        let lossless = compress(input, lossless: true)
        let budget = tokens(Array(lossless.utf8)) * 2 / 3
        let result = body(input, budget: budget)
        let text = String(decoding: result.body, as: UTF8.self)
        XCTAssertLessThanOrEqual(tokens(result.body), budget)
        XCTAssertTrue(text.contains("req-17|500|"), "the failed request is kept: \(text)")
        XCTAssertTrue(text.contains("98765"), "the outlier is kept: \(text)")
        XCTAssertTrue(text.contains("\nreq-1|") && text.contains("\nreq-40|"), "first and last rows are kept: \(text)")
        XCTAssertFalse(result.omissions.isEmpty)

        // Rows shown, by line of the input; every other row line is covered by exactly one marker.
        let shown = Set((1...40).filter { text.contains("\nreq-\($0)|") }.map { $0 + 1 })
        var covered = Set<Int>()
        for omission in result.omissions {
            XCTAssertEqual(omission.unit, "rows")
            let lines = Set(omission.range.first...omission.range.last)
            XCTAssertTrue(lines.isDisjoint(with: shown), "a marker covers a shown row: \(omission.range)")
            XCTAssertTrue(lines.isDisjoint(with: covered), "markers overlap")
            XCTAssertEqual(omission.count, lines.count, "one row per line here")
            XCTAssertTrue(text.contains("· lines \(omission.range) · hb_3f9a1c0d2e7b4a51:\(omission.range) ...]"), text)
            covered.formUnion(lines)
        }
        XCTAssertEqual(covered.union(shown), Set(2...41), "every row is shown or marked")
        let markerRows = result.omissions.map(\.count).reduce(0, +)
        XCTAssertEqual(markerRows + shown.count, 40)
        XCTAssertTrue(text.contains(" rows omitted (status: 200 ×"), "markers say what the rows were: \(text)")
    }

    func testQueryKeepsTheMatchingRows() {
        let input = serviceRows
        let budget = tokens(Array(compress(input, lossless: true).utf8)) * 2 / 3
        XCTAssertFalse(compress(input, budget: budget).contains("\nreq-20|"), "dropped without a query")
        XCTAssertTrue(compress(input, budget: budget, query: "timeout billing").contains("\nreq-20|200|"), "kept for the query")
    }

    func testTemplatesAreNotListedWhenEveryInstanceIsLeftOut() {
        let users = (1...30).map { n in
            #"{"login": "user\#(n)", "id": \#(n), "url": "https://api.example.com/users/user\#(n)", "repos_url": "https://api.example.com/users/user\#(n)/repos"}"#
        }
        let input = #"{"total_count": 30, "users": [\#(users.joined(separator: ",\n"))]}"#
        XCTAssertTrue(compress(input, lossless: true).contains("[members left out where these templates give them"))
        let text = compress(input, budget: 40)
        XCTAssertTrue(text.contains("30 rows omitted"), text)
        XCTAssertFalse(text.contains("templates give them"), text)
    }

    func testLosslessNeverDrops() {
        let result = body(serviceRows, budget: 50, lossless: true)
        XCTAssertTrue(result.omissions.isEmpty)
        for n in 1...40 { XCTAssertTrue(String(decoding: result.body, as: UTF8.self).contains("req-\(n)|")) }
    }

    // MARK: Malformed input

    func testTruncatedInputIsShownAsTextWithTheError() {
        let text = compress("{\n  \"a\": [1, 2\n", budget: 3000)
        XCTAssertTrue(text.hasPrefix("[not valid JSON: "), text)
        XCTAssertTrue(text.contains("  \"a\": [1, 2\n"), text)
    }

    func testTrailingGarbageIsShownAsText() {
        let text = compress("{\"a\": 1} trailing", budget: 3000)
        XCTAssertTrue(text.hasPrefix("[not valid JSON: "), text)
        XCTAssertTrue(text.contains("{\"a\": 1} trailing\n"), text)
    }

    func testTooDeepNestingIsShownAsText() {
        let input = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
        let result = body(input, budget: 3000)
        let text = String(decoding: result.body, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("[not valid JSON: "), text)
        XCTAssertLessThanOrEqual(tokens(result.body), 3000)
    }

    func testOneHugeMalformedLineIsCutWithAContinuationMarker() {
        let input = "[" + (1...20_000).map { #"{"n": \#($0), "v": "value \#($0)"}"# }.joined(separator: ",")
        let result = body(input, budget: 500)
        let text = String(decoding: result.body, as: UTF8.self)
        XCTAssertLessThanOrEqual(tokens(result.body), 500)
        XCTAssertTrue(text.contains(#"[{"n": 1, "v": "value 1"},"#), "the head of the line is kept: \(text.prefix(300))")
        XCTAssertTrue(text.contains("[… line 1 continues: "), text)
        XCTAssertTrue(text.contains(" bytes · hb_3f9a1c0d2e7b4a51:1-1]"), text)
        XCTAssertEqual(result.omissions.map(\.range), [LineRange(1, 1)])
    }

    func testA100MegabyteStringIsFast() {
        var input = Array(#"{"blob": ""#.utf8)
        input += [UInt8](repeating: UInt8(ascii: "x"), count: 100_000_000)
        let started = Date()
        let result = JSONCompressor().compress(input, context: context(budget: 3000))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThanOrEqual(tokens(result.body), 3000)
        XCTAssertTrue(String(decoding: result.body, as: UTF8.self).hasPrefix("[not valid JSON: "))
        XCTAssertLessThan(elapsed, 20, "an unterminated 100 MB string takes \(elapsed) s")
    }

    // MARK: Determinism

    func testSameInputGivesTheSameBytes() throws {
        let path = try Paths.dataset("tool-outputs/json/labels.raw-fixture.json")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let budget = TokenBudget.percent(40).tokens(forInput: tokens(bytes))
        let first = JSONCompressor().compress(bytes, context: context(budget: budget))
        let second = JSONCompressor().compress(bytes, context: context(budget: budget))
        XCTAssertEqual(first.body, second.body)
        XCTAssertEqual(first.omissions.map(\.range), second.omissions.map(\.range))
        let serviceFirst = body(serviceRows, budget: 200, query: "timeout")
        let serviceSecond = body(serviceRows, budget: 200, query: "timeout")
        XCTAssertEqual(serviceFirst.body, serviceSecond.body)
    }

    // MARK: Dataset figures

    private struct Figures { var ratio: Double; var fidelity: Double }

    private func measure(group: String, lossless: Bool) throws -> Figures {
        XCTAssertNotNil(Self.tokenizer, "o200k_base tokenizer missing")
        let directory = try Paths.dataset("tool-outputs/json")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".\(group)-fixture.json") }.sorted()
        XCTAssertEqual(files.count, 5)
        var input = 0, output = 0, fidelity = 0.0
        for file in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
            let inputTokens = tokens(bytes)
            let budget = lossless ? 0 : TokenBudget.percent(40).tokens(forInput: inputTokens)
            let body = JSONCompressor().compress(bytes, context: context(budget: budget, lossless: lossless))
            let bodyTokens = tokens(body.body)
            let score = try JSONFidelity.score(input: bytes, body: body.body)
            let missing = try JSONFidelity.missing(input: bytes, body: body.body)
            print("\(file) lossless=\(lossless): \(inputTokens) -> \(bodyTokens) tokens (\(Format.fixed(Double(bodyTokens) / Double(inputTokens), digits: 3))), fidelity \(Format.fixed(score, digits: 3)), omissions \(body.omissions.count), missing \(missing.prefix(5))")
            input += inputTokens
            output += bodyTokens
            fidelity += score
        }
        let figures = Figures(ratio: Double(output) / Double(input), fidelity: fidelity / Double(files.count))
        print("group \(group) lossless=\(lossless): ratio \(Format.fixed(figures.ratio, digits: 3)), fidelity \(Format.fixed(figures.fidelity, digits: 3))")
        return figures
    }

    func testDatasetLossless() throws {
        for group in ["raw", "normalized"] {
            let figures = try measure(group: group, lossless: true)
            XCTAssertLessThanOrEqual(figures.ratio, 0.45, group)
            XCTAssertGreaterThanOrEqual(figures.fidelity, 0.95, group)
        }
    }

    func testDatasetDefaultBudget() throws {
        for group in ["raw", "normalized"] {
            let figures = try measure(group: group, lossless: false)
            XCTAssertLessThanOrEqual(figures.ratio, 0.40, group)
            XCTAssertGreaterThanOrEqual(figures.fidelity, 0.90, group)
        }
    }
}
