import Crypto

/// Reads the files of one input into parts: JSONL files line by line, each file cut into its
/// own parts; documents archived whole and chunked into records, the records of all the
/// input's documents cut into parts together.
struct CorpusInputReader {
    let input: CorpusInput
    let settings: String
    let targetBytes: Int
    let chunker: DocumentChunker
    let archiveLevel: Int32
    /// Files that could not be read (each reported once).
    private(set) var failedFiles = 0

    init(input: CorpusInput, settings: String, targetBytes: Int, chunker: DocumentChunker, archiveLevel: Int32) {
        self.input = input
        self.settings = settings
        self.targetBytes = targetBytes
        self.chunker = chunker
        self.archiveLevel = archiveLevel
    }

    /// Reads `files` and hands each part to `handle`; returns the digests of every part, in order.
    mutating func read(_ files: [String], writer: ArchiveWriter, progress: (String) -> Void,
                       failed: (HeadroomError) -> Void, handle: (CorpusPartWork) throws -> Void) throws -> [String] {
        var digests: [String] = []
        var cutter = CorpusPartCutter(targetBytes: targetBytes)
        func emit(_ title: (Int, Int) -> String) throws {
            let part = cutter.take()
            guard part.records > 0 else { return }
            let digest = SHA256.hash(data: part.bytes).hexDigest
            digests.append(digest)
            let reference: ReferenceID
            do { reference = try writer.referenceID(forDigest: digest) } catch {
                failed(HeadroomError(.archive, input.path, "\(error)"))
                return
            }
            try handle(CorpusPartWork(bytes: part.bytes, digest: digest, reference: reference,
                                      title: title(part.firstLine, part.firstLine + part.records - 1),
                                      firstLine: part.firstLine, input: input))
        }
        switch input.format {
        case .jsonl:
            for file in files {
                progress("reading \(file)")
                do {
                    try CorpusLineReader(path: file).forEachLine { line, number in
                        guard cutter.add(line, number: number) else { return }
                        do { try emit { "\(file) · lines \($0)-\($1)" } } catch { throw StopRun(error: error) }
                    }
                } catch let stop as StopRun {
                    throw stop.error
                } catch {
                    failedFiles += 1
                    _ = cutter.take()
                    failed(HeadroomError(.input, file, "\(error)"))
                    continue
                }
                try emit { "\(file) · lines \($0)-\($1)" }
            }
        case .documents:
            let base = CorpusDocuments.files(of: input).base
            let documents = CorpusDocuments(chunker: chunker)
            var number = 0
            for file in files {
                progress("reading \(file)")
                guard let reference = archiveDocument(file, writer: writer, failed: failed),
                      let bytes = reference.bytes else { continue }
                for record in documents.records(of: bytes, path: file,
                                                relativePath: CorpusDocuments.relative(file, to: base),
                                                reference: reference.id) {
                    number += 1
                    let full = record.withUnsafeBytes { cutter.add($0, number: number) }
                    if full { try emit { "\(input.path) · passages \($0)-\($1)" } }
                }
            }
            try emit { "\(input.path) · passages \($0)-\($1)" }
        }
        return digests
    }

    /// An error of the run (archive, state), not of the file being read: it ends the run.
    private struct StopRun: Error { let error: Error }

    /// Archives one document whole (unless the archive holds it) and returns its reference
    /// and bytes; nil after reporting why it could not be read or archived.
    private mutating func archiveDocument(_ path: String, writer: ArchiveWriter,
                                          failed: (HeadroomError) -> Void) -> (id: ReferenceID, bytes: [UInt8]?)? {
        var status = stat()
        if stat(path, &status) == 0, Int(status.st_size) > CorpusDocuments.limit {
            failedFiles += 1
            failed(HeadroomError(.input, path, "larger than \(Format.bytes(CorpusDocuments.limit)); a document is chunked whole, so this one is skipped"))
            return nil
        }
        guard let bytes = readWholeFile(path) else {
            failedFiles += 1
            failed(HeadroomError(.input, path, "cannot read: \(errnoText(errno))"))
            return nil
        }
        let digest = SHA256.hash(data: bytes).hexDigest
        do {
            if let stored = try writer.storedID(digest: digest) { return (stored, bytes) }
            try writer.beginSource()
            let compressor = ZstdBlockCompressor(level: archiveLevel)
            var frame = [UInt8](repeating: 0, count: ZstdBlockCompressor.bound(bytes.count))
            let length = try bytes.withUnsafeBytes { input in try frame.withUnsafeMutableBytes { try compressor.compress(input, into: $0) } }
            var lines = 0
            for byte in bytes where byte == 10 { lines += 1 }
            if let last = bytes.last, last != 10 { lines += 1 }
            try frame.withUnsafeBytes {
                try writer.appendBlock(frame: UnsafeRawBufferPointer(rebasing: $0[0..<length]), rawOffset: 0, rawLength: bytes.count,
                                       firstLine: 1, lastLine: max(1, lines))
            }
            let finished = try writer.finishSource(digest: digest, path: path, kind: ContentKind.text.rawValue, size: bytes.count,
                                                   lines: lines, binary: false, tokens: bytes.count / 4, tokensExact: false)
            return (finished.id, bytes)
        } catch {
            writer.abandonSource()
            failedFiles += 1
            failed(HeadroomError(.archive, path, "not archived: \(error)"))
            return nil
        }
    }
}
