import Foundation
import HeadroomBatch
import MCP
import SystemPackage
import TestSupport
import XCTest

/// `headroom-batch mcp` driven by the MCP SDK's client over the server's stdin and stdout:
/// initialise, list the tools, call each one, and check the answers against the archive.
final class MCPServerTests: XCTestCase {
    func testAnMCPClientSessionUsesEveryTool() async throws {
        let dir = try TemporaryDirectory()
        let archive = dir.file("archive")
        let log = try Paths.dataset("logdx-dev/cargo-tokio-001/raw.log")
        let cli = HeadroomCLI(archive: archive)
        let bundle = try cli(["compress", log])
        XCTAssertEqual(bundle.status, 0, bundle.stderr)
        let marker = try XCTUnwrap(markerRanges(in: bundle.text).first)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: Paths.executable("headroom-batch"))
        server.arguments = ["mcp", "--archive", archive, "--tokenizer", try Paths.tokenizer()]
        let toServer = Pipe()
        let fromServer = Pipe()
        server.standardInput = toServer
        server.standardOutput = fromServer
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }

        let client = Client(name: "headroom-batch-tests", version: "1.0")
        let transport = StdioTransport(input: FileDescriptor(rawValue: fromServer.fileHandleForReading.fileDescriptor),
                                       output: FileDescriptor(rawValue: toServer.fileHandleForWriting.fileDescriptor))
        let initialized = try await client.connect(transport: transport)
        XCTAssertEqual(initialized.serverInfo.name, "headroom-batch")
        let (tools, _) = try await client.listTools()
        XCTAssertEqual(tools.map(\.name).sorted(), ["headroom_compress", "headroom_retrieve", "headroom_search", "headroom_stats"])

        func call(_ name: String, _ arguments: [String: Value]) async throws -> (text: String, isError: Bool) {
            let (content, isError) = try await client.callTool(name: name, arguments: arguments)
            let text = content.compactMap { item -> String? in if case .text(let text, _, _) = item { return text }; return nil }.joined()
            return (text, isError ?? false)
        }

        // retrieve: exactly the lines a marker omitted.
        let expected = try cli(["retrieve", "\(marker.reference):\(marker.first)-\(marker.last)"]).text
        let retrieved = try await call("headroom_retrieve", ["ref": .string(marker.reference), "lines": .string("\(marker.first)-\(marker.last)")])
        XCTAssertFalse(retrieved.isError)
        XCTAssertEqual(retrieved.text, expected)
        // retrieve with a query: the matching lines of the whole original, numbered.
        let matching = try await call("headroom_retrieve", ["ref": .string(marker.reference), "query": .string("E0308 mismatched")])
        let original = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let numbered = original.enumerated().filter { $0.element.contains("E0308") && $0.element.lowercased().contains("mismatched") }
        XCTAssertGreaterThan(numbered.count, 0)
        XCTAssertEqual(matching.text, numbered.map { "\($0.offset + 1): \($0.element)\n" }.joined())
        // A whole 1.1 MB log is larger than one result: it is paged, and says how to go on.
        let whole = try await call("headroom_retrieve", ["ref": .string(marker.reference)])
        XCTAssertLessThanOrEqual(whole.text.utf8.count, AgentTools.maxBytes + 300)
        XCTAssertTrue(whole.text.contains("call again with lines="), String(whole.text.suffix(300)))

        // search: the hits point into the archive.
        let found = try await call("headroom_search", ["query": .string("mismatched types"), "limit": .int(3)])
        XCTAssertTrue(found.text.hasPrefix("1. \(marker.reference):"), found.text)

        // compress: a payload becomes a section whose reference retrieves it.
        let payload = (1...400).map { "2026-01-01 10:00:00 INFO worker \($0 % 7) processed batch \($0)" }.joined(separator: "\n")
            + "\n2026-01-01 10:00:01 ERROR worker 3 failed: disk full\n"
        let compressed = try await call("headroom_compress", ["text": .string(payload), "budget": .string("500")])
        XCTAssertFalse(compressed.isError, compressed.text)
        XCTAssertTrue(compressed.text.contains("ERROR worker 3 failed: disk full"), compressed.text)
        let header = try XCTUnwrap(compressed.text.split(separator: "\n").first)
        let reference = try XCTUnwrap(header.split(separator: " ").last.map(String.init))
        XCTAssertTrue(reference.hasPrefix("hb_"), String(header))
        XCTAssertTrue(try cli(["retrieve", reference]).stdout == Array(payload.utf8), "the payload is archived as it was")

        // stats: both references.
        let stats = try await call("headroom_stats", [:])
        XCTAssertTrue(stats.text.contains("references    2"), stats.text)

        // Errors are tool errors with a clear message; the server goes on.
        let unknown = try await call("headroom_retrieve", ["ref": .string("hb_0000000000000000")])
        XCTAssertTrue(unknown.isError)
        XCTAssertTrue(unknown.text.contains("no such reference"), unknown.text)
        do {
            _ = try await call("headroom_retrieve", [:])
            XCTFail("a call without ref is invalid")
        } catch let error as MCPError {
            XCTAssertTrue("\(error)".contains("needs ref"), "\(error)")
        }
        let after = try await call("headroom_stats", [:])
        XCTAssertFalse(after.isError)
        await client.disconnect()
    }
}
