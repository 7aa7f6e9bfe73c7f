import ArgumentParser
import HeadroomBatch
#if canImport(Glibc)
import Glibc
#endif

extension ContentKind: ExpressibleByArgument {}

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
        "Tokens each section may take (counted by the run's tokenizer); 0 keeps every kept line.",
        discussion: "Past the budget, kept lines are dropped into markers by priority: context first, then head and tail, warnings and locations, failures, and summaries last.",
        valueName: "TOKENS"))
    var budget: Int = 3000

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        guard head >= 0, tail >= 0, maxKept >= 0, maxTemplates >= 0, budget >= 0 else {
            throw ValidationError("--head, --tail, --max-kept, --max-templates and --budget must not be negative")
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
