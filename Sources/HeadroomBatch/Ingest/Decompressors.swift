import CLZ4
import CZlib
import CZstd

/// The compression format of a stream, recognised by its leading magic bytes.
public enum StreamCompression: String, Sendable {
    case none, zstd, lz4, gzip

    static func detect(_ head: [UInt8]) -> StreamCompression {
        if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if head.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
        if head.starts(with: [0x1F, 0x8B]) { return .gzip }
        return .none
    }
}

/// Opens the right decoder over a stream according to its magic bytes.
func decodingStream(_ raw: ByteStream, name: String) throws -> (ByteStream, StreamCompression) {
    let peekable = PeekableStream(raw)
    let format = StreamCompression.detect(try peekable.peek(4))
    switch format {
    case .none: return (peekable, format)
    case .zstd: return (ZstdDecodingStream(peekable, name: name), format)
    case .lz4: return (LZ4DecodingStream(peekable, name: name), format)
    case .gzip: return (GzipDecodingStream(peekable, name: name), format)
    }
}

/// Shared plumbing for decoders: a compressed input buffer refilled from upstream.
class CompressedInput {
    let upstream: ByteStream
    let name: String
    var input: UnsafeMutableRawBufferPointer
    var inputStart = 0
    var inputEnd = 0
    var upstreamEnded = false

    required init(_ upstream: ByteStream, name: String) {
        self.upstream = upstream
        self.name = name
        input = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit { input.deallocate() }

    var pending: Int { inputEnd - inputStart }

    /// Reads more compressed bytes when the buffer is empty; false at the end of upstream.
    func refill() throws -> Bool {
        if pending > 0 { return true }
        if upstreamEnded { return false }
        inputStart = 0
        inputEnd = try upstream.read(into: input)
        if inputEnd == 0 { upstreamEnded = true }
        return inputEnd > 0
    }

    func truncated(_ format: String) -> HeadroomError {
        HeadroomError(.input, name, "truncated \(format) stream: it ends in the middle of compressed data")
    }
}

/// Streams the content of zstd frames (one or several concatenated).
final class ZstdDecodingStream: CompressedInput, ByteStream {
    private let context = ZSTD_createDStream()
    private var frameOpen = false

    deinit { ZSTD_freeDStream(context) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            guard try refill() else {
                if frameOpen { throw truncated("zstd") }
                return 0
            }
            var source = ZSTD_inBuffer(src: input.baseAddress! + inputStart, size: pending, pos: 0)
            var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let result = ZSTD_decompressStream(context, &target, &source)
            inputStart += source.pos
            if ZSTD_isError(result) != 0 {
                throw HeadroomError(.input, name, "corrupt zstd data: \(String(cString: ZSTD_getErrorName(result)))")
            }
            frameOpen = result != 0
            if target.pos > 0 { return target.pos }
        }
    }
}

/// Streams the content of LZ4 frames.
final class LZ4DecodingStream: CompressedInput, ByteStream {
    private var context: OpaquePointer?
    private var frameOpen = false

    required init(_ upstream: ByteStream, name: String) {
        super.init(upstream, name: name)
        var created: OpaquePointer?
        let rc = LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))
        precondition(LZ4F_isError(rc) == 0, "lz4 decoder allocation failed")
        context = created
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            guard try refill() else {
                if frameOpen { throw truncated("lz4") }
                return 0
            }
            var consumed = pending
            var produced = buffer.count
            let hint = LZ4F_decompress(context, buffer.baseAddress, &produced, input.baseAddress! + inputStart, &consumed, nil)
            inputStart += consumed
            if LZ4F_isError(hint) != 0 {
                throw HeadroomError(.input, name, "corrupt lz4 data: \(String(cString: LZ4F_getErrorName(hint)))")
            }
            frameOpen = hint != 0
            if produced > 0 { return produced }
        }
    }
}

/// Streams the content of gzip members (one or several concatenated).
final class GzipDecodingStream: CompressedInput, ByteStream {
    private var stream = z_stream()
    private var memberOpen = false

    required init(_ upstream: ByteStream, name: String) {
        super.init(upstream, name: name)
        let rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "zlib decoder allocation failed")
    }

    deinit { inflateEnd(&stream) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            guard try refill() else {
                if memberOpen { throw truncated("gzip") }
                return 0
            }
            stream.next_in = (input.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
            stream.avail_in = UInt32(pending)
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            memberOpen = true
            let rc = inflate(&stream, Z_NO_FLUSH)
            inputStart = inputEnd - Int(stream.avail_in)
            let produced = min(buffer.count, Int(UInt32.max)) - Int(stream.avail_out)
            switch rc {
            case Z_STREAM_END:
                memberOpen = false
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw HeadroomError(.input, name, "corrupt gzip data: \(detail)")
            }
            if produced > 0 { return produced }
        }
    }
}
