import ArgumentParser
import HeadroomBatch
#if canImport(Glibc)
import Glibc
#endif

extension ContentKind: ExpressibleByArgument {}

extension TokenBudget: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// The options that shape a section, shared by `compress` and `inspect`.
struct CompressorFlags: ParsableArguments {
    @Option(name: .shortAndLong, help: "Worker threads (default: the number of CPUs). The output is identical for any value.")
    var jobs: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    @Option(name: .long, help: ArgumentHelp(
        "The kind of every input, instead of detecting it from the content.",
        discussion: "log, json, jsonl, search, diff, code, text, html, csv or rag; `inspect` shows what is detected and why.",
        valueName: "KIND"))
    var kind: ContentKind?

    @Option(name: .long, help: ArgumentHelp(
        "BPE ranks file (.tiktoken) for exact token counts.",
        discussion: "Default: $HEADROOM_TOKENIZER, else o200k_base.tiktoken in the data directory; without one, counts are estimates and say so.",
        valueName: "FILE"))
    var tokenizer: String?

    @Option(name: .long, help: "Lines kept verbatim at the start of each log.")
    var head: Int = 10

    @Option(name: .long, help: "Lines kept verbatim at the end of each log.")
    var tail: Int = 10

    @Option(name: .long, help: "Distinct WARN/ERROR/FATAL and failure lines kept verbatim per log, at most; the rest are counted in markers.")
    var maxKept: Int = 10_000

    @Option(name: .long, help: "Rows of the table of omitted lines by template, at most; 0 for no table.")
    var maxTemplates: Int = 40

    @Option(name: .long, help: ArgumentHelp(
        "Tokens each section may take (counted by the run's tokenizer): a count, or a share of the input's tokens such as 40%; 0 for no bound.",
        discussion: """
            Default: 3,000 for logs, code and text; 2,000 for search results; 40% of the input (3,000 to 32,000) for JSON and diffs; no bound for RAG records. \
            Lossless rewriting comes first; only what still exceeds the budget is cut, by priority \
            (logs: context first, then head and tail, warnings and locations, failures, summaries last; \
            JSON: routine rows before errors, outliers, first and last rows; search results: context lines, then hit texts other than each file's most relevant, then whole files into markers), \
            and every cut is a marker with its reference range.
            """,
        valueName: "TOKENS|N%"))
    var budget: TokenBudget?

    @Flag(name: .long, help: ArgumentHelp(
        "No lossy step: JSON, search results, diffs, code and RAG records keep every fact, even past the budget.",
        discussion: "Logs are then not cut to the budget either (their routine lines still fold into the template table, each with its reference)."))
    var lossless = false

    @Flag(name: .long, inversion: .prefixedNo, help: ArgumentHelp(
        "Unpack containers: each file of a tar (.tar, .tar.gz, .tar.zst, .tar.lz4) and each tool result of a JSONL transcript becomes a section of its own.",
        discussion: "With --no-unpack a container is compressed as one input."))
    var unpack = true

    @Option(name: .long, help: ArgumentHelp(
        "What you are looking for: past the budget, the rows, hits and hunks most relevant to it (BM25) are kept first.",
        valueName: "WORDS"))
    var query: String?

    @Flag(name: .long, help: "RAG records: keep the sentences most relevant to the query within the budget (lossy, off by default).")
    var extractive = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        guard head >= 0, tail >= 0, maxKept >= 0, maxTemplates >= 0 else {
            throw ValidationError("--head, --tail, --max-kept and --max-templates must not be negative")
        }
    }

    var options: CompressOptions {
        var options = CompressOptions(jobs: jobs)
        options.kind = kind
        options.headLines = head
        options.tailLines = tail
        options.maxKeptLines = maxKept
        options.templateRows = maxTemplates
        options.budget = budget
        options.lossless = lossless
        options.query = query ?? ""
        options.rag.extractive = extractive
        return options
    }

    /// The token counter; a tokenizer that cannot be loaded ends the command with exit code 2.
    func tokenCounter() throws -> TokenCounter {
        do {
            return try TokenizerLocation.load(explicit: tokenizer, environment: environment)
        } catch {
            Console.error(error)
            throw ExitCode(2)
        }
    }
}
