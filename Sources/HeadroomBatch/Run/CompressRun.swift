/// Settings of one `compress` run.
public struct CompressOptions: Sendable {
    /// Worker threads for analysis and block compression.
    public var jobs: Int
    /// zstd level of archived blocks.
    public var archiveLevel: Int32 = 3
    /// Bytes per block read and analyzed at once (at least 64 KiB); the output does not
    /// depend on it.
    public var blockSize = 4 << 20
    public var headLines = 10
    public var tailLines = 10
    public var maxKeptLines = 10_000
    /// Rows of each log section's template table at most (0: no table).
    public var templateRows = 40
    /// The kind of every input, instead of detecting it from the content.
    public var kind: ContentKind?
    /// Tokens each section may take; nil for the default of its kind
    /// (`TokenBudget.defaultBudget(for:)`).
    public var budget: TokenBudget?
    /// No lossy step: JSON, search results, diffs, code and RAG records keep every fact (the section may
    /// exceed the budget); logs are not cut to the budget.
    public var lossless = false
    /// What the user is looking for: past the budget, the parts most relevant to it are kept
    /// first (BM25).
    public var query = ""
    /// Settings of the RAG compressor (`--extractive`).
    public var rag = RAGOptions()
    /// Sources committed together (one fsync) at most, and bytes per commit at most.
    public var commitSources = 64
    public var commitBytes = 256 << 20

    public init(jobs: Int) { self.jobs = jobs }
}

/// Figures of a finished run, for the summary line.
public struct RunSummary: Sendable {
    public var inputs = 0
    public var failed = 0
    public var bytes = 0
    public var tokensIn = 0
    public var tokensInExact = true
    public var bundleTokens = 0
    public var seconds = 0.0
}

/// Compresses inputs into sections and archives their originals.
///
/// Sections reach `emit` in input order, and only once their references are committed, so a
/// bundle never names a reference the archive cannot expand. Input errors reach `failed`
/// as they happen; the other inputs go on.
public final class CompressRun {
    private let options: CompressOptions
    private let archive: Archive
    private let tokenizer: TokenCounter

    public init(options: CompressOptions, archive: Archive, tokenizer: TokenCounter) {
        self.options = options
        self.archive = archive
        self.tokenizer = tokenizer
    }

    public func run(_ inputs: [InputSource],
                    progress: @escaping (_ bytes: Int, _ source: String) -> Void = { _, _ in },
                    failed: @escaping (HeadroomError) -> Void,
                    emit: @escaping (Section) -> Void) -> RunSummary {
        let started = monotonicSeconds()
        var summary = RunSummary()
        summary.inputs = inputs.count
        let writer = ArchiveWriter(archive: archive)
        let tokenizer = self.tokenizer
        let options = self.options
        var current: SourceAssembler?
        var currentFailed = false
        var waiting: [Section] = []
        var bytesSeen = 0

        func fail(_ error: HeadroomError) {
            summary.failed += 1
            failed(error)
        }
        func commit() {
            do {
                try writer.commit()
                for section in waiting {
                    summary.bytes += section.bytes
                    summary.tokensIn += section.tokensIn
                    summary.tokensInExact = summary.tokensInExact && section.tokensInExact
                    summary.bundleTokens += section.bundleTokens
                    emit(section)
                }
            } catch {
                for section in waiting { fail(Self.notArchived(section.source, error)) }
            }
            waiting.removeAll()
        }

        let pipeline = BlockPipeline(jobs: options.jobs, blockSize: options.blockSize, kind: options.kind) {
            BlockAnalyzer(level: options.archiveLevel, tokenizer: tokenizer)
        }
        pipeline.run(inputs) { block in
            let input = inputs[block.source]
            if block.ordinal == 0 {
                currentFailed = false
                if case .payload(let payload) = input, let problem = payload.problem {
                    // Reported, and still archived and shown as it is.
                    fail(HeadroomError(.input, input.description, problem))
                }
                var compressorOptions = LogCompressor.Options()
                compressorOptions.headLines = options.headLines
                compressorOptions.tailLines = options.tailLines
                compressorOptions.maxKeptLines = options.maxKeptLines
                compressorOptions.templateRows = options.templateRows
                let miner = TemplateMiner()
                current = SourceAssembler(source: input, compression: block.compression,
                                          compressor: LogCompressor(options: compressorOptions, miner: miner), miner: miner,
                                          records: block.kind == .jsonl
                                              ? RecordCompressor(headRecords: options.headLines, tailRecords: options.tailLines) : nil)
                if block.readError == nil {
                    do { try writer.beginSource() } catch {
                        currentFailed = true
                        fail(Self.notArchived(input, error))
                    }
                }
            }
            guard !currentFailed, let assembler = current else { return }
            if let error = block.readError ?? block.analysisError {
                writer.abandonSource()
                currentFailed = true
                fail(error)
                return
            }
            do {
                try assembler.consume(block, archive: writer)
            } catch {
                writer.abandonSource()
                currentFailed = true
                fail(Self.notArchived(input, error))
                return
            }
            bytesSeen += block.count
            progress(bytesSeen, input.description)
            guard block.isLast else { return }
            do {
                let (section, problem) = try self.finish(assembler, digest: block.contentDigest!, writer: writer)
                if let problem { fail(HeadroomError(.input, input.description, problem)) }
                waiting.append(section)
                if writer.pendingCount >= options.commitSources || writer.pendingBytes >= options.commitBytes { commit() }
            } catch {
                writer.abandonSource()
                fail(Self.notArchived(input, error))
            }
            current = nil
        }
        commit()
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// An archive failure reported against the input it cost.
    private static func notArchived(_ input: CustomStringConvertible, _ error: Error) -> HeadroomError {
        HeadroomError(.archive, input.description, "not archived: \(error)")
    }

    /// The section of a source whose blocks have all been consumed, and what is wrong with
    /// its content, if anything.
    private func finish(_ assembler: SourceAssembler, digest: String, writer: ArchiveWriter) throws -> (Section, String?) {
        assembler.finish()
        let detection = assembler.detection ?? KindDetection(kind: .log, reason: "no content")
        let kind = assembler.size == 0 ? "empty" : assembler.binary ? "binary" : assembler.kind.rawValue
        var kindReason = assembler.size == 0 ? "no bytes" : assembler.binary ? "control bytes or invalid UTF-8 in its first 64 KiB"
            : options.kind != nil ? "set by --kind (the content looks like \(detection.kind.rawValue): \(detection.reason))"
            : detection.reason
        if assembler.documentTooLarge {
            kindReason += "; over \(Format.bytes(DocumentCompressors.limit)), so compressed line by line"
        }
        let name = assembler.source.description
        let tokensIn = assembler.binary ? 0 : assembler.tokens
        let finished = try writer.finishSource(digest: digest, path: name, kind: kind, size: assembler.size,
                                               lines: assembler.lines, binary: assembler.binary,
                                               tokens: tokensIn, tokensExact: assembler.tokensExact)
        let tokenizer = self.tokenizer
        let sectionBudget = (options.budget ?? TokenBudget.defaultBudget(for: assembler.kind)).tokens(forInput: tokensIn)
        var section = Section(source: name, kind: kind, kindReason: kindReason, compression: assembler.compression,
                              reference: finished.id, bytes: assembler.size, lines: assembler.lines, tokensIn: tokensIn,
                              tokensInExact: assembler.tokensExact, bundleTokens: sectionBudget, body: [], omissions: [],
                              alreadyArchived: finished.alreadyStored)
        // The budget bounds the whole section: the body gets what its header line leaves.
        let headerTokens = tokenizer.count(BundleRenderer(tokenizerName: tokenizer.name).header(section)) + 1
        let budget = sectionBudget > 0 ? max(1, sectionBudget - headerTokens) : 0
        let count: ([UInt8]) -> Int = { body in body.withUnsafeBytes { tokenizer.count($0) } }
        var body: CompressedBody
        switch kind {
        case "empty":
            body = CompressedBody(body: Array("[empty: 0 bytes]\n".utf8), omissions: [])
        case "binary":
            let text = "[binary content · \(Format.bytes(assembler.size)) not shown · \(finished.id)]\n"
            body = CompressedBody(body: Array(text.utf8), omissions: [])
        default:
            if let records = assembler.records {
                body = records.finish(reference: finished.id, budget: options.lossless ? 0 : budget, tokens: count)
            } else if let document = assembler.document, let compressor = DocumentCompressors.compressor(for: assembler.kind, rag: options.rag) {
                let context = DocumentContext(reference: finished.id, budget: budget, lossless: options.lossless,
                                              query: options.query, tokens: count)
                body = compressor.compress(document, context: context)
            } else {
                body = assembler.compressor.finish(reference: finished.id, budget: options.lossless ? 0 : budget, tokens: count)
            }
        }
        let bundleTokens = body.body.withUnsafeBytes { tokenizer.count($0) }
        writer.setBundleTokens(bundleTokens, digest: digest, path: name)
        section.bundleTokens = bundleTokens
        section.body = body.body
        section.omissions = body.omissions
        return (section, body.problem)
    }
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
