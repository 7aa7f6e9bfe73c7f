/// Replaces containers among the inputs by the payloads they hold, in order:
/// - every regular file of a tar (also gzip-, zstd- or lz4-compressed) becomes an input of
///   its own, titled `archive.tar:member/path`;
/// - every tool result of a JSONL transcript (`TranscriptReader`) becomes an input titled
///   `session.jsonl:12 · Bash {"command":"ls"}`, and the transcript's other lines one input,
///   its conversation; a line that is not JSON is an input of its own, reported as an error.
/// Other inputs pass through unchanged.
public enum ContainerUnpacker {
    /// Decoded bytes of one compressed tar or one transcript held in memory at most (members
    /// of an uncompressed tar are read in place and cost no memory).
    public static let memoryLimit = 1 << 30

    /// The inputs with containers unpacked, and an error for each container that could not be
    /// read to its end (the members before the problem are still returned).
    public static func unpack(_ inputs: [InputSource]) -> (inputs: [InputSource], errors: [HeadroomError]) {
        var out: [InputSource] = []
        var errors: [HeadroomError] = []
        for input in inputs {
            guard case .file(let path) = input, let format = containerFormat(path) else {
                out.append(input)
                continue
            }
            do {
                switch format {
                case .tar(let compression): try unpackTar(path, compression: compression) { out.append(.payload($0)) }
                case .transcript: try unpackTranscript(path) { out.append(.payload($0)) }
                }
            } catch let error as HeadroomError {
                errors.append(error)
            } catch {
                errors.append(HeadroomError(.input, path, "\(error)"))
            }
        }
        return (out, errors)
    }

    enum ContainerFormat {
        case tar(StreamCompression)
        case transcript
    }

    /// Bytes of a file looked at to tell a transcript.
    static let transcriptHead = 256 << 10

    /// What container `path` is, judged by its (decoded) first bytes; nil for anything else,
    /// and for files that cannot be opened (the run reports those).
    static func containerFormat(_ path: String) -> ContainerFormat? {
        guard let raw = try? DescriptorStream(path: path),
              let (stream, compression) = try? decodingStream(raw, name: path) else { return nil }
        var head = [UInt8](repeating: 0, count: transcriptHead)
        var filled = 0
        while filled < head.count {
            guard let n = try? head.withUnsafeMutableBytes({ try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }),
                  n > 0 else { break }
            filled += n
        }
        head.removeSubrange(filled...)
        if TarReader.looksLikeTar(Array(head.prefix(512))) { return .tar(compression) }
        if head.first == UInt8(ascii: "{"), TranscriptReader.looksLikeTranscript(head) { return .transcript }
        return nil
    }

    private static func unpackTranscript(_ path: String, emit: (EmbeddedPayload) -> Void) throws {
        let (stream, _) = try decodingStream(try DescriptorStream(path: path), name: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= memoryLimit else {
                throw HeadroomError(.input, path, "transcript larger than \(Format.bytes(memoryLimit)): split it, or compress it with --no-unpack")
            }
        }
        var reader = TranscriptReader()
        reader.read(bytes)
        if reader.conversationLines > 0 {
            let title = "\(path) · conversation (\(Format.count(reader.conversationLines)) lines without tool results)"
            emit(EmbeddedPayload(title: title, pathHint: nil, bytes: .memory(SharedBytes(reader.conversation))))
        }
        var bad = reader.badLines[...]
        for result in reader.results {
            while let line = bad.first, line.line < result.line {
                emit(badLine(line, path))
                bad = bad.dropFirst()
            }
            emit(EmbeddedPayload(title: "\(path):\(result.line) · \(result.call)", pathHint: nil, bytes: .memory(SharedBytes(result.output))))
        }
        for line in bad { emit(badLine(line, path)) }
    }

    private static func badLine(_ line: TranscriptReader.BadLine, _ path: String) -> EmbeddedPayload {
        EmbeddedPayload(title: "\(path):\(line.line)", pathHint: nil, bytes: .memory(SharedBytes(line.bytes)),
                        problem: "line \(line.line) is not JSON (\(line.message)); shown as it is")
    }

    private static func unpackTar(_ path: String, compression: StreamCompression, emit: (EmbeddedPayload) -> Void) throws {
        let (stream, _) = try decodingStream(try DescriptorStream(path: path), name: path)
        var reader = TarReader(stream, name: path)
        var held = 0
        while true {
            let member: TarReader.Member?
            var content: [UInt8] = []
            if compression == .none {
                member = try reader.next()
            } else {
                member = try reader.next { bytes in
                    held += bytes.count
                    guard held <= memoryLimit else {
                        throw HeadroomError(.input, path, "holds more than \(Format.bytes(memoryLimit)) of members: unpack it and compress the directory")
                    }
                    content.append(contentsOf: bytes)
                }
            }
            guard let member else { return }
            let bytes: PayloadBytes = compression == .none
                ? .fileRange(path: path, offset: member.offset, count: member.size)
                : .memory(SharedBytes(content))
            emit(EmbeddedPayload(title: "\(path):\(member.name)", pathHint: member.name, bytes: bytes))
        }
    }
}
