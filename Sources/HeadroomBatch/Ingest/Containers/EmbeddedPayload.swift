/// A payload unpacked from a container: a member of a tar, or one tool result of a
/// transcript. It is compressed and archived like a file of its own.
public struct EmbeddedPayload: Hashable, Sendable {
    /// The section title: the container and where in it, e.g. `calls.tar:out/01.json` or
    /// `session.jsonl:12 · Bash {"command":"ls"}`.
    public let title: String
    /// A name whose extension hints at the kind (the member's path), if any.
    public let pathHint: String?
    public let bytes: PayloadBytes
    /// What was wrong with this item (a transcript line that is not JSON, say): the run
    /// reports it as an error of this item and still archives and shows the raw bytes.
    public let problem: String?

    public init(title: String, pathHint: String?, bytes: PayloadBytes, problem: String? = nil) {
        self.title = title
        self.pathHint = pathHint
        self.bytes = bytes
        self.problem = problem
    }
}

/// Where a payload's bytes are: a byte range of a file (members of an uncompressed tar stay
/// on disk), or bytes in memory (decoded ones).
public enum PayloadBytes: Hashable, Sendable {
    case fileRange(path: String, offset: Int, count: Int)
    case memory(SharedBytes)

    /// A stream over the bytes.
    func stream() throws -> ByteStream {
        switch self {
        case .fileRange(let path, let offset, let count):
            return try FileRangeStream(path: path, offset: offset, count: count)
        case .memory(let shared):
            return MemoryStream(shared.bytes)
        }
    }
}

/// Bytes shared without copying; equal when they are the same object.
public final class SharedBytes: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static func == (a: SharedBytes, b: SharedBytes) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Reads bytes held in memory.
final class MemoryStream: ByteStream {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }
}

/// Reads `count` bytes of a file from `offset` with `pread(2)`.
final class FileRangeStream: ByteStream {
    private let file: DescriptorStream
    private let name: String
    private var offset: Int
    private var remaining: Int

    init(path: String, offset: Int, count: Int) throws {
        file = try DescriptorStream(path: path)
        name = path
        self.offset = offset
        remaining = count
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0 else { return 0 }
        while true {
            let n = pread(file.descriptor, buffer.baseAddress, min(buffer.count, remaining), off_t(offset))
            if n > 0 {
                offset += n
                remaining -= n
                return n
            }
            if n == 0 { throw HeadroomError(.input, name, "ends before the member it contains: the archive is truncated") }
            if errno == EINTR { continue }
            throw HeadroomError(.input, name, "cannot read: \(errnoText(errno))")
        }
    }
}
