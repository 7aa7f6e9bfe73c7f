import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Inputs of every shape, output formats, and determinism across --jobs.
final class CommandTests: XCTestCase {
    func testOutputIsIdenticalWhateverTheNumberOfJobs() throws {
        let dir = try TemporaryDirectory()
        // Several blocks: the five CI logs concatenated twice, plus a long-line fixture.
        var big: [UInt8] = []
        for _ in 0..<2 {
            for name in ["cargo-tokio-001", "jest-nextjs-001", "lint-react-001", "mypy-pandas-001", "pytest-pandas-001"] {
                big += Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("logdx-dev/\(name)/raw.log"))))
            }
        }
        for _ in 0..<3 { big += big }
        XCTAssertGreaterThan(big.count, 12 << 20)
        let path = try dir.write("ci.log", big)
        var outputs: [[UInt8]] = []
        for jobs in ["1", "2", "4"] {
            let cli = HeadroomCLI(archive: dir.file("archive-\(jobs)"))
            let result = try cli(["compress", "--jobs", jobs, path, try Paths.dataset("loghub-2k/BGL/BGL_2k.log")])
            XCTAssertEqual(result.status, 0, result.stderr)
            outputs.append(result.stdout)
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func testDirectoriesGlobsAndMissingInputs() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("logs/nested"), withIntermediateDirectories: true)
        try dir.write("logs/a.log", "INFO one\nERROR two\n")
        try dir.write("logs/nested/b.log", "WARN three\n")
        try dir.write("logs/c.txt", "INFO four\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))

        let fromDirectory = try cli(["compress", dir.file("logs")])
        XCTAssertEqual(fromDirectory.status, 0, fromDirectory.stderr)
        let headers = fromDirectory.text.split(separator: "\n").filter { $0.hasPrefix("## ") }
        XCTAssertEqual(headers.count, 3)
        XCTAssertTrue(headers[0].contains("logs/a.log") && headers[1].contains("logs/c.txt") && headers[2].contains("logs/nested/b.log"))

        let quotedGlob = try cli(["compress", dir.file("logs") + "/**/*.log"])
        XCTAssertEqual(quotedGlob.text.split(separator: "\n").filter { $0.hasPrefix("## ") }.count, 2, quotedGlob.text)

        let withMissing = try cli(["compress", dir.file("nope.log"), dir.file("logs/a.log")])
        XCTAssertEqual(withMissing.status, 1)
        XCTAssertTrue(withMissing.stderr.contains("nope.log: no such file or directory"), withMissing.stderr)
        XCTAssertTrue(withMissing.text.contains("ERROR two"), "the other input is still processed")
    }

    func testJSONManifestAndOutDirectory() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let log = try Paths.dataset("loghub-2k/Hadoop/Hadoop_2k.log")
        let json = try cli(["compress", "--format", "json", "--json-summary", log])
        XCTAssertEqual(json.status, 0, json.stderr)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        XCTAssertEqual(manifest["tokenizer"] as? String, "o200k_base")
        let section = try XCTUnwrap((manifest["sections"] as? [[String: Any]])?.first)
        XCTAssertEqual(section["lines"] as? Int, 2000)
        XCTAssertEqual(section["tokens_in_exact"] as? Bool, true)
        let omissions = try XCTUnwrap(section["omissions"] as? [[String: Any]])
        XCTAssertFalse(omissions.isEmpty)
        for omission in omissions {
            let reference = try XCTUnwrap(omission["reference"] as? String)
            let first = try XCTUnwrap(omission["first"] as? Int), last = try XCTUnwrap(omission["last"] as? Int)
            XCTAssertEqual(omission["count"] as? Int, last - first + 1)
            XCTAssertTrue(reference.hasSuffix(":\(first)-\(last)"))
        }
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])
        XCTAssertEqual(summary["inputs"] as? Int, 1)
        XCTAssertEqual(summary["tokens_in"] as? Int, section["tokens_in"] as? Int)
        XCTAssertGreaterThan(summary["tokens_in"] as? Int ?? 0, 10 * (summary["bundle_tokens"] as? Int ?? 0) / 10)

        let out = dir.file("bundles")
        let written = try cli(["compress", "--out-dir", out, log])
        XCTAssertEqual(written.status, 0)
        XCTAssertTrue(written.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files.count, 2)
        XCTAssertTrue(files.allSatisfy { $0.contains("Hadoop_2k.log.") })
    }

    func testDashMeansStdinAndEstimatesSayTheyAreEstimates() throws {
        let dir = try TemporaryDirectory()
        let log = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("loghub-2k/Spark/Spark_2k.log"))))
        // No --tokenizer, no $HEADROOM_TOKENIZER, an empty data directory: counts are estimates.
        let result = try runProcess(Paths.executable("headroom-batch"), ["compress", "-"], input: log,
                                    environment: ["HEADROOM_ARCHIVE": dir.file("archive"), "HEADROOM_TOKENIZER": "",
                                                  "XDG_DATA_HOME": dir.file("data")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let header = try XCTUnwrap(result.text.split(separator: "\n").first)
        XCTAssertTrue(header.hasPrefix("## <stdin> · log · 2,000 lines"), String(header))
        XCTAssertTrue(header.contains("tokens (estimate)") && header.contains("≈"), String(header))
        XCTAssertTrue(result.stderr.contains("tokens (estimate)"), result.stderr)
    }

    func testArchiveLocationFollowsFlagEnvironmentAndXDG() {
        XCTAssertEqual(ArchiveLocation.resolve(explicit: "/a", environment: ["HEADROOM_ARCHIVE": "/b"]), "/a")
        XCTAssertEqual(ArchiveLocation.resolve(explicit: nil, environment: ["HEADROOM_ARCHIVE": "/b", "XDG_DATA_HOME": "/x"]), "/b")
        XCTAssertEqual(ArchiveLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]),
                       "/x/headroom-batch/archive")
        XCTAssertEqual(ArchiveLocation.resolve(explicit: nil, environment: ["HOME": "/h"]), "/h/.local/share/headroom-batch/archive")
    }

    func testStatsAndVerifyReportTheArchive() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let logs = [try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log"), try Paths.dataset("loghub-2k/Linux/Linux_2k.log")]
        XCTAssertEqual(try cli(["compress", "-q"] + logs).status, 0)
        let stats = try cli(["stats", "--json"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.stdout)) as? [String: Any])
        XCTAssertEqual(figures["references"] as? Int, 2)
        XCTAssertEqual(figures["sources"] as? Int, 2)
        let raw = try logs.map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as! Int }.reduce(0, +)
        XCTAssertEqual(figures["raw_bytes"] as? Int, raw)
        XCTAssertLessThan(figures["packed_bytes"] as? Int ?? .max, raw / 4)
        XCTAssertGreaterThan(figures["tokens_saved"] as? Int ?? 0, 0)
        let verify = try cli(["verify"])
        XCTAssertEqual(verify.status, 0)
        XCTAssertTrue(verify.stderr.contains("verified 2 references"), verify.stderr)
    }

    func testProgressLineOnlyWhenStderrIsATerminal() throws {
        let dir = try TemporaryDirectory()
        let log = try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log")
        let command = "'\(Paths.executable("headroom-batch"))' compress --archive '\(dir.file("archive"))' '\(log)' > /dev/null"
        // `script` runs the command on a pseudo-terminal and copies what it shows.
        let onTerminal = try runProcess("/usr/bin/script", ["-qec", command, "/dev/null"])
        XCTAssertTrue(onTerminal.text.contains("\r\u{1B}[Kheadroom-batch: \(log) · 286 KB read"), onTerminal.text)
        let piped = try runProcess("/bin/sh", ["-c", command])
        XCTAssertFalse(piped.stderr.contains("\u{1B}[K"), piped.stderr)
        XCTAssertTrue(piped.stderr.hasPrefix("headroom-batch: 1 input · 286 KB"), piped.stderr)
    }

    func testVerifyExitsOneNamingADamagedReferenceAndGCRemovesOldOnes() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let result = try cli(["compress", "-q", try Paths.dataset("loghub-2k/Zookeeper/Zookeeper_2k.log")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let id = try XCTUnwrap(result.text.split(separator: "\n").first?.components(separatedBy: " · ").last)
        // Damage one byte in the middle of the only segment.
        let segment = dir.file("archive/segments/1.zst")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let verify = try cli(["verify"])
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stderr.contains("BAD \(id)"), verify.stderr)
        XCTAssertTrue(verify.stderr.contains("1 bad"), verify.stderr)

        let badAge = try cli(["gc", "--older-than", "soon"])
        XCTAssertEqual(badAge.status, 64)
        XCTAssertTrue(badAge.stderr.contains("--older-than takes a number and a unit"), badAge.stderr)
        let keep = try cli(["gc", "--older-than", "30d"])
        XCTAssertEqual(keep.status, 0, keep.stderr)
        XCTAssertTrue(keep.stderr.contains("removed 0 references"), keep.stderr)
        let all = try cli(["gc", "--older-than", "0s"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stderr.contains("removed 1 references, 1 segments"), all.stderr)
        XCTAssertEqual(try cli(["verify"]).status, 0, "nothing left to be damaged")
        XCTAssertEqual(try cli(["retrieve", id]).status, 1, "the reference is gone")
    }

    func testInspectShowsTheKindAndWritesNothingAndKindOverrides() throws {
        let dir = try TemporaryDirectory()
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let diff = try Paths.dataset("tool-outputs/diffs/pytest_diff_9.1.0..9.1.1.diff")
        let inspect = try cli(["inspect", diff, try Paths.dataset("loghub-2k/HDFS/HDFS_2k.log"), dir.file("missing.log")])
        XCTAssertEqual(inspect.status, 1, "the missing input fails, the others are inspected")
        XCTAssertTrue(inspect.text.contains("kind: diff (33 file headers"), inspect.text)
        XCTAssertTrue(inspect.text.contains("kind: log ("), inspect.text)
        XCTAssertTrue(inspect.text.contains("size: 2,000 lines"), inspect.text)
        XCTAssertTrue(inspect.stderr.contains("missing.log"), inspect.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("archive")), "inspect never writes the archive")

        let compressed = try cli(["compress", "--kind", "text", "--format", "json", "-q", diff])
        XCTAssertEqual(compressed.status, 0, compressed.stderr)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(compressed.stdout)) as? [String: Any])
        let section = try XCTUnwrap((manifest["sections"] as? [[String: Any]])?.first)
        XCTAssertEqual(section["kind"] as? String, "text")
        XCTAssertTrue((section["kind_reason"] as? String ?? "").hasPrefix("set by --kind (the content looks like diff"), "\(section)")
        XCTAssertEqual(try cli(["compress", "--kind", "yaml", diff]).status, 64)
    }
}
