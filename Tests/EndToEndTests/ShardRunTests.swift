import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// `plan`, `run-shard` and `merge`, driven by a shell loop, GNU parallel and PySpark: the merged
/// archive and bundle equal those of one `compress` of the same inputs.
final class ShardRunTests: XCTestCase {
    /// The eight Loghub samples (170-380 KB each): two or three files a shard at 600 KB, none cut.
    private func corpus(_ dir: TemporaryDirectory) throws -> [String] {
        var paths: [String] = []
        try FileManager.default.createDirectory(atPath: dir.file("corpus"), withIntermediateDirectories: true)
        for system in ["HDFS", "Apache", "Zookeeper", "Spark", "OpenSSH", "Linux", "Hadoop", "BGL"] {
            let source = try Paths.dataset("loghub-2k/\(system)/\(system)_2k.log")
            paths.append(try dir.write("corpus/\(system.lowercased()).log", Array(try Data(contentsOf: URL(fileURLWithPath: source)))))
        }
        return paths
    }

    private func digests(_ archive: String) throws -> [String] {
        let result = try runProcess("/usr/bin/sqlite3", [archive + "/index.sqlite", "SELECT digest FROM refs ORDER BY digest"])
        return result.text.split(separator: "\n").map(String.init)
    }

    /// The single-machine run: one compress of the corpus directory.
    private func single(_ dir: TemporaryDirectory, _ cli: HeadroomCLI) throws -> (bundle: [UInt8], digests: [String]) {
        let result = try cli(["compress", dir.file("corpus")])
        XCTAssertEqual(result.status, 0, result.stderr)
        return (result.stdout, try digests(cli.archive))
    }

    private func plan(_ dir: TemporaryDirectory, _ cli: HeadroomCLI) throws -> [String] {
        let result = try cli(["plan", dir.file("corpus"), "--shard-bytes", "600K"])
        XCTAssertEqual(result.status, 0, result.stderr)
        _ = try dir.write("plan.jsonl", result.stdout)
        return result.text.split(separator: "\n").map(String.init)
    }

    private func checkMerged(_ dir: TemporaryDirectory, _ cli: HeadroomCLI, shards: Int,
                             single: (bundle: [UInt8], digests: [String])) throws {
        let shardDirs = (1...shards).map { dir.file("work/shard-" + String(format: "%06d", $0)) }
        let merged = try cli(["merge"] + shardDirs.reversed() + ["--into", dir.file("merged"), "--bundle", dir.file("merged.md")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertTrue(Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("merged.md")))) == single.bundle, "bundles differ")
        XCTAssertEqual(try digests(dir.file("merged")), single.digests)
        // Idempotent: merging again copies nothing and changes nothing.
        let again = try cli(["merge"] + shardDirs + ["--into", dir.file("merged"), "--bundle", dir.file("merged2.md")])
        XCTAssertTrue(again.stderr.contains("0 references copied"), again.stderr)
        XCTAssertEqual(try digests(dir.file("merged")), single.digests)
        let verify = try HeadroomCLI(archive: dir.file("merged"))(["verify"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
    }

    func testShellLoopOverShardsMergesToTheSingleRun() throws {
        let dir = try TemporaryDirectory()
        _ = try corpus(dir)
        let reference = try single(dir, HeadroomCLI(archive: dir.file("single")))
        let cli = HeadroomCLI(archive: dir.file("unused"))
        let lines = try plan(dir, cli)
        XCTAssertGreaterThanOrEqual(lines.count, 3)
        // The README's shell loop: one run-shard per line.
        let script = """
            while IFS= read -r shard; do
              printf '%s\\n' "$shard" | "$1" run-shard --out "$2" --tokenizer "$3" || exit 1
            done < "$4"
            """
        let loop = try runProcess("/bin/bash", ["-c", script, "loop", cli.binary, dir.file("work"), try Paths.tokenizer(), dir.file("plan.jsonl")])
        XCTAssertEqual(loop.status, 0, loop.stderr)
        XCTAssertEqual(loop.text.split(separator: "\n").count, lines.count)
        try checkMerged(dir, cli, shards: lines.count, single: reference)
    }

    func testGNUParallelOverShardsMergesToTheSingleRun() throws {
        let dir = try TemporaryDirectory()
        _ = try corpus(dir)
        let reference = try single(dir, HeadroomCLI(archive: dir.file("single")))
        let cli = HeadroomCLI(archive: dir.file("unused"))
        let lines = try plan(dir, cli)
        let parallel = try runProcess("/usr/bin/parallel", ["--pipe", "-N1", "-j2", cli.binary, "run-shard", "--out", dir.file("work"),
                                                           "--tokenizer", try Paths.tokenizer()],
                                      input: Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("plan.jsonl")))))
        XCTAssertEqual(parallel.status, 0, parallel.stderr)
        try checkMerged(dir, cli, shards: lines.count, single: reference)
    }

    func testSparkLocalModeMergesToTheSingleRun() throws {
        let python = ProcessInfo.processInfo.environment["HEADROOM_SPARK_PYTHON"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/spark-venv/bin/python").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: python), "no Python with pyspark at \(python): `make test` installs one")
        let dir = try TemporaryDirectory()
        _ = try corpus(dir)
        let reference = try single(dir, HeadroomCLI(archive: dir.file("single")))
        let cli = HeadroomCLI(archive: dir.file("unused"))
        let lines = try plan(dir, cli)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("pipelines/spark_compress.py").path
        let spark = try runProcess(python, [script, dir.file("corpus"), "--shard-bytes", "600K", "--work", dir.file("work"),
                                            "--into", dir.file("merged"), "--bundle", dir.file("merged.md"), "--binary", cli.binary,
                                            "--master", "local[2]", "--", "--tokenizer", try Paths.tokenizer()])
        XCTAssertEqual(spark.status, 0, spark.stderr)
        XCTAssertTrue(Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("merged.md")))) == reference.bundle, "bundles differ")
        XCTAssertEqual(try digests(dir.file("merged")), reference.digests)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.file("work")).filter { $0.hasPrefix("shard-") }.count, lines.count)
    }

    func testACutFileIsSectionsOfByteRangesThatRetrieveExactly() throws {
        let dir = try TemporaryDirectory()
        let source = try Paths.dataset("loghub-2k/BGL/BGL_2k.log")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: source)))
        let path = try dir.write("bgl.log", bytes)
        let cli = HeadroomCLI(archive: dir.file("unused"))
        let planned = try cli(["plan", path, "--shard-bytes", "100K"])
        let lines = planned.text.split(separator: "\n")
        XCTAssertEqual(lines.count, (bytes.count + 100 * 1024 - 1) / (100 * 1024))
        let run = try cli(["run-shard", "--out", dir.file("work"), "--tokenizer", try Paths.tokenizer()], input: planned.stdout)
        XCTAssertEqual(run.status, 0, run.stderr)
        let merged = try cli(["merge"] + (1...lines.count).map { dir.file("work/shard-" + String(format: "%06d", $0)) }
                             + ["--into", dir.file("merged"), "--bundle", dir.file("merged.md")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        // Each range is a section `bgl.log [bytes A-B]` cut after a newline; its reference gives its bytes back.
        let bundle = try String(contentsOfFile: dir.file("merged.md"), encoding: .utf8)
        let headers = bundle.split(separator: "\n").filter { $0.hasPrefix("## ") }
        XCTAssertEqual(headers.count, lines.count)
        var rebuilt: [UInt8] = []
        for (index, header) in headers.enumerated() {
            let reference = try XCTUnwrap(header.split(separator: " ").last.map(String.init))
            let retrieved = try HeadroomCLI(archive: dir.file("merged"))(["retrieve", reference])
            XCTAssertEqual(retrieved.status, 0, retrieved.stderr)
            if index < headers.count - 1 { XCTAssertEqual(retrieved.stdout.last, 10, "a range ends at a line end") }
            rebuilt += retrieved.stdout
        }
        XCTAssertTrue(rebuilt == bytes)
    }
}
