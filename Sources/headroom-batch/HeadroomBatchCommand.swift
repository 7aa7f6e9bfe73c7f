import ArgumentParser
import HeadroomBatch

@main
struct HeadroomBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom-batch",
        abstract: "Compress large machine text into a compact context bundle for AI agents.",
        discussion: """
            Every omission in a bundle carries a reference ID (hb_<16 hex digits>, the start of the
            SHA-256 of the original bytes) with a line range; `retrieve` expands it back to the exact
            bytes from the archive.

            Examples:
              headroom-batch compress logs/*.log            one bundle for all inputs, on stdout
              cat incident.log | headroom-batch             stdin in, bundle out
              headroom-batch compress --out-dir bundles/ logs/
              headroom-batch retrieve hb_3f9a1c0d2e7b4a51:120-180
              headroom-batch templates --assignments lines.csv app.log
              headroom-batch search connection refused
              headroom-batch run pipelines/nightly-rag.toml   the nightly pre-compression of a RAG corpus
              headroom-batch retrieve --id py311doc:library/datetime.rst:L631-705
              headroom-batch mcp                            serve the archive to agents (MCP, stdio)
              headroom-batch plan big/ --shard-bytes 256M | headroom-batch run-shard --out shards/
              headroom-batch merge shards/shard-* --into ~/.local/share/headroom-batch/archive --bundle all.md
              headroom-batch verify

            Exit codes: 0 success · 1 some input failed or a reference is bad (the rest was done)
            · 2 the archive cannot be used · 64 bad command line.
            """,
        subcommands: [Compress.self, Inspect.self, RunPipeline.self, Retrieve.self, Search.self, Templates.self, Verify.self, Stats.self, GC.self, MCPServe.self, Plan.self, RunShard.self, Merge.self],
        defaultSubcommand: Compress.self)
}

/// `--archive` shared by every command.
struct ArchiveOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Archive directory.",
        discussion: "Default: $HEADROOM_ARCHIVE, else $XDG_DATA_HOME/headroom-batch/archive, else ~/.local/share/headroom-batch/archive.",
        valueName: "DIR"))
    var archive: String?

    var path: String { ArchiveLocation.resolve(explicit: archive, environment: environment) }

    func open(create: Bool) throws -> Archive {
        do {
            return try Archive(path: path, create: create)
        } catch let error as HeadroomError {
            Console.error(error)
            throw ExitCode(2)
        }
    }
}
