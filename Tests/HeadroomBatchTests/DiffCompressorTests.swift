import Foundation
import XCTest
@testable import HeadroomBatch
import TestSupport

final class DiffCompressorTests: XCTestCase, DocumentCompressorTesting {
    static let datasetFiles = ["pytest_diff_9.1.0..9.1.1.diff", "pytest_git_log_p_n50.diff"]

    func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/diffs/" + name))))
    }

    /// The targets over both dataset files: lossless, every changed line present in
    /// at most 65% of the input's tokens; with the CLI's default budget (40%, 3,000 at least),
    /// within 40% in total and a mean fidelity of 0.85 or more.
    func testDatasets() throws {
        var inTotal = 0, losslessTotal = 0, lossyTotal = 0
        var lossyFidelity: [Double] = []
        for name in Self.datasetFiles {
            let input = try load(name)
            let tokensIn = try count(input)
            let lossless = DiffCompressor().compress(input, context: try context(lossless: true))
            let losslessTokens = try count(lossless.body)
            XCTAssertEqual(DiffFidelity.fidelity(diff: input, body: lossless.body), 1.0, name)
            inTotal += tokensIn
            losslessTotal += losslessTokens
            let budget = TokenBudget.percent(40).tokens(forInput: tokensIn)
            let lossy = DiffCompressor().compress(input, context: try context(budget: budget))
            let lossyTokens = try count(lossy.body)
            XCTAssertLessThanOrEqual(lossyTokens, budget, name)
            lossyTotal += lossyTokens
            lossyFidelity.append(DiffFidelity.fidelity(diff: input, body: lossy.body))
            print("diff \(name): tokens \(tokensIn); lossless ratio \(Double(losslessTokens) / Double(tokensIn)); budget \(budget) ratio \(Double(lossyTokens) / Double(tokensIn)) fidelity \(lossyFidelity.last!)")
            try checkOmissions(lossy, input)
            try checkOmissions(lossless, input)
        }
        XCTAssertLessThanOrEqual(Double(losslessTotal) / Double(inTotal), 0.65)
        XCTAssertLessThanOrEqual(Double(lossyTotal) / Double(inTotal), 0.40)
        XCTAssertGreaterThanOrEqual(lossyFidelity.reduce(0, +) / Double(lossyFidelity.count), 0.85)
    }

    /// Every `hb_…:A-B` in the body is an omission, every omission lies inside the payload, and
    /// omissions never overlap.
    func checkOmissions(_ body: CompressedBody, _ input: [UInt8]) throws {
        let lineCount = DocumentLines(input).count
        var last = 0
        for omission in body.omissions.sorted(by: { $0.range.first < $1.range.first }) {
            XCTAssertGreaterThan(omission.range.first, last)
            XCTAssertLessThanOrEqual(omission.range.last, lineCount)
            last = omission.range.last
        }
        for marker in markerRanges(in: text(body)) {
            XCTAssertTrue(body.omissions.contains { $0.range.first == marker.first && $0.range.last == marker.last })
        }
    }

    func testRenameModeNewDeletedBinary() throws {
        let diff = """
        diff --git a/old/name.swift b/new/name.swift
        similarity index 97%
        rename from old/name.swift
        rename to new/name.swift
        index 1111111..2222222 100644
        --- a/old/name.swift
        +++ b/new/name.swift
        @@ -1,3 +1,3 @@ struct A {
         let a = 1
        -let b = 2
        +let b = 3
         let c = 4
        diff --git a/run.sh b/run.sh
        old mode 100644
        new mode 100755
        diff --git a/added.txt b/added.txt
        new file mode 100644
        index 0000000..3333333
        --- /dev/null
        +++ b/added.txt
        @@ -0,0 +1 @@
        +hello there
        diff --git a/gone.txt b/gone.txt
        deleted file mode 100644
        index 4444444..0000000
        --- a/gone.txt
        +++ /dev/null
        @@ -1 +0,0 @@
        -goodbye now
        diff --git a/logo.png b/logo.png
        index 5555555..6666666 100644
        Binary files a/logo.png and b/logo.png differ

        """
        let out = text(DiffCompressor().compress(Array(diff.utf8), context: try context(lossless: true)))
        XCTAssertTrue(out.contains("### old/name.swift → new/name.swift (renamed 97%, +1 -1)"), out)
        XCTAssertTrue(out.contains("### run.sh (mode 100644 → 100755, +0 -0)"), out)
        XCTAssertTrue(out.contains("### added.txt (new file, +1 -0)"), out)
        XCTAssertTrue(out.contains("### gone.txt (deleted, +0 -1)"), out)
        XCTAssertTrue(out.contains("### logo.png (binary)"), out)
        XCTAssertTrue(out.contains("-let b = 2\n+let b = 3\n"), out)
        XCTAssertTrue(out.contains("@@ -2 +2 @@ struct A {"), out)
        XCTAssertFalse(out.contains("index 1111111"), out)
        XCTAssertFalse(out.contains("diff --git"), out)
    }

    func testLockfileSummaryAndWhitespaceFold() throws {
        var diff = "diff --git a/package-lock.json b/package-lock.json\nindex 1..2 100644\n--- a/package-lock.json\n+++ b/package-lock.json\n@@ -1,3 +1,3 @@\n"
        diff += " {\n-  \"version\": \"1.0.0\",\n+  \"version\": \"1.0.1\",\n }\n"
        diff += "diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n+++ b/a.py\n@@ -10,2 +10,2 @@ def f():\n-  return compute(x)   \n-  pass\n+    return compute(x)\n+    pass\n"
        let input = Array(diff.utf8)
        let result = DiffCompressor().compress(input, context: try context(lossless: true))
        let out = text(result)
        XCTAssertTrue(out.contains("[... lockfile package-lock.json (+1 -1, 1 hunk): 9 lines omitted · hb_3f9a1c0d2e7b4a51:1-9 ...]"), out)
        XCTAssertTrue(out.contains("[… 2 lines changed only in whitespace, new text as ~lines]\n~    return compute(x)\n~    pass\n"), out)
        XCTAssertFalse(out.contains("1.0.1"), out)
        // The fold's omission covers exactly its four lines.
        let fold = try XCTUnwrap(result.omissions.first { $0.kinds.first?.name == "whitespace-only" })
        XCTAssertEqual(lines(input, fold.range.first, fold.range.last), Array("-  return compute(x)   \n-  pass\n+    return compute(x)\n+    pass\n".utf8))
    }

    /// Trimmed context: each omission's range holds exactly the context lines not shown.
    func testContextTrimRangesRetrieveTheOmittedLines() throws {
        var diff = "diff --git a/m.py b/m.py\nindex 1..2 100644\n--- a/m.py\n+++ b/m.py\n@@ -1,12 +1,12 @@\n"
        for k in 1...4 { diff += " context line \(k)\n" }
        diff += "-old value one\n+new value one\n"
        for k in 5...8 { diff += " context line \(k)\n" }
        diff += "-old value two\n+new value two\n"
        for k in 9...10 { diff += " context line \(k)\n" }
        let input = Array(diff.utf8)
        let result = DiffCompressor().compress(input, context: try context(lossless: true))
        let out = text(result)
        XCTAssertTrue(out.contains("@@ -5 +5 @@\n-old value one\n+new value one\n@@ -10 +10 @@\n-old value two\n+new value two\n"), out)
        XCTAssertTrue(out.contains("### m.py (+2 -2) · hb_3f9a1c0d2e7b4a51:1-19"), out)
        let ranges = result.omissions.map { "\($0.range)" }
        XCTAssertEqual(ranges, ["6-9", "12-15", "18-19"])
        let retrieved = result.omissions.flatMap { lines(input, $0.range.first, $0.range.last) }
        XCTAssertEqual(String(decoding: retrieved, as: UTF8.self),
                       (1...10).map { " context line \($0)\n" }.joined())
    }

    /// Under a budget, cut runs of changed lines are markers whose range holds exactly them.
    func testBudgetCutsAreMarkedExactly() throws {
        var diff = "diff --git a/big.py b/big.py\nnew file mode 100644\nindex 0..1\n--- /dev/null\n+++ b/big.py\n@@ -0,0 +1,200 @@\n"
        for k in 1...200 { diff += "+value_\(k) = compute_something_long(\(k), \"argument number \(k)\")\n" }
        let input = Array(diff.utf8)
        let result = DiffCompressor().compress(input, context: try context(budget: 800))
        XCTAssertLessThanOrEqual(try count(result.body), 800)
        let markers = markerRanges(in: text(result))
        XCTAssertEqual(markers.count, 1)
        let marker = try XCTUnwrap(markers.first)
        let cut = lines(input, marker.first, marker.last)
        let shown = text(result)
        for line in String(decoding: cut, as: UTF8.self).split(separator: "\n") { XCTAssertFalse(shown.contains(line + "\n")) }
        XCTAssertTrue(shown.contains("+value_1 = "), shown)
        XCTAssertTrue(shown.contains("+value_200 = "), shown)
        XCTAssertTrue(shown.contains("### big.py (new file, +200 -0)"), shown)
        // Lossless never cuts.
        let lossless = DiffCompressor().compress(input, context: try context(budget: 800, lossless: true))
        XCTAssertEqual(DiffFidelity.fidelity(diff: input, body: lossless.body), 1.0)
    }

    /// Under a budget, lines whose text is shown elsewhere go first (one copy serves every
    /// occurrence), `@@` positions go before changed lines, and the cut is a marker whose range
    /// holds exactly the cut lines.
    func testBudgetCutsRepeatedLinesFirst() throws {
        var diff = ""
        for name in ["first.py", "second.py"] {
            diff += "diff --git a/\(name) b/\(name)\nindex 1..2 100644\n--- a/\(name)\n+++ b/\(name)\n@@ -10,2 +10,32 @@ def f():\n"
            diff += " keep_before = 1\n"
            for k in 1...30 { diff += "+    shared_value_\(k) = compute_shared_thing(\(k), \"argument \(k)\")\n" }
            diff += " keep_after = 2\n"
        }
        // A third file of unique lines, which should stay.
        diff += "diff --git a/third.py b/third.py\nindex 1..2 100644\n--- a/third.py\n+++ b/third.py\n@@ -1,0 +1,10 @@\n"
        for k in 1...10 { diff += "+unique_line_\(k) = other_computation(\(k * 7), \"text \(k)\")\n" }
        let input = Array(diff.utf8)
        let full = try count(DiffCompressor().compress(input, context: try context(lossless: true)).body)
        let budget = full * 7 / 10
        let result = DiffCompressor().compress(input, context: try context(budget: budget))
        let out = text(result)
        XCTAssertLessThanOrEqual(try count(result.body), budget, out)
        XCTAssertEqual(DiffFidelity.fidelity(diff: input, body: result.body), 1.0, out)
        XCTAssertTrue(out.contains("\n@@\n"), out)
        XCTAssertFalse(out.contains("@@ -"), out)
        XCTAssertTrue(out.contains("### third.py (+10 -0) · hb_3f9a1c0d2e7b4a51:"), out)
        let markers = markerRanges(in: out)
        XCTAssertFalse(markers.isEmpty, out)
        for marker in markers {
            let cut = String(decoding: lines(input, marker.first, marker.last), as: UTF8.self)
            // Only repeated lines were cut, each still shown in its other copy.
            for line in cut.split(separator: "\n") where line.hasPrefix("+") {
                XCTAssertTrue(line.hasPrefix("+    shared_value_"), "\(line)")
                XCTAssertTrue(out.contains("\n" + line + "\n"), "\(line)")
            }
        }
        try checkOmissions(result, input)
    }

    func testDeterministic() throws {
        let input = try load(Self.datasetFiles[1])
        let a = DiffCompressor().compress(input, context: try context(budget: 20_000))
        let b = DiffCompressor().compress(input, context: try context(budget: 20_000))
        XCTAssertEqual(a.body, b.body)
        XCTAssertEqual(a.omissions.map { "\($0.range)" }, b.omissions.map { "\($0.range)" })
    }

    func testMalformedDiffFallsBackToLines() throws {
        let garbage = "diff --git\n@@ -x +y @@\n+++\n--- a\n@@ -1,5 +1,5 @@\n-only one\nnot a diff line\n\u{1b}[31mred\u{1b}[0m\n"
        let result = DiffCompressor().compress(Array(garbage.utf8), context: try context(budget: 5))
        XCTAssertFalse(result.body.isEmpty)
        let plain = DiffCompressor().compress(Array("just some text\nno diff here\n".utf8), context: try context(lossless: true))
        XCTAssertEqual(text(plain), "just some text\nno diff here\n")
        _ = DiffCompressor().compress([], context: try context())
        _ = DiffCompressor().compress(Array("@@ -1 +1 @@\n".utf8), context: try context())
    }
}
