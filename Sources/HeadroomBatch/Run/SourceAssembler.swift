/// The merge-stage state of one source: numbers its lines, appends its blocks to the archive,
/// and feeds its compressor: the JSONL compressor with the blocks' record summaries, or the
/// log compressor with its lines (also for document kinds, whose whole payload is gathered
/// besides, in case it outgrows `DocumentCompressors.limit`).
final class SourceAssembler {
    let source: InputSource
    let compression: StreamCompression
    private(set) var size = 0
    private(set) var tokens = 0
    private(set) var tokensExact = true
    private(set) var binary = false
    /// What the source holds, as its first block shows (`--kind` is applied by the run).
    private(set) var detection: KindDetection?
    private var counter = LineCounter()
    let compressor: LogCompressor
    /// Number of the line the next byte belongs to.
    private var currentLine = 1
    /// A line longer than a block, still being read: its number and signature.
    private var openLongLine: (number: Int, signature: Int32)?
    /// Mines the templates of the lines as blocks arrive, in order.
    let miner: TemplateMiner
    /// The kind the source is compressed as: `--kind`, else what its first block showed.
    private(set) var kind: ContentKind = .log
    /// The whole payload, gathered for a document compressor (JSON, search, diff, code, RAG) while
    /// it stays within `DocumentCompressors.limit`; nil for other kinds and larger payloads.
    private(set) var document: [UInt8]?
    /// True when the payload was gathered for a document compressor but outgrew the limit.
    private(set) var documentTooLarge = false

    /// The JSONL compressor, for sources of that kind (their lines skip the log compressor).
    let records: RecordCompressor?

    init(source: InputSource, compression: StreamCompression, compressor: LogCompressor, miner: TemplateMiner,
         records: RecordCompressor?) {
        self.source = source
        self.compression = compression
        self.compressor = compressor
        self.miner = miner
        self.records = records
    }

    var lines: Int { counter.lines }

    /// Takes the next block of this source (in order).
    func consume(_ block: Block, archive: ArchiveWriter) throws {
        if block.ordinal == 0 {
            binary = block.looksBinary
            detection = block.detection
            kind = block.kind
            if !binary, DocumentCompressors.compressor(for: kind) != nil { document = [] }
        }
        let bytes = block.bytes
        guard !bytes.isEmpty else { return }
        counter.add(bytes, newlines: block.newlines)
        size += bytes.count
        tokens += block.tokens
        tokensExact = tokensExact && block.tokensExact
        let endsWithNewline = bytes[bytes.count - 1] == 10
        let lastLine = currentLine + block.newlines - (endsWithNewline ? 1 : 0)
        try archive.appendBlock(frame: UnsafeRawBufferPointer(rebasing: block.frame[0..<block.frameLength]),
                                rawOffset: block.rawOffset, rawLength: bytes.count,
                                firstLine: currentLine, lastLine: lastLine)
        if document != nil {
            if document!.count + bytes.count <= DocumentCompressors.limit {
                document!.append(contentsOf: bytes)
            } else {
                document = nil
                documentTooLarge = true
            }
        }
        if let records {
            if !binary { records.absorb(block.records, firstLine: currentLine) }
        } else if !binary {
            feedLines(block, bytes)
        }
        currentLine += block.newlines
    }

    private func feedLines(_ block: Block, _ bytes: UnsafeRawBufferPointer) {
        var number = currentLine
        let lastIndex = block.lines.count - 1
        let signatures = miner.absorb(block.signatures)
        for (index, record) in block.lines.enumerated() {
            let terminated = index < lastIndex || bytes[bytes.count - 1] == 10
            if index == 0, block.startsMidLine, let open = openLongLine {
                // The rest of a line that began in an earlier block.
                if terminated || block.isLast {
                    openLongLine = nil
                    compressor.add(.init(number: open.number, signature: open.signature, bytes: nil, hash: 0, shape: 0,
                                         level: .none, signal: [], hasControl: false))
                    number += 1
                }
                continue
            }
            let signature = Int32(signatures[index - block.firstMinedLine])
            if !terminated && block.endsMidLine {
                openLongLine = (number, signature)
                break
            }
            let long = Int(record.length) > BlockAnalyzer.longLine
            let slice = long ? nil : UnsafeRawBufferPointer(rebasing: bytes[Int(record.start)..<Int(record.start + record.length)])
            compressor.add(.init(number: number, signature: signature, bytes: slice, hash: record.hash, shape: record.shape,
                                 level: record.level,
                                  signal: record.signal,
                                  hasControl: record.hasControl))
            number += 1
        }
        compressor.endOfBlock()
    }

    /// Ends the source: emits a long line still open.
    func finish() {
        if let open = openLongLine {
            compressor.add(.init(number: open.number, signature: open.signature, bytes: nil, hash: 0, shape: 0, level: .none,
                                 signal: [], hasControl: false))
            openLongLine = nil
        }
    }
}
