/// One line of a block, as the analysis stage describes it.
struct LineRecord {
    /// Byte offset of the line in its block.
    var start: Int32
    /// Length without the newline.
    var length: Int32
    /// `LineHash.hash` of lines that carry a level of WARN or more or a signal; 0 otherwise
    /// (the compressor compares the bytes of other lines directly).
    var hash: UInt64
    /// `LineHash.shape` of lines that carry a level of WARN or more or a signal; 0 otherwise.
    var shape: UInt64
    var level: LineLevel
    var signal: LineSignal
    /// The line holds control bytes (NUL and the like) and is never printed verbatim.
    var hasControl: Bool
}

/// A piece of one source (at most `Block.capacity` bytes, cut after a newline when the input
/// goes on), with everything the workers computed for it. Blocks are pooled and reused.
final class Block {
    /// Size of a full block by default. Cuts depend only on the content and the block size,
    /// and nothing a run outputs depends on the block size (tested with small blocks).
    static let capacity = 4 << 20
    /// The smallest block size: a line that fits `BlockAnalyzer.longLine` never spans blocks.
    static let minimumCapacity = 64 << 10
    /// Bytes of a block tokenized when the source is past its exactly counted head; the
    /// block's count is scaled from them (and the figure labelled an estimate).
    static let tokenSample = 16 << 10
    /// Blocks at the start of a source whose tokens are all counted: a source of up to
    /// `capacity` bytes gets an exact count.
    static let exactlyCountedBlocks = 1

    let buffer: UnsafeMutableRawBufferPointer
    let frame: UnsafeMutableRawBufferPointer

    // Set by the reader.
    var sequence = 0
    var source = 0
    /// The file name of the source (nil for stdin).
    var path: String?
    var ordinal = 0
    var count = 0
    var rawOffset = 0
    var isLast = false
    var startsMidLine = false
    var endsMidLine = false
    var readError: HeadroomError?
    var compression: StreamCompression = .none
    /// On the last block of a source: the SHA-256 (hex) of all of the source's bytes.
    var contentDigest: String?
    /// On the first block of a source: what it holds.
    var detection: KindDetection?
    /// The kind the source is compressed as (`--kind`, else the detection), on every block.
    var kind: ContentKind = .log

    // Set by the analysis stage.
    var frameLength = 0
    var lines: [LineRecord] = []
    var newlines = 0
    var tokens = 0
    var tokensExact = true
    var looksBinary = false
    var analysisError: HeadroomError?
    /// Template signatures of the lines that start in this block (not the rest of a line
    /// begun in an earlier one): `lines[i]` has `signatures.lineSignatures[i - firstMinedLine]`.
    var signatures = ChunkSignatures()
    /// For JSONL sources (instead of line records and signatures): what the block's records hold.
    var records = RecordSummary()

    init(capacity: Int = Block.capacity) {
        let capacity = max(capacity, Self.minimumCapacity)
        buffer = .allocate(byteCount: capacity, alignment: 64)
        frame = .allocate(byteCount: ZstdBlockCompressor.bound(capacity), alignment: 64)
    }

    /// Index in `lines` of the first line with a signature: 1 when the block begins with the
    /// rest of a line from an earlier block.
    var firstMinedLine: Int { startsMidLine ? 1 : 0 }

    deinit {
        buffer.deallocate()
        frame.deallocate()
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<count]) }

    /// Clears everything but the buffers.
    func reset() {
        count = 0
        path = nil
        rawOffset = 0
        isLast = false
        startsMidLine = false
        endsMidLine = false
        readError = nil
        compression = .none
        contentDigest = nil
        detection = nil
        kind = .log
        frameLength = 0
        lines.removeAll(keepingCapacity: true)
        newlines = 0
        tokens = 0
        tokensExact = true
        looksBinary = false
        analysisError = nil
        signatures.reset()
        records.reset()
    }
}
