/// Replaces containers among the inputs by the payloads they hold: every regular file of a
/// tar (also gzip-, zstd- or lz4-compressed) becomes an input of its own, titled
/// `archive.tar:member/path`. Other inputs pass through unchanged, in order.
public enum ContainerUnpacker {
    /// Decoded bytes of one compressed tar held in memory at most (members of an uncompressed
    /// tar are read in place and cost no memory).
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
            switch format {
            case .tar(let compression):
                do {
                    try unpackTar(path, compression: compression) { out.append(.payload($0)) }
                } catch let error as HeadroomError {
                    errors.append(error)
                } catch {
                    errors.append(HeadroomError(.input, path, "\(error)"))
                }
            }
        }
        return (out, errors)
    }

    enum ContainerFormat {
        case tar(StreamCompression)
    }

    /// What container `path` is, judged by its (decoded) first bytes; nil for anything else,
    /// and for files that cannot be opened (the run reports those).
    static func containerFormat(_ path: String) -> ContainerFormat? {
        guard let raw = try? DescriptorStream(path: path),
              let (stream, compression) = try? decodingStream(raw, name: path) else { return nil }
        var header = [UInt8](repeating: 0, count: 512)
        var filled = 0
        while filled < 512 {
            guard let n = try? header.withUnsafeMutableBytes({ try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }),
                  n > 0 else { break }
            filled += n
        }
        return filled == 512 && TarReader.looksLikeTar(header) ? .tar(compression) : nil
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
