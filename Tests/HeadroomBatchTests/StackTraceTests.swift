@testable import HeadroomBatch
import Foundation
import TestSupport
import XCTest

final class StackTraceTests: XCTestCase {
    /// The units the tracker finds in `lines`, as 1-based inclusive line ranges, resolving
    /// `joined` the way the compressor does: `.start` opens a unit `joined` lines back,
    /// `.inside` extends the last unit (over `joined` lines reported outside).
    private func units(_ lines: [[UInt8]], file: StaticString = #filePath, line: UInt = #line) -> [ClosedRange<Int>] {
        var tracker = StackTraceTracker()
        var found: [ClosedRange<Int>] = []
        var open = false
        for (index, bytes) in lines.enumerated() {
            let number = index + 1
            let step = bytes.withUnsafeBytes { tracker.next($0) }
            XCTAssertLessThanOrEqual(step.joined, StackTraceTracker.joinLimit, file: file, line: line)
            switch step.role {
            case .outside:
                XCTAssertEqual(step.joined, 0, "line \(number)", file: file, line: line)
                open = false
            case .start:
                found.append((number - step.joined)...number)
                open = true
            case .inside:
                guard let last = found.last else {
                    XCTFail("line \(number) inside before any unit", file: file, line: line)
                    continue
                }
                // Contiguous: the unit ended right before the joined lines (or is open).
                XCTAssertEqual(last.upperBound, number - step.joined - 1, "line \(number)", file: file, line: line)
                XCTAssertTrue(open || step.joined > 0, "line \(number)", file: file, line: line)
                found[found.count - 1] = last.lowerBound...number
                open = true
            }
        }
        return found
    }

    private func units(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [ClosedRange<Int>] {
        units(text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }, file: file, line: line)
    }

    /// The lines of a dataset file, without their newlines.
    private func datasetLines(_ relative: String) throws -> [[UInt8]] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset(relative))))
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { Array($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    private func text(_ lines: [[UInt8]], _ number: Int) -> String { String(decoding: lines[number - 1], as: UTF8.self) }

    // MARK: - Fixtures, one per runtime, between ordinary lines

    static let java = """
        2024-01-02 10:11:11,001 INFO  [main] c.f.App - Starting app v1.2
        2024-01-02 10:11:12,345 ERROR [main] c.f.Bar - Failed to load order 42
        java.lang.IllegalStateException: Could not load order 42
        \tat com.foo.OrderService.load(OrderService.java:88)
        \tat com.foo.OrderController.get(OrderController.java:41) ~[app.jar:1.2]
        \tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
        Caused by: java.sql.SQLException: Connection refused
        \tat org.postgresql.Driver.connect(Driver.java:285)
        \t... 12 more
        \tSuppressed: java.io.IOException: close failed
        \t\tat com.foo.Pool.close(Pool.java:19)
        \t\t... 3 more
        Caused by: java.net.ConnectException: Connection refused (Connection refused)
        \tat java.base/sun.nio.ch.Net.connect0(Native Method)
        \t... 14 common frames omitted
        2024-01-02 10:11:12,400 INFO  [main] c.f.App - Retrying in 5s
        2024-01-02 10:11:17,401 WARN  [main] c.f.Bar - Slow query
        2024-01-02 10:11:17,402 ERROR [worker-1] c.f.Job - Job failed
        \tat com.foo.Job.run(Job.java:12)
        \tat java.base/java.lang.Thread.run(Thread.java:833)
        2024-01-02 10:11:18,000 INFO  [main] c.f.App - Done
        Exception in thread "main" java.lang.NullPointerException
        \tat com.foo.Main.main(Main.java:5)
        """

    static let python = """
        INFO:root:starting
        ERROR:root:request failed
        Traceback (most recent call last):
          File "/app/server.py", line 41, in handle
            value = int(payload["n"])
                        ~~~~~~~^^^^^
        KeyError: 'n'

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "/app/server.py", line 43, in handle
            raise ValueError("bad payload")
        ValueError: bad payload

        The above exception was the direct cause of the following exception:

        Traceback (most recent call last):
          File "/app/main.py", line 7, in <module>
            serve()
          File "/app/server.py", line 60, in serve
            raise RuntimeError("server crashed") from exc
        RuntimeError: server crashed

        INFO:root:shutting down
        Traceback (most recent call last):
          File "/app/cleanup.py", line 3, in <module>
            os.remove(path)
        FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x'
        INFO:root:bye
        """

    static let go = """
        === RUN   TestServe
        --- FAIL: TestServe (0.00s)
        panic: runtime error: index out of range [5] with length 3 [recovered]
        \tpanic: runtime error: index out of range [5] with length 3

        goroutine 7 [running]:
        testing.tRunner.func1.2({0x5c3b40, 0xc000018150})
        \t/usr/local/go/src/testing/testing.go:1545 +0x238
        panic({0x5c3b40?, 0xc000018150?})
        \t/usr/local/go/src/runtime/panic.go:914 +0x21f
        example.com/app.pick(...)
        \t/src/app/pick.go:12
        example.com/app.TestServe(0xc0000a6820)
        \t/src/app/serve_test.go:9 +0x1d
        created by testing.(*T).Run in goroutine 1
        \t/usr/local/go/src/testing/testing.go:1648 +0x3ad

        goroutine 1 [chan receive]:
        testing.(*T).Run(0xc0000a61a0, {0x5f0e2b?, 0x0?}, 0x60d5b8)
        \t/usr/local/go/src/testing/testing.go:1649 +0x3c8
        main.main()
        \t_testmain.go:47 +0x195
        exit status 2
        FAIL\texample.com/app\t0.005s
        """

    static let rust = """
           Compiling app v0.1.0 (/src/app)
            Finished `test` profile [unoptimized + debuginfo] target(s) in 1.20s
             Running unittests src/main.rs (target/debug/deps/app-3f2a)

        running 1 test
        thread 'main' panicked at src/main.rs:3:5:
        called `Option::unwrap()` on a `None` value
        stack backtrace:
           0: rust_begin_unwind
                     at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs:665:5
           1: core::panicking::panic_fmt
                     at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:74:14
           2: app::main
                     at ./src/main.rs:3:5
        note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
        error: test failed, to rerun pass `--bin app`
        thread 'worker' panicked at src/lib.rs:10:9:
        assertion `left == right` failed
          left: 1
         right: 2
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
        test result: FAILED. 0 passed; 1 failed
        """

    static let node = """
        > app@1.0.0 start
        > node server.js

        Server listening on :3000
        /app/server.js:14
            throw new TypeError('x is undefined');
            ^

        TypeError: x is undefined
            at Object.<anonymous> (/app/server.js:14:11)
            at Module._compile (node:internal/modules/cjs/loader:1256:14)
            at async Promise.all (index 0)
            at file:///app/boot.mjs:3:4
            at new Promise (<anonymous>)

        Node.js v20.11.0
        [retry] Error: ENOENT: no such file or directory, open '/app/config.json'
            at async open (node:internal/fs/promises:639:25)
            at async Object.readFile (node:internal/fs/promises:1242:14) {
          errno: -2,
          code: 'ENOENT',
          syscall: 'open',
          path: '/app/config.json'
        }
        npm ERR! code 1
        """

    static let swift = """
        [3/5] Compiling App main.swift
        Build complete!
        Swift/ContiguousArrayBuffer.swift:600: Fatal error: Index out of range
        Current stack trace:
        0    libswiftCore.so                    0x00007f3b0b2c1234 _swift_stdlib_reportFatalErrorInFile + 113
        1    libswiftCore.so                    0x00007f3b0b2a0c2a $ss17_assertionFailure__4file4line5flagss5NeverOs12StaticStringV_SSAHSus6UInt32VtF + 250
        2    App                                0x000055d5c1f6e0a7 $s3App4mainyyF + 52
        Illegal instruction (core dumped)
        error: fatalError
        swift-frontend: /build/lib/IRGen.cpp:212: void emit(): Assertion `ty' failed.
        Please submit a bug report (https://swift.org/contributing/#reporting-bugs) and include the crash backtrace.
        Stack dump:
        0.\tProgram arguments: /usr/bin/swift-frontend -frontend -c main.swift
        1.\tSwift version 5.10 (swift-5.10-RELEASE)
        2.\tWhile emitting IR SIL function "@$s3App4mainyyF".
         for 'main()' (at /src/main.swift:3:1)
        #0 0x000055d5c1f6e0a7 llvm::sys::PrintStackTrace(llvm::raw_ostream&, int) (/usr/bin/swift-frontend+0x67bc3a8)
        #1 0x000055d5c1f6bd8e llvm::sys::RunSignalHandlers() (/usr/bin/swift-frontend+0x67b9d8e)
        error: compile command failed due to signal 6 (use -v to see invocation)
        """

    static let dotnet = """
        info: Microsoft.Hosting.Lifetime[0]
              Application started.
        Unhandled exception. System.InvalidOperationException: Order 42 could not be saved
         ---> System.ArgumentNullException: Value cannot be null. (Parameter 'name')
           at Shop.Orders.Validate(Order order) in C:\\src\\Shop\\Orders.cs:line 31
           at Shop.Orders.Save(Order order) in C:\\src\\Shop\\Orders.cs:line 18
           --- End of inner exception stack trace ---
           at Shop.Orders.Save(Order order) in C:\\src\\Shop\\Orders.cs:line 22
           at Shop.Program.<Main>$(String[] args) in C:\\src\\Shop\\Program.cs:line 9
           at System.Threading.Tasks.Task.Wait()
        Process exited with code 3.
        """

    static let pytest = """
        ==================================== ERRORS ====================================
        ____________________ ERROR collecting tests/test_io.py _____________________
        tests/test_io.py:5: in <module>
            from app.io import load
        app/io.py:3: in <module>
            import missing_mod
        E   ModuleNotFoundError: No module named 'missing_mod'
        ____________________ ERROR collecting tests/test_db.py _____________________
        tests/test_db.py:2: in <module>
            import sqlite4
        E   ModuleNotFoundError: No module named 'sqlite4'
        =========================== short test summary info ============================
        """

    static let fixtures: [(name: String, text: String, units: [ClosedRange<Int>])] = [
        ("java", java, [3...15, 18...20, 22...23]),
        ("python", python, [3...23, 26...29]),
        ("go", go, [3...22]),
        ("rust", rust, [6...15, 17...21]),
        ("node", node, [9...14, 17...24]),
        ("swift", swift, [3...7, 11...18]),
        ("dotnet", dotnet, [3...10]),
        ("pytest", pytest, [3...7, 9...11]),
    ]

    func testEachRuntimeIsFoundAsExactUnits() {
        for fixture in Self.fixtures {
            XCTAssertEqual(units(fixture.text), fixture.units, fixture.name)
        }
    }

    /// The exception line above the first frame is reported outside, then taken back by
    /// `joined` on the frame; the log line above it stays outside.
    func testHeaderIsJoinedWhenTheFirstFrameArrives() {
        var tracker = StackTraceTracker()
        let lines = [
            "2024-01-02 10:11:12,345 ERROR [main] c.f.Bar - Failed to x",
            "java.lang.IllegalStateException: boom",
            "\tat com.foo.Bar.run(Bar.java:12)",
            "\tat com.foo.Main.main(Main.java:3)",
            "2024-01-02 10:11:12,346 INFO [main] c.f.Bar - next",
        ]
        let steps = lines.map { line in Array(line.utf8).withUnsafeBytes { tracker.next($0) } }
        XCTAssertEqual(steps, [
            .outside, .outside,
            StackTraceTracker.Step(role: .start, joined: 1),
            .inside, .outside,
        ])
    }

    /// A log line with frames right below it (no exception line) is the unit's first line.
    func testLogLineImmediatelyFollowedByFramesStartsTheUnit() {
        let text = """
            2024-01-02 10:11:12,345 INFO [main] c.f.Bar - ok
            2024-01-02 10:11:12,345 ERROR [main] c.f.Bar - Failed to x
            \tat com.foo.Bar.run(Bar.java:12)
            2024-01-02 10:11:12,346 INFO [main] c.f.Bar - next
            """
        XCTAssertEqual(units(text), [2...3])
    }

    /// The same fixtures with a GitHub Actions timestamp and colour codes on every line.
    func testCITimestampsAndColourCodesAreIgnored() {
        for fixture in Self.fixtures {
            let prefixed = fixture.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
                let colour = i % 3 == 0 ? "\u{1B}[0m\u{1B}[31;1m" : ""
                let reset = i % 3 == 0 && !line.isEmpty ? "\u{1B}[0m" : ""
                return "2026-04-22T16:11:56.99\(i % 10)7008Z " + colour + line + reset
            }.joined(separator: "\n")
            XCTAssertEqual(units(prefixed), fixture.units, fixture.name)
        }
    }

    /// Indentation of the whole trace (nested output such as nextest's) changes nothing.
    func testIndentedTracesKeepTheirUnits() {
        for fixture in Self.fixtures where ["python", "rust", "node", "dotnet"].contains(fixture.name) {
            let indented = fixture.text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            XCTAssertEqual(units(indented), fixture.units, fixture.name)
        }
    }

    func testLookalikesOfFramesAreNotTraces() {
        let text = """
            Error: something failed
            Stack trace: disabled
                at least one of the checks failed
                at 10:30 the job was retried
              1: first item of a list
            panic: nothing follows
            12 items 0x1234
            src/app.py:12: DeprecationWarning: use load() instead
              warnings.warn("x")
            pandas/core/frame.py:3: error: Incompatible types in assignment  [assignment]
                File written to /tmp/out.txt
            thread 'main' started
            Traceback is disabled for this run
            goroutine pool resized to 8
            Caused by: the user
            \t... 3 more
            """
        XCTAssertEqual(units(text), [])
    }

    /// A Python exception group: the boxed sub-tracebacks belong to the unit.
    func testPythonExceptionGroup() {
        let text = """
            running tasks
              + Exception Group Traceback (most recent call last):
              |   File "/app/main.py", line 9, in <module>
              |     asyncio.run(main())
              | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)
              +-+---------------- 1 ----------------
                | Traceback (most recent call last):
                |   File "/app/main.py", line 4, in a
                | ValueError: a
                +---------------- 2 ----------------
                | TypeError: b
                +------------------------------------
            done
            """
        XCTAssertEqual(units(text), [2...12])
    }

    /// A unit is cut at `unitLimit` lines: the next line opens a new unit.
    func testUnitsAreCappedAtTheLimit() {
        var lines = ["java.lang.StackOverflowError"]
        for i in 0..<4_499 { lines.append("\tat com.foo.Rec.f\(i % 7)(Rec.java:\(i % 50 + 1))") }
        lines.append("done")
        let limit = StackTraceTracker.unitLimit
        XCTAssertEqual(units(lines.joined(separator: "\n")), [1...limit, (limit + 1)...(2 * limit), (2 * limit + 1)...4_500])
    }

    /// Two exceptions back to back without a log line between them are two units.
    func testConsecutiveTracesAreSeparateUnits() {
        let text = """
            java.lang.IllegalStateException: a
            \tat com.foo.A.a(A.java:1)
            java.lang.IllegalArgumentException: b
            \tat com.foo.B.b(B.java:2)
            Traceback (most recent call last):
              File "x.py", line 1, in <module>
            ZeroDivisionError: division by zero
            Traceback (most recent call last):
              File "y.py", line 2, in <module>
            NameError: name 'y' is not defined
            """
        XCTAssertEqual(units(text), [1...2, 3...4, 5...7, 8...10])
    }

    // MARK: - Real CI logs and plain logs

    /// nextest output indents the panic by four spaces and colours it; the panic line, its
    /// message, `stack backtrace:`, ten frames with their `at` lines and the closing `note:`
    /// are one unit, and nothing else in the 3,154 lines is.
    func testCargoPanicWithBacktraceIsOneUnit() throws {
        let lines = try datasetLines("logdx-dev/cargo-tokio-001/raw.log")
        XCTAssertEqual(units(lines), [3091...3114])
        XCTAssertTrue(text(lines, 3091).contains("thread 'compile_fail_full' (25975) panicked at"))
        XCTAssertTrue(text(lines, 3093).hasSuffix("stack backtrace:"))
        XCTAssertTrue(text(lines, 3114).contains("RUST_BACKTRACE=full"))
    }

    /// pytest's short tracebacks: each of the 52 collection errors is one unit from its first
    /// `path.py:N: in <module>` frame to its `E   DeprecationWarning` line; the long-form
    /// failures contribute their frame sections (`concat.py:466: in concat` ... `_ _ _`).
    func testPytestTracebacksAreUnits() throws {
        let lines = try datasetLines("logdx-dev/pytest-pandas-001/raw.log")
        let found = units(lines)
        let collecting = (1...lines.count).filter { text(lines, $0).contains(" ERROR collecting ") }
        XCTAssertEqual(collecting.count, 52)
        for header in collecting {
            guard let unit = found.first(where: { $0.lowerBound == header + 1 }) else {
                XCTFail("no unit below line \(header)")
                continue
            }
            XCTAssertTrue(text(lines, unit.lowerBound).hasSuffix(": in <module>"), "\(unit)")
            XCTAssertTrue(text(lines, unit.upperBound).contains("Z E   DeprecationWarning: "), "\(unit)")
            XCTAssertTrue(unit.count == 4 || unit.count == 6, "\(unit)")
        }
        let longForm = found.filter { text(lines, $0.lowerBound).hasSuffix("pandas/core/reshape/concat.py:466: in concat") }
        XCTAssertEqual(longForm.count, 7)
        XCTAssertEqual(longForm.first, 1699...1709)
        XCTAssertEqual(found.count, 52 + 7)
    }

    /// Node errors from the test runner: the `Failed to load test output Error: ENOENT` line
    /// joins its six `at async` frames, and the `{ errno, code, syscall, path }` properties up
    /// to the closing `}` belong to the unit.
    func testNodeErrorsWithPropertiesAreUnits() throws {
        let lines = try datasetLines("logdx-dev/jest-nextjs-001/raw.log")
        let found = units(lines)
        XCTAssertEqual(found.count, 14)
        XCTAssertEqual(found.first, 10239...10250)
        for unit in found {
            XCTAssertEqual(unit.count, 12, "\(unit)")
            XCTAssertTrue(text(lines, unit.lowerBound).contains("Failed to load test output Error: ENOENT"), "\(unit)")
            for frame in unit.lowerBound + 1...unit.lowerBound + 6 {
                XCTAssertTrue(text(lines, frame).contains("Z     at async "), "line \(frame)")
            }
            XCTAssertTrue(text(lines, unit.upperBound).hasSuffix("Z }"), "\(unit)")
        }
    }

    /// No traces in logs without any: the Loghub systems (Java services whose frames were
    /// not kept, syslog, BGL's numbered records with addresses) and CI logs of lint and mypy
    /// (`path.py:12: error: ...` is not a frame).
    func testPlainLogsHaveNoUnits() throws {
        var files = Loghub.systems.map { "loghub-2k/\($0)/\($0)_2k.log" }
        files += ["logdx-dev/lint-react-001/raw.log", "logdx-dev/mypy-pandas-001/raw.log"]
        for file in files {
            XCTAssertEqual(units(try datasetLines(file)), [], file)
        }
    }
}
