import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Hostile and broken inputs, run through the built binary. For each case: a clear error that
/// names the input and the problem (or the right non-error behaviour), the right exit code,
/// good inputs of the same run still processed and retrievable, and `verify` passing after.
final class BadInputTests: XCTestCase {
    /// Two good inputs given around the bad one(s): one before (its blocks are already in the
    /// segment when the bad input fails), one after (the run goes on).
    private static let goodBefore = "loghub-2k/OpenSSH/OpenSSH_2k.log"
    private static let goodAfter = "loghub-2k/Apache/Apache_2k.log"

    // MARK: - Inputs that cannot be read

    func testMissingPathAndUnmatchedPattern() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let missing = dir.file("missing.log")
        let pattern = dir.file("nothing-*.log")
        let run = try compressAroundGoodInputs(cli, [missing, pattern])
        XCTAssertEqual(run.result.status, 1, run.result.stderr)
        XCTAssertTrue(run.result.stderr.contains("\(missing): no such file or directory"), run.result.stderr)
        XCTAssertTrue(run.result.stderr.contains("\(pattern): no files match this pattern"), run.result.stderr)
        XCTAssertTrue(run.result.stderr.contains("4 inputs (2 failed)"), run.result.stderr)
        XCTAssertEqual(run.sections.count, 2)
        try assertArchiveIntact(cli, references: 2)
    }

    func testUnreadableFile() throws {
        let dir = try TemporaryDirectory()
        // Opening an Archive in this process sets umask 077: make the tree traversable for nobody.
        chmod(dir.path, 0o755)
        let secret = try dir.write("secret.log", "2024-01-01 00:00:00 INFO not for you\n")
        XCTAssertEqual(chmod(secret, 0o000), 0)
        let home = dir.file("nobody")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
        let archive = home + "/archive"

        /// Runs the binary as an unprivileged user (nobody when we are root: root reads anything).
        func unprivileged(_ arguments: [String]) throws -> ProcessResult {
            let binary = Paths.executable("headroom-batch")
            var args = arguments
            if args.first == "compress" { args += ["--tokenizer", try Paths.tokenizer()] }
            args += ["--archive", archive]
            if getuid() != 0 { return try runProcess(binary, args) }
            return try runProcess(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + args)
        }
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: setpriv) else {
                return XCTFail("\(setpriv) is missing (Debian package util-linux)")
            }
            XCTAssertEqual(chown(home, 65534, 65534), 0)
            chmod(home, 0o700)
            // The test means something only if the unprivileged user really cannot open the file.
            let probe = try runProcess(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/cat", secret])
            XCTAssertNotEqual(probe.status, 0, "nobody can read a mode-000 file; the test proves nothing")
        }

        let goodA = try Paths.dataset(Self.goodBefore), goodB = try Paths.dataset(Self.goodAfter)
        let result = try unprivileged(["compress", goodA, secret, goodB])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(secret): permission denied"), result.stderr)
        XCTAssertTrue(result.stderr.contains("3 inputs (1 failed)"), result.stderr)
        let sections = parseBundle(result.stdout)
        XCTAssertEqual(sections.map(\.source), [goodA, goodB])
        for section in sections {
            let retrieved = try unprivileged(["retrieve", section.reference])
            XCTAssertEqual(retrieved.status, 0, retrieved.stderr)
            XCTAssertTrue(retrieved.stdout == (try contents(section.source)), "\(section.source) retrieves exactly")
        }
        let verify = try unprivileged(["verify"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stderr.contains("verified 2 references"), verify.stderr)
    }

    // MARK: - Content that is not plain text

    func testBinaryFileIsArchivedButNotShown() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        // 6 MB of random bytes: NULs, newlines and invalid UTF-8 everywhere, more than one block.
        var random = SplitMix64(seed: 0xB1A)
        let bytes = (0..<(6 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        XCTAssertTrue(bytes.contains(0) && bytes.contains(10))
        let path = try dir.write("blob.bin", bytes)

        let run = try compressAroundGoodInputs(cli, [path])
        XCTAssertEqual(run.result.status, 0, run.result.stderr)
        let section = try XCTUnwrap(run.sections.first { $0.source == path })
        XCTAssertEqual(section.kind, "binary")
        // One line in place of the content: "[binary content · 6.3 MB not shown · hb_…]".
        let body = String(decoding: section.body, as: UTF8.self)
        XCTAssertTrue(body.hasPrefix("[binary content · 6.3 MB") && body.hasSuffix(" · \(section.reference)]\n"), body)
        XCTAssertEqual(section.body.filter { $0 == 10 }.count, 1, body)
        XCTAssertLessThan(section.body.count, 200, body)
        // Nothing of the binary reaches the bundle: no NUL, no control byte, valid UTF-8.
        XCTAssertFalse(run.result.stdout.contains(0))
        XCTAssertFalse(run.result.stdout.contains { $0 < 0x20 && $0 != 10 && $0 != 9 })
        XCTAssertNotNil(String(validating: run.result.stdout, as: UTF8.self))

        let retrieved = try cli(["retrieve", section.reference])
        XCTAssertEqual(retrieved.status, 0, retrieved.stderr)
        XCTAssertTrue(retrieved.stdout == bytes, "binary content retrieves byte for byte")
        try assertArchiveIntact(cli, references: 3)
    }

    func testInvalidUTF8LinesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        var original: [UInt8] = []
        let badError = Array("2024-01-01 00:00:42 ERROR user=".utf8) + [0xFF, 0xFE] + Array(" rejected (".utf8) + [0xC3, 0x28, 0x29] + [10]
        for i in 1...400 {
            if i == 200 {
                original += badError
            } else {
                original += Array("2024-01-01 00:00:\(i % 60) INFO request id=\(i) name=".utf8)
                original += i % 7 == 0 ? [0xFF, 0xFE, 0x80, 0xBF] : Array("caf\u{e9}".utf8)
                original.append(10)
            }
        }
        original += Array("2024-01-01 00:01:00 INFO last line ends in a cut sequence ".utf8) + [0xE2, 0x82]  // no newline
        let path = try dir.write("latin.log", original)

        let run = try compressAroundGoodInputs(cli, [path])
        XCTAssertEqual(run.result.status, 0, run.result.stderr)
        let section = try XCTUnwrap(run.sections.first { $0.source == path })
        XCTAssertEqual(section.kind, "log")
        XCTAssertEqual(section.lines, 401)
        // Kept lines are never rewritten: the ERROR line and the last line appear byte for byte.
        XCTAssertTrue(section.body.containsSequence(badError), "the ERROR line is kept exactly")
        XCTAssertTrue(section.body.containsSequence(Array("cut sequence ".utf8) + [0xE2, 0x82, 10]))
        XCTAssertEqual(try cli(["retrieve", section.reference]).stdout, original)
        try assertMarkersRetrieveExactly(cli, section, original)
        // The JSON manifest stays valid JSON all the same.
        let json = try cli(["compress", "--format", "json", path])
        XCTAssertEqual(json.status, 0, json.stderr)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let described = try XCTUnwrap((manifest["sections"] as? [[String: Any]])?.first)
        XCTAssertEqual(described["reference"] as? String, section.reference)
        XCTAssertEqual(described["already_archived"] as? Bool, true)
        try assertArchiveIntact(cli, references: 3)
    }

    func testNULAndControlBytesInATextLogAreNeverPrinted() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        var original: [UInt8] = []
        var controlLines: [Int] = []
        for i in 1...300 {
            var line = Array("2024-01-01 00:00:00 \(i == 150 ? "ERROR" : "INFO") worker \(i % 5) step \(i)".utf8)
            // In the head window (3), an ERROR line (150), a BEL (220), and in the tail window (299).
            if [3, 150, 299].contains(i) { line += [0, 0x41, 0] }
            if i == 220 { line += [7] }
            if line.contains(0) || line.contains(7) { controlLines.append(i) }
            original += line + [10]
        }
        let path = try dir.write("nul.log", original)

        let run = try compressAroundGoodInputs(cli, [path])
        XCTAssertEqual(run.result.status, 0, run.result.stderr)
        let section = try XCTUnwrap(run.sections.first { $0.source == path })
        XCTAssertEqual(section.kind, "log")
        XCTAssertEqual(section.lines, 300)
        XCTAssertFalse(run.result.stdout.contains(0), "no NUL byte in the bundle")
        XCTAssertFalse(run.result.stdout.contains(7), "no BEL byte in the bundle")
        let text = String(decoding: section.body, as: UTF8.self)
        // Every line with control bytes is inside a marker, which counts them.
        let markers = markerRanges(in: text)
        for line in controlLines {
            XCTAssertTrue(markers.contains { $0.first <= line && line <= $0.last }, "line \(line) is in a marker")
        }
        let counted = try NSRegularExpression(pattern: "([0-9,]+) with control bytes")
            .matches(in: text, range: NSRange(text.startIndex..., in: text))
            .map { Int(text[Range($0.range(at: 1), in: text)!].replacingOccurrences(of: ",", with: ""))! }
        XCTAssertEqual(counted.reduce(0, +), controlLines.count, text)
        XCTAssertEqual(try cli(["retrieve", "\(section.reference):150"]).stdout, lines(original, 150, 150))
        XCTAssertEqual(try cli(["retrieve", section.reference]).stdout, original)
        try assertMarkersRetrieveExactly(cli, section, original)
        try assertArchiveIntact(cli, references: 3)
    }

    // MARK: - Sizes

    func testFiftyMegabyteLineWithoutNewline() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        // A 50 MB single line of JSON-like records (no newline at all), as a minified dump would be.
        var random = SplitMix64(seed: 50)
        var original: [UInt8] = []
        original.reserveCapacity(50 << 20)
        var record = 0
        while original.count < 50 << 20 {
            original += Array("{\"id\":\(record),\"level\":\"ERROR\",\"blob\":\"".utf8)
            for _ in 0..<48 { original.append(base64Alphabet[Int(random.next() % 64)]) }
            original += Array("\"},".utf8)
            record += 1
        }
        let path = try dir.write("one-line.json", original)

        let started = Date()
        let run = try compressAroundGoodInputs(cli, [path])
        XCTAssertEqual(run.result.status, 0, run.result.stderr)
        XCTAssertLessThan(run.result.stdout.count, 100_000, "output is bounded, whatever the line length")
        let section = try XCTUnwrap(run.sections.first { $0.source == path })
        XCTAssertEqual(section.lines, 1)
        XCTAssertLessThan(section.body.count, 1_000)
        let text = String(decoding: section.body, as: UTF8.self)
        XCTAssertTrue(text.contains("over 4,096 bytes"), text)
        XCTAssertEqual(markerRanges(in: text).map { "\($0.first)-\($0.last)" }, ["1-1"], text)
        print("50 MB line: compress \(String(format: "%.2f", Date().timeIntervalSince(started))) s")

        let whole = try cli(["retrieve", section.reference])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(whole.stdout.count, original.count)
        XCTAssertTrue(whole.stdout == original, "the 50 MB line retrieves exactly")
        XCTAssertTrue(try cli(["retrieve", "\(section.reference):1-1"]).stdout == original)
        try assertArchiveIntact(cli, references: 3)
    }

    func testLongLineBetweenShortLinesKeepsLineNumbers() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        var original: [UInt8] = []
        for i in 1...30 { original += Array("2024-01-01 INFO before \(i)\n".utf8) }
        original += Array("2024-01-01 INFO payload=".utf8) + [UInt8](repeating: 0x61, count: 9 << 20) + [10]  // line 31
        for i in 32...60 { original += Array("2024-01-01 \(i == 45 ? "ERROR" : "INFO") after \(i)\n".utf8) }
        let path = try dir.write("long.log", original)

        let run = try compressAroundGoodInputs(cli, [path])
        XCTAssertEqual(run.result.status, 0, run.result.stderr)
        let section = try XCTUnwrap(run.sections.first { $0.source == path })
        XCTAssertEqual(section.lines, 60)
        let text = String(decoding: section.body, as: UTF8.self)
        XCTAssertTrue(text.contains("2024-01-01 ERROR after 45\n"), text)
        XCTAssertTrue(text.contains("over 4,096 bytes"), text)
        XCTAssertLessThan(section.body.count, 4_000)
        XCTAssertTrue(markerRanges(in: text).contains { $0.first <= 31 && 31 <= $0.last }, text)
        XCTAssertEqual(try cli(["retrieve", "\(section.reference):45"]).stdout, Array("2024-01-01 ERROR after 45\n".utf8))
        try assertMarkersRetrieveExactly(cli, section, original)
        try assertArchiveIntact(cli, references: 3)
    }

    func testEmptyFile() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let path = try dir.write("empty.log", [UInt8]())
        let run = try compressAroundGoodInputs(cli, [path])
        XCTAssertEqual(run.result.status, 0, run.result.stderr)
        XCTAssertTrue(run.result.stderr.contains("3 inputs ·"), run.result.stderr)
        let section = try XCTUnwrap(run.sections.first { $0.source == path })
        XCTAssertEqual(section.kind, "empty")
        XCTAssertEqual(section.lines, 0)
        XCTAssertTrue(section.header.contains("0 lines, 0 B"), section.header)
        XCTAssertEqual(String(decoding: section.body, as: UTF8.self), "[empty: 0 bytes]\n")
        let retrieved = try cli(["retrieve", section.reference])
        XCTAssertEqual(retrieved.status, 0, retrieved.stderr)
        XCTAssertEqual(retrieved.stdout, [])
        try assertArchiveIntact(cli, references: 3)
    }

    // MARK: - Broken compressed input

    func testTruncatedZstdInputs() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd") else {
            return XCTFail("/usr/bin/zstd is missing (Debian package zstd)")
        }
        // A small one (fails in its first block, before anything of it is written) and one of
        // 12 MB of text (fails after blocks of it are already in the segment).
        let small = try contents(try Paths.dataset("loghub-2k/Spark/Spark_2k.log"))
        var large: [UInt8] = []
        var n = 0
        while large.count < 12 << 20 {
            large += Array("copy \(n) ".utf8) + small
            n += 1
        }
        var truncated: [String] = []
        for (name, text) in [("small.log", small), ("large.log", large)] {
            let plain = try dir.write(name, text)
            let packed = try runProcess("/usr/bin/zstd", ["-q", "-f", "-T1", plain, "-o", plain + ".zst"])
            XCTAssertEqual(packed.status, 0, packed.stderr)
            let frame = try contents(plain + ".zst")
            truncated.append(try dir.write(name + ".cut.zst", Array(frame[0..<(frame.count * 6 / 10)])))
        }

        let run = try compressAroundGoodInputs(cli, truncated)
        XCTAssertEqual(run.result.status, 1, run.result.stderr)
        for path in truncated {
            XCTAssertTrue(run.result.stderr.contains("\(path): truncated zstd stream"), run.result.stderr)
            XCTAssertFalse(run.sections.contains { $0.source == path })
        }
        XCTAssertTrue(run.result.stderr.contains("4 inputs (2 failed)"), run.result.stderr)
        // Nothing of the truncated inputs is indexed: only the two good references.
        let references = try Archive(path: cli.archive, create: false).references()
        XCTAssertEqual(Set(references.map(\.id.description)), Set(run.sections.map(\.reference)))
        try assertArchiveIntact(cli, references: 2)
    }

    // MARK: - The archive itself

    func testFullDiskWhileWritingSegments() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let unit = try ulimitBlockSize(dir)
        // 6 MB of nearly incompressible lines: its first block alone is larger than the limit.
        var random = SplitMix64(seed: 0xD15C)
        var big: [UInt8] = []
        var n = 0
        while big.count < 6 << 20 {
            big += Array("2024-01-01 INFO chunk \(n) data=".utf8)
            for _ in 0..<100 { big.append(base64Alphabet[Int(random.next() % 64)]) }
            big.append(10)
            n += 1
        }
        let bigPath = try dir.write("big.log", big)
        let limit = 2 << 20

        // 1. The segment write fails for the big input; the small ones around it are archived.
        let first = try runLimited(cli, fileSizeLimit: limit, unit: unit, ["compress", "--jobs", "2"], goodAround: [bigPath])
        XCTAssertEqual(first.reason, .exit, "no crash")
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("cannot write segment: File too large"), first.stderr)
        XCTAssertTrue(first.stderr.contains("\(bigPath): not archived"), "the error names the input: \(first.stderr)")
        XCTAssertTrue(first.stderr.contains("/segments/"), first.stderr)
        XCTAssertTrue(first.stderr.contains("3 inputs (1 failed)"), first.stderr)
        let sections = parseBundle(first.stdout)
        XCTAssertEqual(sections.map(\.source), [try Paths.dataset(Self.goodBefore), try Paths.dataset(Self.goodAfter)])
        for section in sections {
            XCTAssertTrue(try cli(["retrieve", section.reference]).stdout == (try contents(section.source)))
        }
        try assertArchiveIntact(cli, references: 2)

        // 2. Limits from 4 KB to 64 KB: opening the index, appending to the segment or the
        //    index commit fails, depending on the limit. Whatever fails: a clear error, no crash,
        //    nothing printed for an input that is not archived, and the archive stays valid.
        var references = 2
        for kilobytes in stride(from: 4, through: 64, by: 4) {
            var text = ""
            for i in 0..<300 { text += "2024-01-01 INFO limit \(kilobytes) KB line \(i) value \(random.next())\n" }
            let fresh = try dir.write("fresh-\(kilobytes).log", text)
            let run = try runLimited(cli, fileSizeLimit: kilobytes << 10, unit: unit, ["compress", fresh], goodAround: [])
            let context = "limit \(kilobytes) KB: \(run.stderr)"
            print("full disk: limit \(kilobytes) KB: exit \(run.status)")
            XCTAssertEqual(run.reason, .exit, "no crash: \(context)")
            let printed = parseBundle(run.stdout)
            switch run.status {
            case 0:
                XCTAssertEqual(printed.map(\.source), [fresh], context)
                references += 1
                XCTAssertTrue(try cli(["retrieve", printed[0].reference]).stdout == Array(text.utf8), context)
            case 1, 2:
                XCTAssertTrue(printed.isEmpty, context)
                XCTAssertTrue(run.stderr.contains("headroom-batch: error: "), context)
                XCTAssertTrue(run.stderr.contains("File too large") || run.stderr.contains("disk I/O error"), context)
                if run.status == 1 {
                    XCTAssertTrue(run.stderr.contains("\(fresh): not archived") || run.stderr.contains("cannot write segment"), context)
                }
            default:
                XCTFail("exit \(run.status): \(context)")
            }
            try assertArchiveIntact(cli, references: references)
        }
        XCTAssertGreaterThan(references, 2, "the larger limits leave room for the small input")

        // 3. A new archive that cannot even get its index written: exit 2, and the directory is
        //    still usable once there is room again.
        let tiny = HeadroomCLI(archive: dir.file("tiny-archive"))
        let fresh = try dir.write("fresh.log", "2024-01-01 ERROR something new\n")
        let third = try runLimited(tiny, fileSizeLimit: 2 << 10, unit: unit, ["compress", fresh], goodAround: [])
        XCTAssertEqual(third.reason, .exit, "no crash")
        XCTAssertEqual(third.status, 2, third.stderr)
        XCTAssertTrue(third.stderr.contains("headroom-batch: error: \(tiny.archive)/index.sqlite"), third.stderr)
        XCTAssertTrue(third.stdout.isEmpty)
        let recovered = try tiny(["compress", fresh, bigPath])
        XCTAssertEqual(recovered.status, 0, recovered.stderr)
        for section in parseBundle(recovered.stdout) {
            XCTAssertTrue(try tiny(["retrieve", section.reference]).stdout == (try contents(section.source)))
        }
        try assertArchiveIntact(tiny, references: 2)
    }

    func testUnknownArchiveFormatVersion() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let good = try Paths.dataset(Self.goodBefore)
        let first = try cli(["compress", good])
        XCTAssertEqual(first.status, 0, first.stderr)
        let reference = try XCTUnwrap(parseBundle(first.stdout).first?.reference)
        let index = dir.file("archive/index.sqlite")
        let sqlite = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: sqlite) else { return XCTFail("\(sqlite) is missing (Debian package sqlite3)") }

        for (change, shown) in [("UPDATE meta SET value = '99' WHERE key = 'format_version'", "99"),
                                ("DELETE FROM meta WHERE key = 'format_version'", "unknown")] {
            let edit = try runProcess(sqlite, [index, change])
            XCTAssertEqual(edit.status, 0, edit.stderr)
            let refused = try cli(["compress", try Paths.dataset(Self.goodAfter)])
            XCTAssertEqual(refused.status, 2, refused.stderr)
            XCTAssertTrue(refused.stdout.isEmpty)
            XCTAssertTrue(refused.stderr.contains("archive format version \(shown) is not supported"), refused.stderr)
            XCTAssertTrue(refused.stderr.contains(index), "names the archive: \(refused.stderr)")
            for command in [["retrieve", reference], ["verify"], ["stats", "--json"]] {
                let other = try cli(command)
                XCTAssertEqual(other.status, 2, "\(command): \(other.stderr)")
                XCTAssertTrue(other.stdout.isEmpty, "\(command)")
                XCTAssertTrue(other.stderr.contains("format version"), "\(command): \(other.stderr)")
            }
            let restore = try runProcess(sqlite, [index, "INSERT OR REPLACE INTO meta(key, value) VALUES ('format_version', '1')"])
            XCTAssertEqual(restore.status, 0, restore.stderr)
        }
        // Nothing was written while the version was unknown.
        try assertArchiveIntact(cli, references: 1)
        XCTAssertTrue(try cli(["retrieve", reference]).stdout == (try contents(good)))
    }

    func testMalformedAndUnknownReferences() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let good = try Paths.dataset(Self.goodBefore)
        let compressed = try cli(["compress", good])
        XCTAssertEqual(compressed.status, 0, compressed.stderr)
        let reference = try XCTUnwrap(parseBundle(compressed.stdout).first?.reference)

        let cases: [(arguments: [String], message: String)] = [
            (["hb_xyz"], "hb_xyz: not a reference: after hb_ come 16 to 64 hex digits"),
            (["0123456789abcdef"], "0123456789abcdef: not a reference: it must start with hb_"),
            (["hb_0123456789abcde"], "not a reference: after hb_ come 16 to 64 hex digits"),
            (["hb_0123456789abcdef:9-3"], "hb_0123456789abcdef:9-3: range must be 1-based with A <= B"),
            (["hb_0123456789abcdef:0-3"], "range must be 1-based"),
            (["hb_0123456789abcdef:a-b"], "range must be A-B with line numbers"),
            (["hb_0123456789abcdef"], "hb_0123456789abcdef: no such reference in the archive"),
            (["hb_0123456789abcdef:1-2"], "no such reference in the archive"),
            (["\(reference):1990-2001"], "range ends past the last line: \(reference) has 2,000 lines"),
            (["\(reference):5-6", "--lines", "7-8"], "give the range either as :A-B or with --lines, not both"),
            ([reference, "--lines", "8-7"], "--lines 8-7: range must be 1-based with A <= B"),
        ]
        for (arguments, message) in cases {
            let result = try cli(["retrieve"] + arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.isEmpty, "\(arguments) prints nothing on stdout")
            XCTAssertTrue(result.stderr.hasPrefix("headroom-batch: error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // A well-formed reference into an archive that does not exist is an archive problem.
        let nowhere = try HeadroomCLI(archive: dir.file("no-archive"))(["retrieve", reference])
        XCTAssertEqual(nowhere.status, 2, nowhere.stderr)
        XCTAssertTrue(nowhere.stderr.contains("no archive here"), nowhere.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("no-archive")), "retrieve creates nothing")

        XCTAssertEqual(try cli(["retrieve", "\(reference):1990-2000"]).stdout, lines(try contents(good), 1990, 2000))
        try assertArchiveIntact(cli, references: 1)
    }

    // MARK: - Helpers

    private struct Run {
        var result: ProcessResult
        var sections: [BundleSection]
    }

    /// `compress goodBefore <bad...> goodAfter`; checks that both good inputs have their section
    /// and that their references retrieve exactly.
    private func compressAroundGoodInputs(_ cli: HeadroomCLI, _ bad: [String],
                                          file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let goodA = try Paths.dataset(Self.goodBefore), goodB = try Paths.dataset(Self.goodAfter)
        let result = try cli(["compress", goodA] + bad + [goodB])
        let sections = parseBundle(result.stdout)
        for good in [goodA, goodB] {
            guard let section = sections.first(where: { $0.source == good }) else {
                XCTFail("no section for the good input \(good): \(result.stderr)", file: file, line: line)
                continue
            }
            XCTAssertEqual(section.kind, "log", file: file, line: line)
            let retrieved = try cli(["retrieve", section.reference])
            XCTAssertEqual(retrieved.status, 0, retrieved.stderr, file: file, line: line)
            XCTAssertTrue(retrieved.stdout == (try contents(good)), "\(good) retrieves exactly", file: file, line: line)
        }
        XCTAssertEqual(sections.first?.source, goodA, "sections in input order", file: file, line: line)
        XCTAssertEqual(sections.last?.source, goodB, "sections in input order", file: file, line: line)
        return Run(result: result, sections: sections)
    }

    /// `verify` exits 0 and counts `references`; every indexed reference retrieves with its size.
    private func assertArchiveIntact(_ cli: HeadroomCLI, references expected: Int,
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let verify = try cli(["verify"])
        XCTAssertEqual(verify.status, 0, verify.stderr, file: file, line: line)
        XCTAssertTrue(verify.stderr.contains("verified \(expected) references"), verify.stderr, file: file, line: line)
        XCTAssertTrue(verify.stderr.contains("all intact"), verify.stderr, file: file, line: line)
        let archive = try Archive(path: cli.archive, create: false)
        let stored = try archive.references()
        XCTAssertEqual(stored.count, expected, file: file, line: line)
        for reference in stored {
            var size = 0
            try archive.retrieve(ReferenceQuery(id: reference.id)) { size += $0.count }
            XCTAssertEqual(size, reference.size, "\(reference.id)", file: file, line: line)
        }
    }

    /// Every marker of a section retrieves exactly the lines it stands for.
    private func assertMarkersRetrieveExactly(_ cli: HeadroomCLI, _ section: BundleSection, _ original: [UInt8],
                                              file: StaticString = #filePath, line: UInt = #line) throws {
        let markers = markerRanges(in: String(decoding: section.body, as: UTF8.self))
        XCTAssertFalse(markers.isEmpty, file: file, line: line)
        for marker in markers {
            XCTAssertEqual(marker.reference, section.reference, file: file, line: line)
            let result = try cli(["retrieve", "\(marker.reference):\(marker.first)-\(marker.last)"])
            XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
            XCTAssertTrue(result.stdout == lines(original, marker.first, marker.last),
                          "\(marker.first)-\(marker.last)", file: file, line: line)
        }
    }

    /// Bytes per unit of `ulimit -f` in /bin/sh (512 in dash, 1024 in bash), measured.
    private func ulimitBlockSize(_ dir: TemporaryDirectory) throws -> Int {
        let probe = dir.file("ulimit-probe")
        let result = try runProcess("/bin/sh", ["-c", "trap '' XFSZ; ulimit -f 4; head -c 100000 /dev/zero > \"$0\"", probe])
        XCTAssertNotEqual(result.status, 0, "writing past ulimit -f fails")
        let size = (try FileManager.default.attributesOfItem(atPath: probe)[.size] as? Int) ?? 0
        try FileManager.default.removeItem(atPath: probe)
        XCTAssertTrue(size == 2048 || size == 4096, "ulimit -f 4 allowed \(size) bytes")
        return size / 4
    }

    private struct LimitedResult {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: [UInt8]
        var stderr: String
    }

    /// Runs the binary under `ulimit -f` (files it writes stop growing at `fileSizeLimit` bytes);
    /// fails the test if it does not finish within a minute.
    private func runLimited(_ cli: HeadroomCLI, fileSizeLimit: Int, unit: Int, _ arguments: [String],
                            goodAround: [String]) throws -> LimitedResult {
        var args = arguments
        if !goodAround.isEmpty {
            args += [try Paths.dataset(Self.goodBefore)] + goodAround + [try Paths.dataset(Self.goodAfter)]
        }
        args += ["--tokenizer", try Paths.tokenizer()]
        args += ["--archive", cli.archive]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f \(fileSizeLimit / unit) && exec \"$0\" \"$@\"", cli.binary] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        final class Collected: @unchecked Sendable { var data = Data() }
        let stdout = Collected(), stderr = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { stdout.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            XCTFail("compress under ulimit -f hangs; killing it")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        group.wait()
        return LimitedResult(status: process.terminationStatus, reason: process.terminationReason,
                             stdout: Array(stdout.data), stderr: String(decoding: stderr.data, as: UTF8.self))
    }
}

// MARK: - Shared with ReliabilityTests

/// Helpers of the end-to-end tests of hostile input and reliability.
enum EndToEnd {
    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// One section of a bundle: its header fields and the bytes of its body.
    struct Section {
        var header: String
        var source: String
        var kind: String
        var lines: Int
        var reference: String
        var body: [UInt8]
    }

    /// Splits bundle text into sections at `## ` header lines.
    static func sections(_ bytes: [UInt8]) -> [Section] {
        var sections: [Section] = []
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            let line = Array(bytes[start..<end])
            let next = min(end + 1, bytes.count)
            if line.starts(with: Array("## ".utf8)) {
                let header = String(decoding: line, as: UTF8.self)
                let parts = header.components(separatedBy: " · ")
                let count = parts.count > 2 ? Int(parts[2].prefix { $0 != " " }.replacingOccurrences(of: ",", with: "")) : nil
                sections.append(Section(header: header, source: String(parts[0].dropFirst(3)),
                                        kind: parts.count > 1 ? parts[1] : "", lines: count ?? -1,
                                        reference: parts.last ?? "", body: []))
            } else if !sections.isEmpty {
                sections[sections.count - 1].body += bytes[start..<next]
            }
            start = next
        }
        return sections
    }

    /// The bytes of a file.
    static func contents(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
}

private let setpriv = "/usr/bin/setpriv"
private let base64Alphabet = EndToEnd.base64Alphabet
private typealias BundleSection = EndToEnd.Section
private func parseBundle(_ bytes: [UInt8]) -> [BundleSection] { EndToEnd.sections(bytes) }
private func contents(_ path: String) throws -> [UInt8] { try EndToEnd.contents(path) }

private extension Array where Element == UInt8 {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var i = 0
        while i + needle.count <= count {
            if self[i] == first && self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
