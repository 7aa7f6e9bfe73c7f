import Crypto

/// Writes the run's outputs part by part, in input order: `corpus.jsonl` (each record's
/// corpus line; a record whose text appeared earlier points to the first one with
/// `hb_same_text_as` instead of repeating it) and `bundle.md` (one section per part). Both
/// are written beside and renamed into place by `commit`, so a reader never sees half a
/// file; when the parts and settings are those of the outputs already there, they are left
/// as they are.
final class CorpusAssembler {
    let definition: PipelineDefinition
    let state: CorpusState
    let tokenizerName: String
    /// The parts appended so far, in order.
    private(set) var written: [(digest: String, settings: String)] = []
    private var corpus: OutputFile?
    private var bundle: OutputFile?
    private let renderer: BundleRenderer
    private var firstWithText: [CorpusRecordLine.TextHash: [UInt8]] = [:]
    private let unpacker = ZstdBlockDecompressor()

    init(definition: PipelineDefinition, state: CorpusState, tokenizerName: String) {
        self.definition = definition
        self.state = state
        self.tokenizerName = tokenizerName
        renderer = BundleRenderer(tokenizerName: tokenizerName)
    }

    private var corpusPath: String { definition.outputDirectory + "/" + CorpusRun.corpusFile }
    private var bundlePath: String { definition.outputDirectory + "/" + CorpusRun.bundleFile }

    /// Whether the outputs in place are those of `parts` with their settings.
    func isCurrent(_ parts: [(digest: String, settings: String)]) throws -> Bool {
        try state.outputFingerprint() == Self.fingerprint(parts)
            && access(corpusPath, F_OK) == 0 && access(bundlePath, F_OK) == 0
    }

    /// Adds the figures of `parts` (the outputs in place) to `summary`, writing nothing.
    func tally(_ parts: [(digest: String, settings: String)], into summary: inout CorpusRunSummary,
               failed: (HeadroomError) -> Void) throws {
        for (digest, settings) in parts {
            guard let part = try state.part(digest, settings: settings, content: false) else { continue }
            add(part, to: &summary, failed: failed)
        }
    }

    /// Starts the outputs (under temporary names).
    func open() throws {
        corpus = try OutputFile(corpusPath)
        bundle = try OutputFile(bundlePath)
    }

    /// Writes the next part's bundle section and corpus lines.
    func append(_ part: CorpusState.Part, settings: String, into summary: inout CorpusRunSummary,
                failed: (HeadroomError) -> Void) throws {
        guard let corpus, let bundle else { preconditionFailure("CorpusAssembler.append before open") }
        written.append((part.digest, settings))
        add(part, to: &summary, failed: failed)
        let section = Section(source: part.title, kind: ContentKind.rag.rawValue, kindReason: "pipeline \(definition.name)",
                              compression: .none, reference: part.reference, bytes: part.bytes, lines: part.lines,
                              tokensIn: part.tokensIn, tokensInExact: part.tokensExact, bundleTokens: part.bundleTokens,
                              body: try unpacker.unpack(part.packedSection), omissions: [], alreadyArchived: false)
        try bundle.write(renderer.text(section))
        try CorpusRecordEncoding.forEach(try unpacker.unpack(part.packedCorpus)) { record in
            if let canonical = firstWithText[record.textHash] {
                summary.duplicateRecords += 1
                try corpus.write(record.standingFor(canonical))
            } else {
                firstWithText[record.textHash] = record.pointer
                try corpus.write(record.line)
            }
            try corpus.write([10])
        }
    }

    /// Renames the outputs into place, unless they equal those already there (the same parts
    /// and settings), which are then left untouched.
    func commit(into summary: inout CorpusRunSummary) throws {
        guard let corpus, let bundle else { return }
        let fingerprint = Self.fingerprint(written)
        if try state.outputFingerprint() == fingerprint, access(corpusPath, F_OK) == 0, access(bundlePath, F_OK) == 0 {
            return  // the partial files are removed unrenamed
        }
        try corpus.commit()
        try bundle.commit()
        try state.storeOutputFingerprint(fingerprint)
        summary.outputsWritten = true
    }

    private func add(_ part: CorpusState.Part, to summary: inout CorpusRunSummary, failed: (HeadroomError) -> Void) {
        summary.parts += 1
        summary.records += part.records
        summary.bytes += part.bytes
        summary.tokensIn += part.tokensIn
        summary.tokensInExact = summary.tokensInExact && part.tokensExact
        summary.bundleTokens += part.bundleTokens
        if !part.problem.isEmpty { summary.failed += 1; failed(HeadroomError(.input, part.title, part.problem)) }
    }

    private static func fingerprint(_ parts: [(digest: String, settings: String)]) -> String {
        SHA256.hash(data: Array(parts.map { $0.digest + $0.settings }.joined(separator: " ").utf8)).hexDigest
    }
}

/// A file written under a temporary name and renamed over `path` by `commit`, buffered.
final class OutputFile {
    let path: String
    private let temporary: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    init(_ path: String) throws {
        self.path = path
        temporary = path + ".partial"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HeadroomError(.usage, path, "cannot write: \(errnoText(errno))") }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        close(descriptor)
        if !committed { unlink(temporary) }
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try drain() }
    }

    /// Flushes, syncs and renames the file into place.
    func commit() throws {
        try drain()
        guard fsync(descriptor) == 0, rename(temporary, path) == 0 else {
            throw HeadroomError(.usage, path, "cannot write: \(errnoText(errno))")
        }
        committed = true
    }

    private func drain() throws {
        var done = 0
        try buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw HeadroomError(.usage, path, "cannot write: \(errnoText(errno))")
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
