/// A part waiting to be processed: its record lines and what names it.
struct CorpusPartWork {
    var bytes: [UInt8]
    var digest: String
    var reference: ReferenceID
    /// The input file and the lines of it the part holds, e.g. `corpus.jsonl · lines 1-9,214`.
    var title: String
    /// The line of the input file the part's first record is on.
    var firstLine: Int
    var input: CorpusInput
}

/// What processing a part gives: its outputs for the state, its archive frames, and the ids
/// of its records.
struct CorpusPartResult {
    var part: CorpusState.Part
    var frames: [(frame: [UInt8], rawOffset: Int, raw: Int, firstLine: Int, lastLine: Int)]
    var recordIDs: [(id: String, line: Int)]
}

/// Processes one part, on any thread: packs it into zstd frames, compresses it into a bundle
/// section with the RAG compressor, and writes its records' corpus lines.
struct CorpusPartProcessor: @unchecked Sendable {
    let definition: PipelineDefinition
    let tokenizer: TokenCounter
    let archiveLevel: Int32
    /// Bytes per archived frame at most (cut at line ends), so a record is retrieved by
    /// decompressing one frame, not the part.
    static let frameBytes = 1 << 20
    /// Tokens are counted exactly up to this many bytes; past it, on a sample, and scaled.
    static let exactTokenBytes = 2 << 20

    func process(_ work: CorpusPartWork) throws -> CorpusPartResult {
        let bytes = work.bytes
        let frames = try pack(bytes)
        let (tokensIn, tokensExact) = count(bytes)

        var rag = definition.rag
        rag.fields = work.input.fields
        let budget = definition.budget.tokens(forInput: tokensIn)
        let counter = tokenizer
        let context = DocumentContext(reference: work.reference, budget: budget, lossless: budget == 0,
                                      query: definition.query, tokens: { body in body.withUnsafeBytes { counter.count($0) } })
        let body = RAGCompressor(options: rag).compress(bytes, context: context)

        var records: [CorpusRecordLine] = []
        var recordIDs: [(id: String, line: Int)] = []
        var notRecords = 0
        var firstNotRecord = 0
        var lines = 0
        var start = 0
        for index in bytes.indices where bytes[index] == 10 {
            lines += 1
            let line = bytes[start..<index]
            start = index + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let reference = ReferenceQuery(id: work.reference, range: LineRange(lines, lines))
            if let record = CorpusRecordLine(line, reference: reference, input: work.input) {
                if let id = record.id { recordIDs.append((id, lines)) }
                records.append(record)
            } else {
                notRecords += 1
                if firstNotRecord == 0 { firstNotRecord = work.firstLine + lines - 1 }
            }
        }
        let problem = notRecords == 0 ? ""
            : "\(Format.count(notRecords)) line\(notRecords == 1 ? " is" : "s are") not a JSON record with a text field "
                + "(first: line \(Format.count(firstNotRecord))); kept in the bundle and the archive, left out of corpus.jsonl"
        let (bundleTokens, _) = count(body.body)
        let packer = ZstdBlockCompressor(level: 1)
        let part = CorpusState.Part(
            digest: work.digest, reference: work.reference, records: records.count, lines: lines, bytes: bytes.count,
            tokensIn: tokensIn, tokensExact: tokensExact, bundleTokens: bundleTokens, title: work.title, problem: problem,
            packedSection: try packer.pack(body.body), packedCorpus: try packer.pack(CorpusRecordEncoding.encode(records)))
        return CorpusPartResult(part: part, frames: frames, recordIDs: recordIDs)
    }

    /// The part as zstd frames of about `frameBytes`, cut after a newline.
    private func pack(_ bytes: [UInt8]) throws -> [(frame: [UInt8], rawOffset: Int, raw: Int, firstLine: Int, lastLine: Int)] {
        let compressor = ZstdBlockCompressor(level: archiveLevel)
        var frames: [(frame: [UInt8], rawOffset: Int, raw: Int, firstLine: Int, lastLine: Int)] = []
        var start = 0
        var line = 1
        try bytes.withUnsafeBytes { all in
            while start < all.count {
                var end = min(all.count, start + Self.frameBytes)
                if end < all.count, let newline = UnsafeRawBufferPointer(rebasing: all[start..<end]).lastIndex(of: 10) {
                    end = start + newline + 1
                }
                let piece = UnsafeRawBufferPointer(rebasing: all[start..<end])
                var newlines = 0
                for byte in piece where byte == 10 { newlines += 1 }
                var frame = [UInt8](repeating: 0, count: ZstdBlockCompressor.bound(piece.count))
                let length = try frame.withUnsafeMutableBytes { try compressor.compress(piece, into: $0) }
                frame.removeSubrange(length...)
                let lastLine = line + newlines - (piece.last == 10 ? 1 : 0)
                frames.append((frame, start, piece.count, line, lastLine))
                line += newlines
                start = end
            }
        }
        return frames
    }

    /// Tokens of `bytes`: exact up to `exactTokenBytes`, else counted on a line-aligned
    /// sample of that size and scaled (then not exact).
    private func count(_ bytes: [UInt8]) -> (Int, Bool) {
        bytes.withUnsafeBytes { all in
            if all.count <= Self.exactTokenBytes { return (tokenizer.count(all), tokenizer.isExact) }
            var end = Self.exactTokenBytes
            if let cut = UnsafeRawBufferPointer(rebasing: all[0..<end]).lastIndex(of: 10) { end = cut + 1 }
            let sampled = tokenizer.count(UnsafeRawBufferPointer(rebasing: all[0..<end]))
            return (Int((Double(sampled) * Double(all.count) / Double(end)).rounded()), false)
        }
    }
}
