import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Kills mid-write and concurrent writers: the archive stays valid, every reference in it (and
/// every reference a bundle printed) expands to its exact bytes.
final class ReliabilityTests: XCTestCase {
    private static let smallInputs = [
        "loghub-2k/HDFS/HDFS_2k.log", "loghub-2k/Hadoop/Hadoop_2k.log", "loghub-2k/Spark/Spark_2k.log",
        "loghub-2k/Zookeeper/Zookeeper_2k.log", "loghub-2k/BGL/BGL_2k.log", "loghub-2k/Linux/Linux_2k.log",
        "loghub-2k/Apache/Apache_2k.log", "loghub-2k/OpenSSH/OpenSSH_2k.log",
    ]

    func testSIGKILLAtRandomMomentsLeavesAValidArchive() throws {
        let dir = try TemporaryDirectory()
        let big = dir.file("big.log")
        try generateLog(big, megabytes: 300, seed: 11)
        let small = try Self.smallInputs.prefix(3).map { try Paths.dataset($0) }
        let archive = dir.file("archive")
        let cli = HeadroomCLI(archive: archive)
        // Each run also gets 130 new pieces of about 256 KB: it commits every 64 sources, so kills
        // land before, between and during commits, and every run has new bytes to write.
        func inputs(_ run: Int) throws -> [String] {
            let pieces = try makePieces(dir, run: run)
            let unique = try dir.write("unique-\(run).log", "2024-01-01 00:00:00 INFO run \(run)\n2024-01-01 00:00:01 ERROR only in run \(run)\n")
            return run % 2 == 0 ? [pieces, small[0], unique, big, small[1]] : [small[2], big, unique, pieces, small[0]]
        }

        // How long a whole run takes here, so the kills spread over all of it.
        let calibration = HeadroomCLI(archive: dir.file("calibration"))
        var started = Date()
        let full = try calibration(["compress", "--jobs", "2"] + (try inputs(-1)))
        var duration = Date().timeIntervalSince(started)
        XCTAssertEqual(full.status, 0, full.stderr)
        try FileManager.default.removeItem(atPath: calibration.archive)
        print("kill test: a whole run (300 MB + 130 pieces) takes \(String(format: "%.2f", duration)) s")

        var seed = UInt64.random(in: 1...UInt64.max)
        if let fixed = ProcessInfo.processInfo.environment["HB_KILL_SEED"].flatMap(UInt64.init) { seed = fixed }
        print("kill test: seed \(seed) (set HB_KILL_SEED to repeat)")
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        // Three early kills at fixed times, then one in each tenth of a run, in random order.
        // Runs get shorter once the big input is archived (no new bytes to sync): a run that ends
        // before its kill sets the length the later fractions apply to.
        var fractions = (0..<10).map { (Double($0) + uniform()) / 10 }
        for i in stride(from: fractions.count - 1, to: 0, by: -1) { fractions.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        var schedule: [(fixed: Double?, fraction: Double)] = [(0.05, 0), (0.15, 0), (0.4, 0)] + fractions.map { (nil, $0) }

        var kills = 0
        var run = 0
        while run < schedule.count {
            defer { run += 1 }
            let delay = schedule[run].fixed ?? max(0.05, duration * schedule[run].fraction)
            let output = dir.file("out-\(run)")
            let process = try startCompress(cli, try inputs(run), stdout: output)
            started = Date()
            while process.isRunning && Date().timeIntervalSince(started) < delay { usleep(2_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal
            if killed {
                kills += 1
            } else {
                XCTAssertEqual(process.terminationStatus, 0, "run \(run) finished before its kill")
                duration = Date().timeIntervalSince(started)
                if kills < 10 && schedule.count < 25 { schedule.append((nil, 0.9 * uniform())) }
            }
            let indexed = try assertArchiveValid(cli, printed: try EndToEnd.contents(output), context: "run \(run)")
            print("kill test: run \(run) after \(String(format: "%.3f", delay)) s: \(killed ? "killed" : "finished"), \(indexed) references indexed")
            try FileManager.default.removeItem(atPath: dir.file("pieces-\(run)"))
        }
        XCTAssertGreaterThanOrEqual(kills, 10, "at least ten runs were killed mid-way")

        // A whole run afterwards succeeds, and everything it names retrieves exactly.
        let last = try cli(["compress", "--jobs", "2"] + (try inputs(schedule.count)))
        XCTAssertEqual(last.status, 0, last.stderr)
        let sections = EndToEnd.sections(last.stdout)
        XCTAssertEqual(sections.count, 4 + 130)
        XCTAssertTrue(sections.contains { $0.source == big })
        let opened = try Archive(path: archive, create: false)
        for section in sections {
            try assertRetrievesExactly(opened, section.reference, file: section.source)
        }
        XCTAssertGreaterThanOrEqual(try assertArchiveValid(cli, printed: last.stdout, context: "final run"), 4 + 130)
        // Bytes left by killed writers past the committed end were cut off.
        let stats = try opened.stats()
        let segments = try FileManager.default.contentsOfDirectory(atPath: archive + "/segments")
        let onDisk = try segments.reduce(0) {
            $0 + ((try FileManager.default.attributesOfItem(atPath: archive + "/segments/" + $1)[.size] as? Int) ?? 0)
        }
        XCTAssertEqual(onDisk, stats.segmentBytes, "segment files hold only committed bytes")
    }

    /// `pieces-<run>/`: 130 files of about 256 KB, cut at line ends from a log generated for this run.
    private func makePieces(_ dir: TemporaryDirectory, run: Int) throws -> String {
        let pieces = dir.file("pieces-\(run)")
        let source = pieces + ".source"
        try generateLog(source, megabytes: 34, seed: UInt64(1000 + run))
        try FileManager.default.createDirectory(atPath: pieces, withIntermediateDirectories: false)
        let reader = try XCTUnwrap(FileHandle(forReadingAtPath: source))
        var carry = Data()
        for piece in 0..<130 {
            var chunk = carry + reader.readData(ofLength: 256 << 10)
            let cut = try XCTUnwrap(chunk.lastIndex(of: 10)) + 1
            carry = chunk.subdata(in: cut..<chunk.endIndex)
            chunk = chunk.subdata(in: chunk.startIndex..<cut)
            try chunk.write(to: URL(fileURLWithPath: pieces + String(format: "/piece-%03d.log", piece)))
        }
        try reader.close()
        try FileManager.default.removeItem(atPath: source)
        return pieces
    }

    func testFourWritersIntoOneArchive() throws {
        let dir = try TemporaryDirectory()
        let archive = dir.file("archive")
        let cli = HeadroomCLI(archive: archive)
        let shared = dir.file("shared.log")
        try generateLog(shared, megabytes: 40, seed: 5)
        let datasets = try Self.smallInputs.map { try Paths.dataset($0) }

        // Round 1 creates the archive, all four at once; round 2 writes into the existing one.
        var expectedReferences = 0
        for round in 1...2 {
            var inputs: [[String]] = []
            for writer in 0..<4 {
                let own = dir.file("round\(round)-writer\(writer).log")
                try generateLog(own, megabytes: round == 1 ? 8 + 4 * writer : 3, seed: UInt64(100 * round + writer))
                inputs.append(round == 1 ? [own, shared, datasets[2 * writer], datasets[2 * writer + 1]] : [shared, own])
            }
            let processes = try inputs.enumerated().map { writer, files in
                try startCompress(cli, files, stdout: dir.file("round\(round)-out\(writer)"))
            }
            let deadline = Date().addingTimeInterval(120)
            for process in processes {
                while process.isRunning && Date() < deadline { usleep(20_000) }
                if process.isRunning {
                    XCTFail("a writer hangs; killing it")
                    kill(process.processIdentifier, SIGKILL)
                }
                process.waitUntilExit()
            }
            var sharedReferences = Set<String>()
            let opened = try Archive(path: archive, create: false)
            for (writer, process) in processes.enumerated() {
                let stderr = String(decoding: try EndToEnd.contents(dir.file("round\(round)-out\(writer).err")), as: UTF8.self)
                XCTAssertEqual(process.terminationReason, .exit, "round \(round) writer \(writer)")
                XCTAssertEqual(process.terminationStatus, 0, "round \(round) writer \(writer): \(stderr)")
                let sections = EndToEnd.sections(try EndToEnd.contents(dir.file("round\(round)-out\(writer)")))
                XCTAssertEqual(sections.map(\.source), inputs[writer], "round \(round) writer \(writer)")
                for section in sections {
                    if section.source == shared { sharedReferences.insert(section.reference) }
                    try assertRetrievesExactly(opened, section.reference, file: section.source, markersIn: section)
                }
            }
            XCTAssertEqual(sharedReferences.count, 1, "the shared input has a single reference")
            expectedReferences += round == 1 ? 4 + 8 + 1 : 4
            let references = try opened.references()
            XCTAssertEqual(references.count, expectedReferences)
            XCTAssertEqual(references.filter { sharedReferences.contains($0.id.description) }.count, 1)
            let verify = try cli(["verify"])
            XCTAssertEqual(verify.status, 0, verify.stderr)
            XCTAssertTrue(verify.stderr.contains("verified \(expectedReferences) references"), verify.stderr)
        }
    }

    // MARK: - Helpers

    /// A realistic log of about `megabytes` MB: `hb-loggen` when it is built, else dataset logs
    /// repeated with varying prefixes.
    private func generateLog(_ path: String, megabytes: Int, seed: UInt64) throws {
        let generator = Paths.executable("hb-loggen")
        if FileManager.default.isExecutableFile(atPath: generator) {
            let result = try runProcess(generator, ["--size", "\(megabytes)M", "--seed", "\(seed)", "--output", path])
            if result.status == 0 { return }
            print("hb-loggen failed (\(result.status)): \(result.stderr); generating in the test")
        }
        let sources = try Self.smallInputs.map { try EndToEnd.contents(try Paths.dataset($0)) }
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw CocoaError(.fileWriteUnknown) }
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        var random = SplitMix64(seed: seed)
        var written = 0
        while written < megabytes << 20 {
            let source = sources[Int(random.next() % UInt64(sources.count))]
            let tag = Array("node-\(random.next() % 1000) ".utf8)
            var chunk: [UInt8] = []
            chunk.reserveCapacity(source.count + source.count / 8)
            for line in source.split(separator: 10, omittingEmptySubsequences: false).dropLast() {
                chunk += tag
                chunk += line
                chunk.append(10)
            }
            handle.write(Data(chunk))
            written += chunk.count
        }
    }

    /// Starts `compress --jobs 2` with stdout to `stdout` and stderr to `stdout.err`.
    private func startCompress(_ cli: HeadroomCLI, _ inputs: [String], stdout: String) throws -> Process {
        var arguments = ["compress", "--jobs", "2", "--archive", cli.archive] + inputs
        arguments += ["--tokenizer", try Paths.tokenizer()]
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        _ = FileManager.default.createFile(atPath: stdout + ".err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli.binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
        process.standardError = FileHandle(forWritingAtPath: stdout + ".err")
        try process.run()
        return process
    }

    /// `verify` passes; every indexed reference retrieves with its size; every reference a
    /// (possibly cut-off) bundle printed is indexed and retrieves exactly.
    @discardableResult
    private func assertArchiveValid(_ cli: HeadroomCLI, printed: [UInt8], context: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: cli.archive + "/index.sqlite") else {
            // Killed before the archive had an index: it printed nothing, and verify says why.
            XCTAssertTrue(EndToEnd.sections(printed).isEmpty, context)
            let verify = try cli(["verify"])
            XCTAssertEqual(verify.status, 2, "\(context): \(verify.stderr)")
            XCTAssertTrue(verify.stderr.contains("no archive here") || verify.stderr.contains("index.sqlite is missing"),
                          "\(context): \(verify.stderr)")
            return 0
        }
        let verify = try cli(["verify"])
        XCTAssertEqual(verify.status, 0, "\(context): \(verify.stderr)")
        let archive = try Archive(path: cli.archive, create: false)
        let references = try archive.references()
        for reference in references {
            var size = 0
            try archive.retrieve(ReferenceQuery(id: reference.id)) { size += $0.count }
            XCTAssertEqual(size, reference.size, "\(context): \(reference.id)")
        }
        let indexed = Set(references.map(\.id.description))
        // A killed run may have printed part of a line: only whole header lines count.
        let whole = Array(printed[..<((printed.lastIndex(of: 10) ?? -1) + 1)])
        for section in EndToEnd.sections(whole) {
            guard indexed.contains(section.reference) else {
                XCTFail("\(context): the bundle names \(section.reference) (\(section.source)), which is not in the archive")
                continue
            }
            try assertRetrievesExactly(archive, section.reference, file: section.source)
        }
        return references.count
    }

    /// The reference retrieves exactly the bytes of `file` (compared in pieces, files may be
    /// large); with a section, so do its marker ranges (all of them, or 100 spread over the
    /// section when there are more: each one decompresses a block).
    private func assertRetrievesExactly(_ archive: Archive, _ reference: String, file path: String,
                                        markersIn section: EndToEnd.Section? = nil) throws {
        let query = try ReferenceQuery.parse(reference)
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        var equal = true
        var size = 0
        try archive.retrieve(query) { bytes in
            size += bytes.count
            guard equal else { return }
            let expected = handle.readData(ofLength: bytes.count)
            equal = expected.count == bytes.count && expected.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
        }
        equal = equal && handle.readData(ofLength: 1).isEmpty
        XCTAssertTrue(equal, "\(reference) retrieves exactly \(path) (\(size) bytes)")
        guard let section else { return }
        let original = try EndToEnd.contents(path)
        var starts = [0]
        for (offset, byte) in original.enumerated() where byte == 10 { starts.append(offset + 1) }
        let markers = markerRanges(in: String(decoding: section.body, as: UTF8.self))
        let step = max(1, markers.count / 100)
        for marker in stride(from: 0, to: markers.count, by: step).map({ markers[$0] }) {
            var retrieved: [UInt8] = []
            try archive.retrieve(ReferenceQuery.parse("\(marker.reference):\(marker.first)-\(marker.last)")) { retrieved += $0 }
            let expected = original[starts[marker.first - 1]..<min(starts.count > marker.last ? starts[marker.last] : original.count, original.count)]
            XCTAssertTrue(retrieved.elementsEqual(expected), "\(path) \(marker.first)-\(marker.last)")
        }
    }
}

