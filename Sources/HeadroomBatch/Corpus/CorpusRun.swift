import Crypto
import Dispatch
import Foundation

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
        var inputs: [InputFiles] = []
        for input in definition.inputs {
            let (files, resolveErrors) = Self.files(of: input)
            for error in resolveErrors { summary.failed += 1; failed(error) }
            if files.isEmpty {
                if resolveErrors.isEmpty { summary.failed += 1; failed(HeadroomError(.input, input.path, input.format == .jsonl ? "no files here"
                    : "no documents (.md .txt .rst .html) here; for JSONL files, set format = \"jsonl\"")) }
                continue
            }
            summary.files += files.count
            inputs.append(try InputFiles(input, files: files, settings: Self.settings(definition, input), state: state))
        }
        summary.unchangedInputs = inputs.filter { $0.unchangedParts != nil }.count

        let output = CorpusAssembler(definition: definition, state: state, tokenizerName: tokenizer.name)
        let unchangedParts = inputs.compactMap(\.unchangedParts)
        if unchangedParts.count == inputs.count, try output.isCurrent(unchangedParts.flatMap { $0 }) {
            // Nothing changed: the outputs in place are those of these very parts.
            try output.tally(unchangedParts.flatMap { $0 }, into: &summary, failed: failed)
            summary.seconds = monotonicSeconds() - started
            return summary
        }

        // Outputs are written as parts come, in input order: parts of unchanged inputs from the
        // state, the others as they are archived, while the workers process the next ones.
        try output.open()
        let writer = ArchiveWriter(archive: archive)
        let batch = CorpusBatch(processor: CorpusPartProcessor(definition: definition, tokenizer: tokenizer, archiveLevel: archiveLevel),
                                jobs: definition.jobs, writer: writer, state: state) { part, settings in
            try output.append(part, settings: settings, into: &summary, failed: failed)
        }
        for files in inputs {
            if let parts = files.unchangedParts {
                for (digest, settings) in parts {
                    guard let part = try state.part(digest, settings: settings) else { continue }
                    try output.append(part, settings: settings, into: &summary, failed: failed)
                }
                continue
            }
            var reader = CorpusInputReader(input: files.input, settings: files.settings, targetBytes: definition.partBytes,
                                           chunker: DocumentChunker(options: definition.chunking), archiveLevel: archiveLevel)
            let failuresBefore = batch.failures.count
            let parts = try reader.read(files.files, writer: writer, progress: progress, failed: { error in
                summary.failed += 1
                failed(error)
            }) { work in
                try batch.add(work, settings: files.settings)
            }
            try batch.flush()
            if reader.failedFiles == 0 && batch.failures.count == failuresBefore {
                try state.storeInput(files.key, files: files.stamp, parts: parts)
            }
        }
        try batch.flush()
        for error in batch.failures { summary.failed += 1; failed(error) }
        summary.partsProcessed = batch.processedParts
        summary.recordsProcessed = batch.processedRecords
        summary.bytesProcessed = batch.processedBytes
        try output.commit(into: &summary)
        try state.dropUnusedParts(keeping: output.written)
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// The files of one input, what says they changed, and the parts they had if they did not.
    struct InputFiles {
        let input: CorpusInput
        let files: [String]
        let settings: String
        /// Names the input in the state.
        let key: String
        /// The files' stamps and the settings, as stored after a complete read.
        let stamp: String
        /// The input's parts, in order, when its files and settings are those of the last
        /// complete read and the state holds every part's outputs; nil when it must be read.
        let unchangedParts: [(digest: String, settings: String)]?

        init(_ input: CorpusInput, files: [String], settings: String, state: CorpusState) throws {
            self.input = input
            self.files = files
            self.settings = settings
            key = "\(input.format.rawValue) \(input.path)"
            stamp = CorpusRun.stamp(files) + "\n" + settings
            if let previous = try state.input(key), previous.files == stamp,
               try previous.parts.allSatisfy({ try state.hasPart($0, settings: settings) }) {
                unchangedParts = previous.parts.map { ($0, settings) }
            } else {
                unchangedParts = nil
            }
        }
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

/// Parts in flight: each part added is processed at once on one of `jobs` workers while the
/// reader goes on cutting the next; finished parts are archived in input order and handed to
/// `emit`, with the parts the state already holds in their places. One commit (a sync of the
/// archive, then the outputs stored in the state) for every `commitBytes` of parts. At most
/// `window` parts are in flight, so memory stays bounded whatever the corpus size.
final class CorpusBatch {
    typealias Emit = (CorpusState.Part, _ settings: String) throws -> Void
    let jobs: Int
    let writer: ArchiveWriter
    let state: CorpusState
    private let emit: Emit
    /// Parts in flight at most: enough that a slow part does not leave the other workers idle.
    var window: Int { jobs * 2 }
    /// Bytes of archived parts per commit.
    static let commitBytes = 8 << 20
    private var uncommittedBytes = 0
    private let workers: PartWorkers
    /// Added parts in input order, not yet emitted; no outcome for a part processed before
    /// (in an earlier run or earlier in this one).
    private var inFlight: [(work: CorpusPartWork, settings: String, outcome: PartOutcome?)] = []
    /// Archived parts whose commit is still to come.
    private var uncommitted: [(part: CorpusState.Part, settings: String)] = []
    /// Digest and settings of every part added in this run: a part met twice is processed once.
    private var added: Set<String> = []
    private(set) var failures: [HeadroomError] = []
    private(set) var failedDigests: Set<String> = []
    private(set) var processedParts = 0
    private(set) var processedRecords = 0
    private(set) var processedBytes = 0

    init(processor: CorpusPartProcessor, jobs: Int, writer: ArchiveWriter, state: CorpusState, emit: @escaping Emit) {
        self.jobs = jobs
        self.writer = writer
        self.state = state
        self.emit = emit
        workers = PartWorkers(count: jobs, processor: processor)
    }

    deinit { workers.close() }

    /// Starts processing `work` (unless its outputs are known); archives and emits the parts
    /// ahead of it that are done, and waits for the oldest while `window` parts are in flight.
    func add(_ work: CorpusPartWork, settings: String) throws {
        let known = try !added.insert(work.digest + " " + settings).inserted || state.hasPart(work.digest, settings: settings)
        if known {
            var placeholder = work
            placeholder.bytes = []
            inFlight.append((placeholder, settings, nil))
        } else {
            inFlight.append((work, settings, workers.start(work)))
        }
        while let first = inFlight.first, inFlight.count >= window || first.outcome?.isDone ?? true {
            inFlight.removeFirst()
            try finish(first.work, first.settings, first.outcome?.wait())
        }
    }

    /// Waits for every part in flight, archives and emits them, and commits.
    func flush() throws {
        while !inFlight.isEmpty {
            let first = inFlight.removeFirst()
            try finish(first.work, first.settings, first.outcome?.wait())
        }
        try commit()
    }

    /// Archives a processed part (or notes its failure) and emits it; emits a known part from
    /// the state. Commits every `commitBytes`.
    private func finish(_ work: CorpusPartWork, _ settings: String, _ result: Result<CorpusPartResult, Error>?) throws {
        guard let result else {
            guard !failedDigests.contains(work.digest) else { return }
            let pending = uncommitted.first { $0.part.digest == work.digest && $0.settings == settings }?.part
            if let part = try pending ?? state.part(work.digest, settings: settings) { try emit(part, settings) }
            return
        }
        switch result {
        case .failure(let error):
            failedDigests.insert(work.digest)
            failures.append(HeadroomError(.input, work.title, "\(error)"))
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
                return
            }
            writer.setBundleTokens(part.bundleTokens, digest: part.digest, path: part.title)
            writer.setRecordIDs(result.recordIDs, digest: part.digest)
            uncommitted.append((part, settings))
            uncommittedBytes += part.bytes
            processedParts += 1
            processedRecords += part.records
            processedBytes += part.bytes
            try emit(part, settings)
        }
        if uncommittedBytes >= Self.commitBytes { try commit() }
    }

    /// Commits the archived parts, then stores their outputs in the state: the state never
    /// names a part the archive does not hold.
    private func commit() throws {
        try writer.commit()
        for settings in Set(uncommitted.map(\.settings)) {
            try state.store(uncommitted.filter { $0.settings == settings }.map(\.part), settings: settings)
        }
        uncommitted.removeAll()
        uncommittedBytes = 0
    }
}

/// `count` threads that process parts in the order they are started, until `close`.
private final class PartWorkers: @unchecked Sendable {
    private let processor: CorpusPartProcessor
    private let condition = NSCondition()
    private var queue: [(CorpusPartWork, PartOutcome)] = []
    private var closed = false

    init(count: Int, processor: CorpusPartProcessor) {
        self.processor = processor
        for _ in 0..<max(1, count) {
            let thread = Thread { self.work() }  // each worker holds the pool until it is closed
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Queues `work`; its outcome is ready when a worker has processed it.
    func start(_ work: CorpusPartWork) -> PartOutcome {
        let outcome = PartOutcome()
        condition.withLock {
            queue.append((work, outcome))
            condition.signal()
        }
        return outcome
    }

    /// Lets the workers end once the queue is empty.
    func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let (work, outcome) = queue.removeFirst()
            condition.unlock()
            outcome.finish(Result { try processor.process(work) })
        }
    }
}

/// The result of one part's processing, handed from its worker to the thread that archives it.
private final class PartOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<CorpusPartResult, Error>?

    func finish(_ result: Result<CorpusPartResult, Error>) {
        lock.withLock { self.result = result }
        done.signal()
    }

    var isDone: Bool { lock.withLock { result != nil } }

    /// Blocks until the part is processed.
    func wait() -> Result<CorpusPartResult, Error> {
        done.wait()
        done.signal()  // a later wait returns at once
        return lock.withLock { result! }
    }
}
