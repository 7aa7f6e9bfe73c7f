/// A nightly pre-compression job, as a pipeline file (`pipelines/*.toml`) declares it: which
/// corpora to read and how, how to deduplicate and chunk them, and where the outputs and the
/// archive go. `PipelineDefinitionParser` reads one from TOML.
public struct PipelineDefinition: Sendable, Equatable {
    /// The pipeline's name: its file name without `.toml`.
    public var name: String
    public var inputs: [CorpusInput]
    /// How documents (`.md`, `.txt`, `.rst`, `.html`) are cut into passages.
    public var chunking = ChunkingOptions()
    /// Near-duplicate and boilerplate settings (`[dedup]`), extractive selection (`[selection]`).
    public var rag = RAGOptions()
    /// Tokens each bundle section may take (`[selection] budget`); `.tokens(0)`, the default,
    /// keeps every fact (lossless folding only).
    public var budget: TokenBudget = .tokens(0)
    /// What the lossy selection keeps first when a budget cuts (`[selection] query`).
    public var query = ""
    /// Where `corpus.jsonl`, `bundle.md` and the run's state go (absolute).
    public var outputDirectory: String
    /// The archive directory (absolute); nil for the default location.
    public var archivePath: String?
    /// Worker threads (`[run] jobs`).
    public var jobs = 2
    /// Records are processed in parts of about this many bytes, cut where a record's content
    /// says so, so an edit moves no boundary but its own part's (`[run] part_bytes`).
    public var partBytes = 8 << 20

    public init(name: String, inputs: [CorpusInput], outputDirectory: String) {
        self.name = name
        self.inputs = inputs
        self.outputDirectory = outputDirectory
    }
}

/// One `[[inputs]]` entry: a path and how to read what it names.
public struct CorpusInput: Sendable, Equatable {
    /// How an input's files are read.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// One JSON record per line.
        case jsonl
        /// `.md`, `.markdown`, `.txt`, `.rst`, `.html` and `.htm` files, chunked into passages.
        case documents
    }

    /// A file, a directory (read recursively) or a glob pattern (absolute).
    public var path: String
    public var format: Format
    /// Which record keys hold the text, id, source, query and score (JSONL).
    public var fields = RAGFieldMapping()
    /// Keys carried into `corpus.jsonl` besides the mapped fields; nil carries every key.
    public var metadata: [String]?

    public init(path: String, format: Format) {
        self.path = path
        self.format = format
    }
}
