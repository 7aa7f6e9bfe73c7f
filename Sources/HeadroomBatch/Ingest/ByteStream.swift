/// A source of bytes read in large pieces: a file, stdin, or a decompressor over one of those.
protocol ByteStream: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads a file descriptor with `read(2)`; owns and closes it.
final class DescriptorStream: ByteStream {
    let name: String
    let descriptor: Int32
    private let owned: Bool

    init(descriptor: Int32, name: String, owned: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.owned = owned
    }

    /// Opens `path` for reading.
    convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HeadroomError(.input, path, Self.describeOpenError(errno)) }
        self.init(descriptor: fd, name: path, owned: true)
    }

    deinit { if owned { close(descriptor) } }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw HeadroomError(.input, name, "cannot read: \(errnoText(errno))")
        }
    }

    private static func describeOpenError(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES: return "permission denied (cannot read this file)"
        default: return "cannot open: \(errnoText(code))"
        }
    }
}

/// Lets the first bytes of a stream be looked at (for magic numbers) without losing them.
final class PeekableStream: ByteStream {
    private let upstream: ByteStream
    private var head: [UInt8] = []
    private var headOffset = 0

    init(_ upstream: ByteStream) { self.upstream = upstream }

    /// Up to `count` leading bytes of the stream (fewer only at its end).
    func peek(_ count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        while head.count < count {
            let n = try chunk.withUnsafeMutableBytes { try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(count - head.count)])) }
            if n == 0 { break }
            head.append(contentsOf: chunk[0..<n])
        }
        return Array(head.prefix(count))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if headOffset < head.count {
            let n = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + headOffset, byteCount: n) }
            headOffset += n
            return n
        }
        return try upstream.read(into: buffer)
    }
}
