import Crypto

/// Writes the run's outputs from every part, in input order: `corpus.jsonl` (each record's
/// corpus line; a record whose text appeared earlier points to the first one with
/// `hb_same_text_as` instead of repeating it) and `bundle.md` (one section per part). Both
/// are written beside and renamed into place, so a reader never sees half a file. When the
/// parts and settings are those of the outputs already there, nothing is written.
struct CorpusAssembler {
    let definition: PipelineDefinition
    let state: CorpusState
    let tokenizerName: String

    func write(_ parts: [(digest: String, settings: String)], into summary: inout CorpusRunSummary,
               failed: (HeadroomError) -> Void) throws {
        let directory = definition.outputDirectory
        let corpusPath = directory + "/" + CorpusRun.corpusFile
        let bundlePath = directory + "/" + CorpusRun.bundleFile
        let fingerprint = SHA256.hash(data: Array(parts.map { $0.digest + $0.settings }.joined(separator: " ").utf8)).hexDigest
        let unchanged = try state.outputFingerprint() == fingerprint
            && access(corpusPath, F_OK) == 0 && access(bundlePath, F_OK) == 0

        let corpus = unchanged ? nil : try OutputFile(corpusPath)
        let bundle = unchanged ? nil : try OutputFile(bundlePath)
        let renderer = BundleRenderer(tokenizerName: tokenizerName)
        var firstWithText: [CorpusRecordLine.TextHash: [UInt8]] = [:]
        let unpacker = ZstdBlockDecompressor()
        summary.parts = parts.count
        for (digest, settings) in parts {
            guard let part = try state.part(digest, settings: settings, content: !unchanged) else { continue }
            summary.records += part.records
            summary.bytes += part.bytes
            summary.tokensIn += part.tokensIn
            summary.tokensInExact = summary.tokensInExact && part.tokensExact
            summary.bundleTokens += part.bundleTokens
            if !part.problem.isEmpty { summary.failed += 1; failed(HeadroomError(.input, part.title, part.problem)) }
            guard let corpus, let bundle else { continue }
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
        guard let corpus, let bundle else { return }
        try corpus.commit()
        try bundle.commit()
        try state.storeOutputFingerprint(fingerprint)
        summary.outputsWritten = true
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
