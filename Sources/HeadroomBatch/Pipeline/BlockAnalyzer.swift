/// The per-worker stage: splits a block into line records (level, signals, control bytes,
/// and a hash for lines the compressor may keep), computes the lines' template signatures,
/// counts its tokens, and compresses it into a zstd frame. Each worker owns one analyzer, so
/// its compression context and buffers are reused block after block.
final class BlockAnalyzer {
    /// Lines longer than this are never printed, hashed or searched for a level, and are
    /// mined for templates by their first `longLine` bytes.
    static let longLine = 4096

    private let compressor: ZstdBlockCompressor?
    private let tokenizer: TokenCounter?
    private var shapes = LineShapeCache()
    private var recordAnalyzer = RecordAnalyzer()

    /// An analyzer for `compress`: everything, with archive frames at zstd `level`.
    init(level: Int32, tokenizer: TokenCounter) {
        compressor = ZstdBlockCompressor(level: level)
        self.tokenizer = tokenizer
    }

    /// An analyzer for template mining only: line records without levels or signals, and
    /// the signatures.
    init() {
        compressor = nil
        tokenizer = nil
    }

    func analyze(_ block: Block) {
        guard block.readError == nil else { return }
        let bytes = block.bytes
        guard let compressor, let tokenizer else {
            splitLines(block, bytes, classify: false)
            return
        }
        do {
            block.frameLength = bytes.isEmpty ? 0 : try compressor.compress(bytes, into: block.frame)
        } catch let error as HeadroomError {
            block.analysisError = error
            return
        } catch {
            block.analysisError = HeadroomError(.archive, "zstd", "\(error)")
            return
        }
        if block.ordinal == 0 { block.looksBinary = Self.looksBinary(bytes) }
        if block.kind == .jsonl {
            block.newlines = recordAnalyzer.analyze(bytes, startsMidLine: block.startsMidLine, endsMidLine: block.endsMidLine,
                                                    into: &block.records)
        } else {
            splitLines(block, bytes, classify: true)
        }
        countTokens(block, bytes, tokenizer)
    }

    private func splitLines(_ block: Block, _ bytes: UnsafeRawBufferPointer, classify: Bool) {
        var start = 0
        var newlines = 0
        while start < bytes.count {
            let newline = bytes.firstIndex(of: 10, from: start)
            let end = newline ?? bytes.count
            let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            var record = LineRecord(start: Int32(start), length: Int32(end - start), hash: 0, shape: 0, level: .none,
                                    signal: [], hasControl: false)
            let mined = block.lines.count >= block.firstMinedLine
            if line.isEmpty || line.count > Self.longLine {
                if mined { block.signatures.add(UnsafeRawBufferPointer(rebasing: line.prefix(Self.longLine))) }
            } else {
                let key = LineShapeCache.key(line)
                var facts: LineShapeCache.Entry
                if let known = shapes.find(key) {
                    facts = known
                    if mined { block.signatures.add(line, known: known, shapes: shapes) }
                } else {
                    facts = LineShapeCache.Entry()
                    facts.key = key
                    if classify { Self.classify(line, into: &facts) }
                    if mined {
                        block.signatures.learn(line, into: &facts)
                        shapes.store(facts, tokens: block.signatures.tokens, lineStart: 0)
                    }
                }
                if classify {
                    record.level = facts.level
                    record.signal = facts.signal
                    record.hasControl = facts.hasControl
                    // Only lines the compressor may keep for what they say are looked up by hash.
                    if record.level >= .warn || !record.signal.isEmpty {
                        record.hash = LineHash.hash(line).hash
                        record.shape = LineHash.shape(line)
                    }
                }
            }
            block.lines.append(record)
            if newline == nil { break }
            newlines += 1
            start = end + 1
        }
        block.newlines = newlines
    }

    /// The level, signals and control bytes of a line (of at most `longLine` bytes).
    private static func classify(_ line: UnsafeRawBufferPointer, into facts: inout LineShapeCache.Entry) {
        facts.level = LineLevel.detect(line)
        // Lines their authors call routine: DEBUG and TRACE are not searched, and the paths
        // of INFO and NOTICE lines are not locations worth keeping.
        switch facts.level {
        case .debug, .trace: facts.signal = []
        case .info, .notice: facts.signal = LineSignal.detect(line, locations: false)
        default: facts.signal = LineSignal.detect(line)
        }
        facts.hasControl = LineHash.hasControlByte(line)
    }

    /// Exact for the first blocks of a source; later blocks count a line-aligned sample and scale.
    private func countTokens(_ block: Block, _ bytes: UnsafeRawBufferPointer, _ tokenizer: TokenCounter) {
        if block.ordinal < Block.exactlyCountedBlocks || bytes.count <= Block.tokenSample {
            block.tokens = tokenizer.count(bytes)
            block.tokensExact = tokenizer.isExact
            return
        }
        var end = Block.tokenSample
        if let cut = UnsafeRawBufferPointer(rebasing: bytes[0..<Block.tokenSample]).lastIndex(of: 10) { end = cut + 1 }
        let sampled = tokenizer.count(UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
        block.tokens = Int((Double(sampled) * Double(bytes.count) / Double(end)).rounded())
        block.tokensExact = false
    }

    /// Binary content: NUL bytes or many bytes that are neither text controls nor valid UTF-8.
    static func looksBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 64 << 10)])
        guard !sample.isEmpty else { return false }
        var suspicious = 0
        var i = 0
        while i < sample.count {
            let c = sample[i]
            if c < 0x80 {
                if c == 0 || (c < 0x20 && c != 9 && c != 10 && c != 13 && c != 12 && c != 27) { suspicious += 1 }
                i += 1
                continue
            }
            let width = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0
            if width == 0 || i + width > sample.count {
                suspicious += (width == 0 ? 1 : 0)
                i += 1
                continue
            }
            var valid = true
            for k in 1..<width where sample[i + k] & 0xC0 != 0x80 { valid = false }
            if valid { i += width } else { suspicious += 1; i += 1 }
        }
        return suspicious * 10 > sample.count
    }
}
