@testable import HeadroomBatch
import Foundation
import TestSupport
import XCTest

final class TemplateMinerTests: XCTestCase {
    // MARK: - Header detection

    private func message(_ line: String) -> String {
        let bytes = Array(line.utf8)
        let start = bytes.withUnsafeBytes { LineHeader.messageStart($0) }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    func testHeadersOfCommonFormatsAreSeparated() {
        XCTAssertEqual(message("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating"),
                       "PacketResponder 1 for block blk_38865049064139660 terminating")
        XCTAssertEqual(message("2015-10-18 18:01:48,963 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Kind: YARN_AM_RM_TOKEN, Service: "),
                       "Kind: YARN_AM_RM_TOKEN, Service: ")
        XCTAssertEqual(message("2015-10-18 18:10:20,183 WARN [IPC Server handler 5 on 62270] org.apache.hadoop.ipc.Server: Slow"), "Slow")
        XCTAssertEqual(message("17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi"),
                       "Changing view acls to: yarn,curi")
        XCTAssertEqual(message("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200"),
                       "Notification time out: 3200")
        XCTAssertEqual(message("- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"),
                       "instruction cache parity error corrected")
        XCTAssertEqual(message("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname="),
                       "authentication failure; logname=")
        XCTAssertEqual(message("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"),
                       "Invalid user webmaster from 173.234.31.186")
        XCTAssertEqual(message("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6"),
                       "mod_jk child workerEnv in error state 6")
        XCTAssertEqual(message("2026-03-14T09:26:53.123Z ERROR payments: charge failed"), "charge failed")
        XCTAssertEqual(message("1700000000 WARN disk almost full"), "disk almost full")
        XCTAssertEqual(message("plain message without a header"), "plain message without a header")
        // Formats of other Loghub systems (not in the GA test).
        XCTAssertEqual(message("- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root"),
                       "session closed for user root")
        XCTAssertEqual(message("03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app"),
                       "printFreezingDisplayLogsopening app")
        XCTAssertEqual(message("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096 113d3a99c3da - - -] 10.11.10.1 \"GET /v2/servers/detail HTTP/1.1\" status: 200"),
                       "10.11.10.1 \"GET /v2/servers/detail HTTP/1.1\" status: 200")
        XCTAssertEqual(message("[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy"),
                       "proxy.cse.cuhk.edu.hk:5070 open through proxy")
        XCTAssertEqual(message("Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback - HPD"),
                       "IOThunderboltSwitch<0>(0x0)::listenerCallback - HPD")
        XCTAssertEqual(message("2024-01-02 10:00:00.123 ERROR 4242 --- [nio-8080-exec-1] c.e.demo.Controller : boom"),
                       "boom")
    }

    // MARK: - Masking

    private func shapes(_ message: String) -> [String] {
        let bytes = Array(message.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> [String] in
            var masker = TokenMasker()
            masker.tokenize(buffer.baseAddress!, start: 0, end: buffer.count)
            return masker.tokens.map { String(decoding: TokenMasker.render(buffer.baseAddress!, $0), as: UTF8.self) }
        }
    }

    func testVariablesAreMasked() {
        XCTAssertEqual(shapes("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010"),
                       ["Receiving", "block", "<*>", "src:", "<*>:<*>", "dest:", "<*>:<*>"])
        XCTAssertEqual(shapes("rhost=218.188.2.4 uid=0 user=root"), ["rhost=<*>", "uid=<*>", "user=root"])
        XCTAssertEqual(shapes("Saved output of task 'attempt 1 2' to hdfs://host/x"),
                       ["Saved", "output", "of", "task", "'<*>'", "to", "hdfs:<*>"])
        XCTAssertEqual(shapes("id 123e4567-e89b-12d3-a456-426614174000 took 12ms size 64MB at /var/log/x"),
                       ["id", "<*>", "took", "<*>", "size", "<*>", "at", "<*>"])
        XCTAssertEqual(shapes("couldn't open 0x7ffe at Fri Jul 22 09:27:24 2005"),
                       ["couldn't", "open", "<*>", "at", "<*>", "<*>", "<*>", "<*>:<*>:<*>", "<*>"])
    }

    func testTokensAreHashedByShape() {
        let a = Array("Got assigned task 12".utf8), b = Array("Got assigned task 345".utf8)
        var m1 = TokenMasker(), m2 = TokenMasker()
        a.withUnsafeBufferPointer { m1.tokenize($0.baseAddress!, start: 0, end: $0.count) }
        b.withUnsafeBufferPointer { m2.tokenize($0.baseAddress!, start: 0, end: $0.count) }
        XCTAssertEqual(m1.tokens.map(\.hash), m2.tokens.map(\.hash))
        XCTAssertEqual(m1.tokens.last?.hash, TokenMasker.wildcard)
    }

    // MARK: - Mining

    func testMinerGroupsAndIsDeterministic() {
        let lines = [
            "2015-10-18 18:01:47,978 INFO [main] app.Main: user alice logged in from 10.0.0.1",
            "2015-10-18 18:01:48,978 INFO [main] app.Main: user bob logged in from 10.0.0.2",
            "2015-10-18 18:01:49,978 WARN [worker 3] app.Disk: disk /dev/sda1 is 91% full",
            "2015-10-18 18:01:50,978 INFO [main] app.Main: user carol logged in from 10.0.0.3",
        ]
        func run() -> ([TemplateID], [MinedTemplate]) {
            var options = TemplateMiner.Options()
            options.recordAssignments = true
            let miner = TemplateMiner(options: options)
            for line in lines { miner.add(Array(line.utf8)) }
            return (miner.assignments(), miner.templates)
        }
        let (ids, templates) = run()
        XCTAssertEqual(ids[0], ids[1])
        XCTAssertEqual(ids[0], ids[3])
        XCTAssertNotEqual(ids[0], ids[2])
        XCTAssertEqual(templates.map(\.text), ["user <*> logged in from <*>", "disk <*> is <*> full"])
        XCTAssertEqual(templates[0].count, 3)
        XCTAssertEqual(templates[0].firstLine, 1)
        XCTAssertEqual(templates[0].lastLine, 4)
        XCTAssertEqual(templates[0].id, TemplateID(text: "user <*> logged in from <*>"))
        XCTAssertEqual(templates[0].id.description.count, 16)
        XCTAssertEqual(run().0, ids)
    }

    func testSignatureLimitBoundsMemoryAndKeepsEveryLine() {
        var options = TemplateMiner.Options()
        options.recordAssignments = true
        options.signatureLimit = 4
        let miner = TemplateMiner(options: options)
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
        for (i, w) in words.enumerated() { miner.add(Array("job \(w) finished in \(i) ms".utf8)) }
        miner.add(Array("disk full".utf8))
        let ids = miner.assignments()
        XCTAssertEqual(ids.count, 9)
        XCTAssertEqual(Set(ids[0..<8]).count, 1)
        XCTAssertEqual(miner.templates.map(\.count).reduce(0, +), 9)
        XCTAssertEqual(miner.templates.first?.text, "job <*> finished in <*> <*>")
    }

    func testFewWordValuesSplitAndManyMerge() {
        var options = TemplateMiner.Options()
        options.recordAssignments = true
        let miner = TemplateMiner(options: options)
        for i in 0..<20 {
            miner.add(Array("Failed \(i % 5 == 0 ? "none" : "password") for invalid user u\(["ann", "bob", "cy", "dee", "eve", "flo"][i % 6]) from 10.0.0.\(i)".utf8))
        }
        let texts = Set(miner.templates.map(\.text))
        XCTAssertEqual(texts, ["Failed none for invalid user <*> from <*>", "Failed password for invalid user <*> from <*>"])
    }

    func testChunkedMiningMatchesSequentialWhateverTheChunkSize() throws {
        var lines: [[UInt8]] = []
        for system in Loghub.systems {
            let text = try String(contentsOfFile: try Paths.dataset("loghub-2k/\(system)/\(system)_2k.log"), encoding: .utf8)
            lines += text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        }
        lines.append([])
        var options = TemplateMiner.Options()
        options.recordAssignments = true
        let sequential = TemplateMiner(options: options)
        for line in lines { sequential.add(line) }
        let expected = sequential.assignments()
        for chunkSize in [1, 777, 5000] {
            let chunks: [ChunkSignatures] = stride(from: 0, to: lines.count, by: chunkSize).map { start in
                var chunk = ChunkSignatures()
                for line in lines[start..<min(lines.count, start + chunkSize)] { chunk.add(line) }
                return chunk
            }
            let chunked = TemplateMiner(options: options)
            for chunk in chunks { chunked.absorb(chunk) }
            XCTAssertEqual(chunked.assignments(), expected, "chunk size \(chunkSize)")
            XCTAssertEqual(chunked.templates.map(\.text), sequential.templates.map(\.text))
            XCTAssertEqual(chunked.templates.map(\.count), sequential.templates.map(\.count))
        }
    }

    // MARK: - Grouping accuracy on Loghub-2k, raw lines in



    /// Thresholds asserted: what the miner reaches with default options (0.9885 lowest, 0.9955
    /// mean), above the issue's targets of 0.90 per system and 0.95 on average.
    static let minimumPerSystem = 0.98
    static let minimumMean = 0.99

    func testGroupingAccuracyOnLoghub2k() throws {
        var table = "system      lines  templates  truth  GA\n"
        var total = 0.0
        var failures: [String] = []
        for system in Loghub.systems {
            let log = try Paths.dataset("loghub-2k/\(system)/\(system)_2k.log")
            let csv = try Paths.dataset("loghub-2k/\(system)/\(system)_2k.log_structured_corrected.csv")
            let truth = try Loghub.eventIDs(csv)
            var options = TemplateMiner.Options()
            options.recordAssignments = true
            let miner = TemplateMiner(options: options)
            let data = try Data(contentsOf: URL(fileURLWithPath: log))
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var start = 0
                let bytes = raw.bindMemory(to: UInt8.self)
                for i in 0..<bytes.count where bytes[i] == 0x0A {
                    miner.add(UnsafeRawBufferPointer(rebasing: raw[start..<i]))
                    start = i + 1
                }
                if start < bytes.count { miner.add(UnsafeRawBufferPointer(rebasing: raw[start...])) }
            }
            let predicted = miner.assignments()
            XCTAssertEqual(predicted.count, truth.count, "\(system): line count")
            let ga = Loghub.groupingAccuracy(predicted: predicted.map(\.value), truth: truth)
            total += ga
            let templates = Set(predicted).count
            table += system.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: "%7d  %9d  %5d  %.4f\n", predicted.count, templates, Set(truth).count, ga)
            if ga < Self.minimumPerSystem { failures.append(system) }
            if ProcessInfo.processInfo.environment["HB_TEMPLATE_DEBUG"] == system {
                Self.printErrors(miner: miner, predicted: predicted, truth: truth)
            }
        }
        let mean = total / Double(Loghub.systems.count)
        table += String(format: "mean                                   %.4f\n", mean)
        print(table)
        XCTAssertTrue(failures.isEmpty, "GA below \(Self.minimumPerSystem): \(failures)")
        XCTAssertGreaterThanOrEqual(mean, Self.minimumMean)
    }

    /// Debugging aid (HB_TEMPLATE_DEBUG=<system>): the true events split or merged wrongly.
    static func printErrors(miner: TemplateMiner, predicted: [TemplateID], truth: [String]) {
        var byTruth: [String: [TemplateID: Int]] = [:]
        var byPredicted: [TemplateID: [String: Int]] = [:]
        for (p, t) in zip(predicted, truth) {
            byTruth[t, default: [:]][p, default: 0] += 1
            byPredicted[p, default: [:]][t, default: 0] += 1
        }
        let texts = Dictionary(miner.templates.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
        for (t, ps) in byTruth.sorted(by: { $0.key < $1.key }) where ps.count > 1 {
            print("SPLIT \(t): " + ps.map { "\($0.value)× \(texts[$0.key] ?? "?")" }.joined(separator: " | "))
        }
        for (p, ts) in byPredicted where ts.count > 1 {
            print("MERGED \(texts[p] ?? "?"): " + ts.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))
        }
    }
}
