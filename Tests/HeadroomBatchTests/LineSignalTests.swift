@testable import HeadroomBatch
import XCTest

final class LineSignalTests: XCTestCase {
    private func signal(_ line: String) -> LineSignal {
        Array(line.utf8).withUnsafeBytes { LineSignal.detect($0) }
    }

    func testFailuresAcrossToolsAreRecognisedGenerically() {
        for line in [
            "2026-04-22T16:11:56.9997008Z \u{1B}[31;1m        FAIL\u{1B}[0m [   9.875s] (396/396) tests-build::macros compile_fail_full",
            "    error[E0308]: mismatched types",
            "thread 'compile_fail_full' (25975) panicked at src/run.rs:102:13:",
            "Traceback (most recent call last):",
            "E   DeprecationWarning: x; ValueError: invalid literal for int()",
            "java.lang.IllegalStateException: Could not open JPA EntityManager",
            "mypy (stubtest)......................\u{1B}[41mFailed\u{1B}[m",
            "fatal: detected dubious ownership in repository at '/work'",
            "\u{1B}[0m\u{1B}[1m\u{1B}[38;5;9merror\u{1B}[0m\u{1B}[1m: could not compile `tokio`",
            "Caused by: org.example.DeepNestedPackageName.SomethingWentWrongException: boom",
            "x" + String(repeating: "y", count: 9) + " unexpected failure in step 7",
        ] {
            XCTAssertTrue(signal(line).contains(.failure), line)
        }
    }

    func testSummariesAndExitCodes() {
        for line in [
            "     Summary [   9.876s] 396 tests run: 395 passed, 1 failed, 1 skipped",
            "Found 279 errors in 9 files (checked 1458 source files)",
            "= 45 failed, 162298 passed, 25570 skipped, 701 xfailed, 52 errors in 759.43s (0:12:39) =",
            "##[error]Process completed with exit code 100.",
            "No tests found, exiting with code 1",
            "Tests:       1 failed, 12 passed, 13 total",
        ] {
            XCTAssertTrue(signal(line).contains(.summary), line)
        }
    }

    func testLocations() {
        XCTAssertTrue(signal("     --> tests/fail/macros_type_mismatch.rs:5:5").contains(.location))
        XCTAssertTrue(signal("packages/react-dom/src/__tests__/ReactDOMFragmentRefs-test.js").contains(.location))
        XCTAssertTrue(signal("pandas/compat/pyarrow.py:69: note: see here").contains(.location))
        XCTAssertFalse(signal("version 1.2.3 installed").contains(.location))
    }

    func testOrdinaryLinesSignalNothing() {
        for line in [
            "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
            "Collecting numpy>=1.23 (from pandas==3.0.0)",
            "error_handler registered for route /api",
            "12 items processed in 3.2s",
        ] {
            XCTAssertEqual(signal(line), [], line)
        }
    }
}
