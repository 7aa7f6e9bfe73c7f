import ArgumentParser
import Dispatch
import HeadroomBatch
import MCP

struct MCPServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the archive to agents over the Model Context Protocol (stdio).",
        discussion: """
            Tools: headroom_retrieve(ref, lines?, query?) · headroom_search(query, limit?) ·
            headroom_compress(text, kind?, budget?) · headroom_stats(). Results are at most 64 KB or
            2,000 lines; a longer original says how to page on (lines=A-B). Stored originals are
            never modified.

            Add it to an agent, e.g. in Claude Code's .mcp.json:
              {"mcpServers": {"headroom": {"command": "headroom-batch",
                                            "args": ["mcp", "--archive", "/path/to/archive"]}}}
            """)

    @OptionGroup var archive: ArchiveOption

    @Option(name: .long, help: ArgumentHelp("BPE ranks file (.tiktoken) for the token counts of headroom_compress.", valueName: "FILE"))
    var tokenizer: String?

    func run() throws {
        let archive = try self.archive.open(create: true)
        let counter: TokenCounter
        do { counter = try TokenizerLocation.load(explicit: tokenizer, environment: environment) } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        let host = ToolHost(tools: AgentTools(archive: archive, tokenizer: counter))
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let server = Server(name: "headroom-batch", version: "1.0.0",
                                    capabilities: .init(tools: .init(listChanged: false)))
                await server.withMethodHandler(ListTools.self) { _ in .init(tools: ToolHost.tools) }
                await server.withMethodHandler(CallTool.self) { params in try await host.call(params.name, params.arguments ?? [:]) }
                try await server.start(transport: StdioTransport())
                await server.waitUntilCompleted()
            } catch {
                Console.error(error)
            }
            done.signal()
        }
        done.wait()
    }
}

/// Runs the tools one call at a time (the archive's connection is not shared across threads)
/// and turns their errors into tool errors with the message.
actor ToolHost {
    private let tools: AgentTools

    init(tools: AgentTools) { self.tools = tools }

    static let tools: [Tool] = [
        Tool(name: "headroom_retrieve",
             description: "The original bytes behind a headroom-batch reference (hb_… from a bundle marker), or a line range of it; with query, only the lines containing every word of it, with their line numbers.",
             inputSchema: schema(["ref": ("string", "The reference, e.g. hb_3f9a1c0d2e7b4a51 or hb_3f9a1c0d2e7b4a51:120-180"),
                                  "lines": ("string", "Lines A-B (1-based, inclusive) of the reference"),
                                  "query": ("string", "Words every returned line must contain (any case)")], required: ["ref"]),
             annotations: .init(readOnlyHint: true)),
        Tool(name: "headroom_search",
             description: "Full-text search (BM25) over every original in the archive: references with line ranges, sources and snippets.",
             inputSchema: schema(["query": ("string", "Words to look for"), "limit": ("integer", "Hits at most (default 10)")],
                                 required: ["query"]),
             annotations: .init(readOnlyHint: true)),
        Tool(name: "headroom_compress",
             description: "Compress a payload (log, JSON, JSONL, search results, diff, code, text) into a bundle section; the original is archived and every omission in the section carries its reference.",
             inputSchema: schema(["text": ("string", "The payload"),
                                  "kind": ("string", "log, json, jsonl, search, diff, code, text, html, csv or rag (default: detected)"),
                                  "budget": ("string", "Tokens the section may take: a count (3000) or a share (40%)")],
                                 required: ["text"])),
        Tool(name: "headroom_stats", description: "What the archive holds: references, bytes, and the tokens bundles saved.",
             inputSchema: schema([:], required: []), annotations: .init(readOnlyHint: true)),
    ]

    private static func schema(_ properties: [String: (type: String, description: String)], required: [String]) -> Value {
        var members: [String: Value] = [:]
        for (name, property) in properties {
            members[name] = .object(["type": .string(property.type), "description": .string(property.description)])
        }
        return .object(["type": .string("object"), "properties": .object(members), "required": .array(required.map { .string($0) })])
    }

    func call(_ name: String, _ arguments: [String: Value]) throws -> CallTool.Result {
        func text(_ key: String) -> String? { arguments[key]?.stringValue }
        func required(_ key: String) throws -> String {
            guard let value = text(key) else { throw MCPError.invalidParams("\(name) needs \(key) (a string)") }
            return value
        }
        do {
            let output: String
            switch name {
            case "headroom_retrieve":
                output = try tools.retrieve(try required("ref"), lines: text("lines"), query: text("query"))
            case "headroom_search":
                output = try tools.search(try required("query"), limit: arguments["limit"]?.intValue ?? 10)
            case "headroom_compress":
                output = try tools.compress(try required("text"), kind: text("kind"), budget: text("budget"), title: "mcp payload")
            case "headroom_stats":
                output = try tools.stats()
            default:
                throw MCPError.invalidParams("no tool named \(name); the tools are \(Self.tools.map(\.name).joined(separator: ", "))")
            }
            return .init(content: [.text(text: output, annotations: nil, _meta: nil)], isError: false)
        } catch let error as HeadroomError {
            return .init(content: [.text(text: "\(error.subject): \(error.message)", annotations: nil, _meta: nil)], isError: true)
        }
    }
}
