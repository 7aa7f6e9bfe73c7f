import Foundation
import HeadroomBatch
import TestSupport
import XCTest

/// Containers unpacked into sections: tars (plain and compressed), odd member names, broken
/// archives.
final class ContainerTests: XCTestCase {
    private func sampleTar() throws -> (tar: [UInt8], members: [(name: String, bytes: [UInt8])]) {
        let json = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/json/labels.normalized-fixture.json"))))
        let search = Array(try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/code-search/pytest_rg_import_os.txt"))))
        let log = Array((1...300).map { "2026-01-01 10:00:\($0 % 60) INFO request \($0) served\n" }.joined().utf8)
        let deep = "calls/" + String(repeating: "nested-directory/", count: 8) + "result.log"
        let members = [("calls/01-labels.json", json), ("calls/02-rg.txt", search), (deep, log)]
        var writer = TarWriter()
        writer.directory("calls/")
        for (name, bytes) in members { writer.file(name, bytes) }
        writer.symlink("calls/link", to: "01-labels.json")
        return (writer.archive, members)
    }

    func testEveryMemberOfATarBecomesASectionThatRetrievesExactly() throws {
        let dir = try TemporaryDirectory()
        let (tar, members) = try sampleTar()
        let plain = try dir.write("calls.tar", tar)
        let zipped = plain + ".zst"
        XCTAssertEqual(try runProcess("/usr/bin/zstd", ["-q", "-f", plain, "-o", zipped]).status, 0)
        let gzipped = dir.file("calls.tgz")
        let gzip = try runProcess("/bin/gzip", ["-c", plain])
        XCTAssertEqual(gzip.status, 0)
        try dir.write("calls.tgz", gzip.stdout)
        let cli = HeadroomCLI(archive: dir.file("archive"))
        for path in [plain, zipped, gzipped] {
            let result = try cli(["compress", "--format", "json", path])
            XCTAssertEqual(result.status, 0, result.stderr)
            let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
            let sections = try XCTUnwrap(manifest["sections"] as? [[String: Any]])
            XCTAssertEqual(sections.map { $0["source"] as? String }, members.map { "\(path):\($0.name)" },
                           "regular files only, in tar order, titled by the container and the member")
            XCTAssertEqual(sections.map { $0["kind"] as? String }, ["json", "search", "log"])
            for (section, member) in zip(sections, members) {
                let reference = try XCTUnwrap(section["reference"] as? String)
                let original = try cli(["retrieve", reference])
                XCTAssertEqual(original.stdout, member.bytes, member.name)
            }
        }
        let whole = try cli(["compress", "--no-unpack", "--format", "json", plain])
        let sections = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(whole.stdout)) as? [String: Any])?["sections"] as? [Any])
        XCTAssertEqual(sections.count, 1, "--no-unpack compresses the tar as one input")
    }

    func testMemberNamesThatClimbOutAreOnlyNames() throws {
        let dir = try TemporaryDirectory()
        var writer = TarWriter()
        writer.file("../../escaped.log", "ERROR outside\n")
        writer.file("/etc/absolute.log", "ERROR absolute\n")
        let path = try dir.write("evil.tar", writer.archive)
        try FileManager.default.createDirectory(atPath: dir.file("out/inner"), withIntermediateDirectories: true)
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let result = try cli(["compress", "--out-dir", dir.file("out/inner"), path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.file("out/inner")).sorted()
        XCTAssertEqual(written.count, 4, "\(written)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.file("out")), ["inner"], "nothing written beside the output directory")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("escaped.log")))
        let bundle = try cli(["compress", path]).text
        XCTAssertTrue(bundle.contains("## \(path):../../escaped.log"), bundle)
        XCTAssertTrue(bundle.contains("ERROR absolute"), bundle)
    }

    func testATruncatedTarKeepsTheMembersBeforeTheBreak() throws {
        let dir = try TemporaryDirectory()
        let (tar, members) = try sampleTar()
        // Cut inside the third member's content.
        let cut = tar.count - 1024 - 2048
        let path = try dir.write("cut.tar", Array(tar[0..<cut]))
        let other = try dir.write("other.log", "ERROR still here\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let result = try cli(["compress", path, other])
        XCTAssertEqual(result.status, 1, "a broken input fails the run")
        XCTAssertTrue(result.stderr.contains("cut.tar") && result.stderr.contains("truncated tar"), result.stderr)
        XCTAssertTrue(result.text.contains("## \(path):\(members[0].name)"), result.text)
        XCTAssertTrue(result.text.contains("ERROR still here"), "the other inputs go on")
    }

    /// One line of JSON for `object`.
    private func jsonLine(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    func testEveryToolResultOfATranscriptBecomesASection() throws {
        let dir = try TemporaryDirectory()
        let search = String(decoding: try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/code-search/pytest_rg_import_os.txt"))), as: UTF8.self)
        let json = String(decoding: try Data(contentsOf: URL(fileURLWithPath: try Paths.dataset("tool-outputs/json/labels.normalized-fixture.json"))), as: UTF8.self)
        let lines = [
            try jsonLine(["role": "user", "content": "find the imports of os"]),
            try jsonLine(["role": "assistant", "content": "", "tool_calls": [["id": "call_1", "type": "function",
                "function": ["name": "grep", "arguments": "{\"pattern\":\"import os\"}"]]]]),
            try jsonLine(["role": "tool", "tool_call_id": "call_1", "content": search]),
            try jsonLine(["type": "assistant", "message": ["role": "assistant", "content": [
                ["type": "tool_use", "id": "toolu_9", "name": "fetch_labels", "input": ["repo": "octokit-fixture-org/labels"]]]]]),
            "{\"role\": \"user\", this line is broken",
            try jsonLine(["type": "user", "message": ["role": "user", "content": [
                ["type": "tool_result", "tool_use_id": "toolu_9", "content": [["type": "text", "text": json]]]]]]),
            try jsonLine(["tool": "bash", "input": ["command": "uname -a"], "output": "Linux ci 6.1.0 x86_64 GNU/Linux\n"]),
        ]
        let path = try dir.write("session.jsonl", lines.joined(separator: "\n") + "\n")
        let cli = HeadroomCLI(archive: dir.file("archive"))
        let result = try cli(["compress", "--format", "json", path])
        XCTAssertEqual(result.status, 1, "the broken line is an error of its own")
        XCTAssertTrue(result.stderr.contains("\(path):5") && result.stderr.contains("line 5 is not JSON"), result.stderr)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let sections = try XCTUnwrap(manifest["sections"] as? [[String: Any]])
        XCTAssertEqual(sections.map { $0["source"] as? String ?? "" }, [
            "\(path) · conversation (3 lines without tool results)",
            "\(path):3 · grep {\"pattern\":\"import os\"}",
            "\(path):5",
            "\(path):6 · fetch_labels {\"repo\":\"octokit-fixture-org/labels\"}",
            "\(path):7 · bash {\"command\":\"uname -a\"}",
        ])
        XCTAssertEqual(sections.map { $0["kind"] as? String ?? "" }, ["jsonl", "search", "json", "json", "log"])
        let expected: [[UInt8]] = [
            Array(([lines[0], lines[1], lines[3]].joined(separator: "\n") + "\n").utf8),
            Array(search.utf8), Array(lines[4].utf8), Array(json.utf8), Array("Linux ci 6.1.0 x86_64 GNU/Linux\n".utf8),
        ]
        for (section, bytes) in zip(sections, expected) {
            let original = try cli(["retrieve", try XCTUnwrap(section["reference"] as? String)])
            XCTAssertEqual(original.stdout, bytes, section["source"] as? String ?? "")
        }
    }
}
