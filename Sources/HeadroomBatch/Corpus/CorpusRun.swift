import Crypto
import Dispatch

/// Figures of a pipeline run, for its summary.
public struct CorpusRunSummary: Sendable {
    public var inputs = 0
    /// Inputs (or files of them) that failed; the others were still processed.
    public var failed = 0
    /// Inputs whose files had not changed since the last run: not read at all.
    public var unchangedInputs = 0
    public var files = 0
    public var parts = 0
    public var partsProcessed = 0
    public var records = 0
    public var recordsProcessed = 0
    public var bytes = 0
    public var bytesProcessed = 0
    public var tokensIn = 0
    public var tokensInExact = true
    public var bundleTokens = 0
    /// Records written without their text because an earlier record had the same text.
    public var duplicateRecords = 0
    /// False when nothing changed, so `corpus.jsonl` and `bundle.md` were left as they were.
    public var outputsWritten = false
    public var seconds = 0.0
}

/// Runs a nightly pipeline: reads its inputs (JSONL records, or documents chunked into
/// records), cuts them into content-defined parts, and for each part not seen before
/// archives its records byte-exact, compresses it into a bundle section with the RAG
/// compressor and writes its records' corpus lines; then writes `corpus.jsonl` and
/// `bundle.md` in the output directory from every part, in input order.
///
/// Incremental: an input whose files are unchanged (size, modification time, inode) is not
/// read; a part whose content digest and settings were processed before is taken from
/// `state.sqlite`; when no part changed, the outputs are left as they are.
public final class CorpusRun {
    let definition: PipelineDefinition
    let archive: Archive
    let tokenizer: TokenCounter
    /// zstd level of archived parts and documents.
    public var archiveLevel: Int32 = 3

    public init(definition: PipelineDefinition, archive: Archive, tokenizer: TokenCounter) {
        self.definition = definition
        self.archive = archive
        self.tokenizer = tokenizer
    }

    /// The files written in the output directory.
    public static let corpusFile = "corpus.jsonl"
    public static let bundleFile = "bundle.md"

    /// Runs the pipeline. Errors of one input or file reach `failed` and the run goes on;
    /// an error that stops the run (the output directory or archive cannot be written) is thrown.
    public func run(progress: @escaping (String) -> Void = { _ in },
                    failed: @escaping (HeadroomError) -> Void) throws -> CorpusRunSummary {
        let started = monotonicSeconds()
        var summary = CorpusRunSummary()
        summary.inputs = definition.inputs.count
        try makeDirectories(definition.outputDirectory)
        let state = try CorpusState(directory: definition.outputDirectory)
        let writer = ArchiveWriter(archive: archive)
        var batch = CorpusBatch(processor: CorpusPartProcessor(definition: definition, tokenizer: tokenizer, archiveLevel: archiveLevel),
                                jobs: definition.jobs, writer: writer, state: state)
        var allParts: [(digest: String, settings: String)] = []

        for input in definition.inputs {
            let settings = Self.settings(definition, input)
            let key = "\(input.format.rawValue) \(input.path)"
            let (files, resolveErrors) = Self.files(of: input)
            for error in resolveErrors { summary.failed += 1; failed(error) }
            if files.isEmpty {
                if resolveErrors.isEmpty { summary.failed += 1; failed(HeadroomError(.input, input.path, "no \(input.format == .jsonl ? "files" : "documents (.md .txt .rst .html)") here")) }
                continue
            }
            summary.files += files.count
            let fileStamp = Self.stamp(files) + "\n" + settings
            if let previous = try state.input(key), previous.files == fileStamp,
               try previous.parts.allSatisfy({ try state.hasPart($0, settings: settings) }) {
                summary.unchangedInputs += 1
                allParts += previous.parts.map { ($0, settings) }
                continue
            }
            var reader = CorpusInputReader(input: input, settings: settings, targetBytes: definition.partBytes,
                                           chunker: DocumentChunker(options: definition.chunking), archiveLevel: archiveLevel)
            let failuresBefore = batch.failures.count
            let parts = try reader.read(files, writer: writer, progress: progress, failed: { error in
                summary.failed += 1
                failed(error)
            }) { work in
                if try state.hasPart(work.digest, settings: settings) { return }
                try batch.add(work, settings: settings)
            }
            try batch.flush()
            allParts += parts.map { ($0, settings) }
            if reader.failedFiles == 0 && batch.failures.count == failuresBefore {
                try state.storeInput(key, files: fileStamp, parts: parts)
            }
        }
        try batch.flush()
        for error in batch.failures { summary.failed += 1; failed(error) }
        summary.partsProcessed = batch.processedParts
        summary.recordsProcessed = batch.processedRecords
        summary.bytesProcessed = batch.processedBytes

        let assembler = CorpusAssembler(definition: definition, state: state, tokenizerName: tokenizer.name)
        let kept = allParts.filter { !batch.failedDigests.contains($0.digest) }
        try assembler.write(kept, into: &summary, failed: failed)
        try state.dropUnusedParts(keeping: kept)
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// What shapes a part's outputs besides its bytes: a change re-processes every part.
    static func settings(_ definition: PipelineDefinition, _ input: CorpusInput) -> String {
        let text = """
            v1|\(definition.rag)|\(definition.chunking)|\(definition.budget)|\(definition.query)|\
            \(input.format)|\(input.fields)|\(input.metadata ?? ["*"])
            """
        return String(SHA256.hash(data: Array(text.utf8)).hexDigest.prefix(24))
    }

    /// The files of an input, sorted.
    static func files(of input: CorpusInput) -> ([String], [HeadroomError]) {
        switch input.format {
        case .documents:
            return (CorpusDocuments.files(of: input).files, [])
        case .jsonl:
            let (sources, errors) = InputResolver.resolve([input.path], unpacking: false)
            return (sources.compactMap { if case .file(let path) = $0 { return path } else { return nil } }, errors)
        }
    }

    /// Each file's path, size, modification time and inode: what says it has not changed.
    static func stamp(_ files: [String]) -> String {
        files.map { path in
            var status = stat()
            guard stat(path, &status) == 0 else { return path + " missing" }
            return "\(path) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) \(status.st_ino)"
        }.joined(separator: "\n")
    }
}

/// Parts waiting to be processed, processed `jobs` at a time in parallel, then archived and
/// stored in input order.
struct CorpusBatch {
    let processor: CorpusPartProcessor
    let jobs: Int
    let writer: ArchiveWriter
    let state: CorpusState
    private var waiting: [(work: CorpusPartWork, settings: String)] = []
    private(set) var failures: [HeadroomError] = []
    private(set) var failedDigests: Set<String> = []
    private(set) var processedParts = 0
    private(set) var processedRecords = 0
    private(set) var processedBytes = 0

    init(processor: CorpusPartProcessor, jobs: Int, writer: ArchiveWriter, state: CorpusState) {
        self.processor = processor
        self.jobs = jobs
        self.writer = writer
        self.state = state
    }

    mutating func add(_ work: CorpusPartWork, settings: String) throws {
        if waiting.contains(where: { $0.work.digest == work.digest && $0.settings == settings }) { return }
        waiting.append((work, settings))
        if waiting.count >= jobs * 2 { try flush() }
    }

    /// Processes the waiting parts, archives them (one commit) and stores their outputs.
    mutating func flush() throws {
        guard !waiting.isEmpty else { return }
        let works = waiting
        waiting.removeAll()
        let processor = self.processor
        let results = UnsafeMutableBufferPointer<Result<CorpusPartResult, Error>?>.allocate(capacity: works.count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: works.count) { index in
            results[index] = Result { try processor.process(works[index].work) }
        }
        var stored: [(CorpusState.Part, String)] = []
        for (index, entry) in works.enumerated() {
            switch results[index]! {
            case .failure(let error):
                failedDigests.insert(entry.work.digest)
                failures.append(HeadroomError(.input, entry.work.title, "\(error)"))
            case .success(let result):
                try writer.beginSource()
                for frame in result.frames {
                    try frame.frame.withUnsafeBytes {
                        try writer.appendBlock(frame: $0, rawOffset: frame.rawOffset, rawLength: frame.raw,
                                               firstLine: frame.firstLine, lastLine: frame.lastLine)
                    }
                }
                let part = result.part
                let finished = try writer.finishSource(digest: part.digest, path: part.title, kind: ContentKind.rag.rawValue,
                                                       size: part.bytes, lines: part.lines, binary: false,
                                                       tokens: part.tokensIn, tokensExact: part.tokensExact)
                guard finished.id == part.reference else {
                    failedDigests.insert(part.digest)
                    failures.append(HeadroomError(.archive, part.title, "reference changed while archiving (\(part.reference) became \(finished.id)); run again"))
                    continue
                }
                writer.setBundleTokens(part.bundleTokens, digest: part.digest, path: part.title)
                writer.setRecordIDs(result.recordIDs, digest: part.digest)
                stored.append((part, entry.settings))
                processedParts += 1
                processedRecords += part.records
                processedBytes += part.bytes
            }
        }
        try writer.commit()
        for settings in Set(stored.map(\.1)) {
            try state.store(stored.filter { $0.1 == settings }.map(\.0), settings: settings)
        }
    }
}
