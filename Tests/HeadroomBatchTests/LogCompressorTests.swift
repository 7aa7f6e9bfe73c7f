@testable import HeadroomBatch
import XCTest

final class LogCompressorTests: XCTestCase {
    /// Feeds lines through the compressor the way the merge stage does, one "block" per call;
    /// without the template table unless `table`.
    private func compress(_ lines: [String], options: LogCompressor.Options, table: Bool = false, budget: Int = 3000) -> String {
        var options = options
        if !table { options.templateRows = 0 }
        let miner = TemplateMiner()
        let compressor = LogCompressor(options: options, miner: miner)
        for (index, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { raw in
                let (hash, control) = LineHash.hash(raw)
                compressor.add(.init(number: index + 1, signature: Int32(miner.add(raw)), bytes: raw, hash: hash, shape: LineHash.shape(raw), level: LineLevel.detect(raw),
                                     signal: LineSignal.detect(raw), hasControl: control))
                compressor.endOfBlock()
            }
        }
        let body = compressor.finish(reference: ReferenceID(hex: "0123456789abcdef"), budget: budget) { $0.count / 4 }
        return String(decoding: body.body, as: UTF8.self)
    }

    func testKeepsHeadTailErrorsWithTheirContextAndMarksEveryGap() {
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
            [... 42 lines omitted (INFO 42) · lines 4-45 · hb_0123456789abcdef:4-45 ...]
            2026-01-01 INFO request 46 served
            2026-01-01 INFO request 47 served
            2026-01-01 INFO request 48 served
            2026-01-01 INFO request 49 served
            2026-01-01 ERROR request 50 failed: timeout
            2026-01-01 INFO request 51 served
            2026-01-01 INFO request 52 served
            [... 46 lines omitted (INFO 46) · lines 53-98 · hb_0123456789abcdef:53-98 ...]
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
        XCTAssertTrue(text.contains("INFO tick 21\nINFO tick 22\n[... 18 lines omitted (ERROR 1, INFO 17, 1 repeats of earlier lines)"), text)
    }

    func testLinesWithControlBytesAreNeverPrinted() {
        let lines = ["INFO start", "ERROR bad \u{0}\u{1} bytes", "INFO end"]
        var options = LogCompressor.Options()
        options.headLines = 5
        let text = compress(lines, options: options)
        XCTAssertFalse(text.contains("bad"), text)
        XCTAssertTrue(text.contains("1 with control bytes"), text)
    }

    func testBudgetDropsLowPrioritiesFirstAndSaysSo() {
        var lines = (1...400).map { "INFO step \($0) done" }
        for i in stride(from: 20, to: 380, by: 10) { lines[i] = "WARN slow step \(i + 1) took \(i)ms waiting for the upstream service" }
        lines[200] = "ERROR step 201 failed: connection refused by db-7"
        lines[398] = "Tests: 1 failed, 399 passed"
        let options = LogCompressor.Options()
        let text = compress(lines, options: options, budget: 300)
        XCTAssertTrue(text.contains("ERROR step 201 failed"), text)
        XCTAssertTrue(text.contains("Tests: 1 failed, 399 passed"), text)
        XCTAssertTrue(text.contains("kept lines over the token budget"), text)
        XCTAssertLessThan(text.utf8.count / 4, 400, "about the budget: \(text.utf8.count / 4) tokens")
        let unbounded = compress(lines, options: options, budget: 0)
        XCTAssertEqual(unbounded.components(separatedBy: "WARN slow step").count - 1, 35, "without a budget every WARN line stays")
    }

    func testContextAfterAFailureIsKept() {
        var lines = (1...60).map { "step \($0)" }
        lines[30] = "FAILED test_parse - AssertionError"
        lines[31] = "  expected 3 got 4"
        var options = LogCompressor.Options()
        options.headLines = 0
        options.tailLines = 0
        let text = compress(lines, options: options)
        XCTAssertTrue(text.contains("FAILED test_parse - AssertionError\n  expected 3 got 4\nstep 33\n[..."), text)
        XCTAssertTrue(text.hasPrefix("[... 26 lines omitted (other 26) · lines 1-26 · hb_0123456789abcdef:1-26 ...]\nstep 27\nstep 28\nstep 29\nstep 30\nFAILED"), text)
    }

    func testContextBeforeLeavesAShortRunPrintedNotMarked() {
        // Five ordinary lines, then a failure: four become its context, the first stays a
        // one-line run, which is printed rather than marked.
        let lines = ["ERROR first", "step a", "step b", "step c", "step d", "step e", "FAILED second"]
        var options = LogCompressor.Options()
        options.headLines = 0
        options.tailLines = 0
        options.contextAfter = 0
        XCTAssertEqual(compress(lines, options: options), lines.joined(separator: "\n") + "\n")
    }

    func testRoutineLinesBecomeATemplateTableWithRangesAndFrequentWords() {
        var lines: [String] = []
        for i in 1...300 {
            if i % 3 == 0 {
                let outcome = ["hit", "hit", "miss", "stale", "evicted"][(i / 3) % 5]
                lines.append("2026-01-01 10:00:\(i % 60) DEBUG cache \(outcome) for key user:\(1000 + i)")
            } else {
                lines.append("2026-01-01 10:00:\(i % 60) INFO GET /api/users/\(i) status=\(i % 7 == 0 ? 404 : 200) time=\(i % 50 + 3)ms")
            }
        }
        lines[150] = "2026-01-01 10:02:30 ERROR upstream users-db timed out after 5000ms"
        var options = LogCompressor.Options()
        options.headLines = 2
        options.tailLines = 2
        let text = compress(lines, options: options, table: true)
        let expectedTable = """
            [omitted lines by template: 289 lines of 2 templates · <*> a variable, <a..b> the range of a number, <x|y> its most frequent words]
            T1 ×199 INFO · hb_0123456789abcdef:1-299 · GET <*> status=<200..404> time=<3..52ms>
               e.g. 2026-01-01 10:00:1 INFO GET /api/users/1 status=200 time=4ms
            T2 ×100 DEBUG · hb_0123456789abcdef:3-300 · cache <hit ×40|evicted ×20|miss ×20|…> for key user:<1003..1300>
               e.g. 2026-01-01 10:00:3 DEBUG cache hit for key user:1003

            """
        XCTAssertTrue(text.hasPrefix(expectedTable), text)
        // Every marker names the templates of its lines.
        XCTAssertTrue(text.contains("[... 144 lines omitted (INFO 96, DEBUG 48, T1 ×96, T2 ×48) · lines 3-146 · hb_0123456789abcdef:3-146 ...]"), text)
    }

    func testStackTracesAreKeptAsOneUnitAndRepeatsFolded() {
        func trace(_ id: Int) -> [String] {
            [
                "2026-01-01 10:00:0\(id) ERROR [worker-\(id)] c.a.Billing - Failed to finalize invoice INV-\(4800 + id)",
                "java.lang.IllegalStateException: invoice INV-\(4800 + id) is locked",
                "\tat com.acme.billing.Invoices.finalize(Invoices.java:\(120 + id))",
                "\tat com.acme.billing.Worker.run(Worker.java:88)",
                "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
                "Caused by: java.sql.SQLTimeoutException: lock wait timeout",
                "\tat org.postgresql.jdbc.PgStatement.execute(PgStatement.java:412)",
                "\t... 3 more",
            ]
        }
        var lines = (1...20).map { "2026-01-01 09:59:00 INFO tick \($0)" }
        lines += trace(1)
        lines += (21...40).map { "2026-01-01 10:01:00 INFO tick \($0)" }
        lines += trace(2)
        lines += (41...60).map { "2026-01-01 10:02:00 INFO tick \($0)" }
        lines += trace(3)
        lines += (61...80).map { "2026-01-01 10:03:00 INFO tick \($0)" }
        var options = LogCompressor.Options()
        options.headLines = 0
        options.tailLines = 0
        let text = compress(lines, options: options, budget: 0)
        // The first trace (from the exception line above its frames) is printed whole, in
        // order, with the count of its recurrences.
        XCTAssertTrue(text.contains((trace(1).joined(separator: "\n")) + "\n[↑ this trace ×3 in all · last at line 78]\n"), text)
        // Its repeats (the same lines up to numbers) are markers that say so; the log lines
        // above them are not part of the traces and stay.
        XCTAssertEqual(text.components(separatedBy: "[... 7 lines omitted (other 7, 7 lines: a repeat of the trace at line 22)").count - 1,
                       2, text)
        XCTAssertEqual(text.components(separatedBy: "Caused by:").count - 1, 1, text)
        XCTAssertTrue(text.contains(trace(3)[0] + "\n[... 7 lines omitted"), text)
    }

    func testDistinctTracesPastTheKeepLimitAreCountedNotKept() {
        var lines: [String] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for i in 0..<300 {
            // Names without digits, so that no two traces are the same up to their variables.
            let name = "Worker" + String([letters[i / 26], letters[i % 26]])
            lines.append("java.lang.IllegalStateException: boom in \(name)")
            for k in ["parse", "load", "store", "run"] { lines.append("\tat com.acme.\(name).\(k)(\(name).java:7)") }
            lines.append("INFO ok")
        }
        var options = LogCompressor.Options()
        options.headLines = 0
        options.tailLines = 0
        options.maxKeptLines = 50
        let text = compress(lines, options: options, budget: 0)
        let printed = text.split(separator: "\n").filter { !$0.hasPrefix("[") }
        XCTAssertLessThanOrEqual(printed.count, 50 + 5 + 2, "a trace started below the limit may finish, no more")
        XCTAssertTrue(text.contains("past the keep limit"), text)
    }
}
