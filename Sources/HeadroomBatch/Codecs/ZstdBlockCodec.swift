import CZstd

/// Compresses one block into one independent zstd frame (content size and checksum included).
/// Each worker owns one and reuses its context and output buffer.
final class ZstdBlockCompressor {
    private let context: OpaquePointer

    init(level: Int32) {
        context = ZSTD_createCCtx()
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
    }

    deinit { ZSTD_freeCCtx(context) }

    /// The output capacity that always suffices for `inputCount` bytes.
    static func bound(_ inputCount: Int) -> Int { ZSTD_compressBound(inputCount) }

    /// Compresses `input` into `output` (at least `bound(input.count)` bytes); returns the frame length.
    func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        let written = ZSTD_compress2(context, output.baseAddress, output.count, input.baseAddress, input.count)
        if ZSTD_isError(written) != 0 {
            throw HeadroomError(.archive, "zstd", String(cString: ZSTD_getErrorName(written)))
        }
        return written
    }
}

extension ZstdBlockCompressor {
    /// `bytes` as one frame.
    func pack(_ bytes: [UInt8]) throws -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: Self.bound(bytes.count))
        let length = try bytes.withUnsafeBytes { input in try frame.withUnsafeMutableBytes { try compress(input, into: $0) } }
        frame.removeSubrange(length...)
        return frame
    }
}

/// Decompresses frames written by `ZstdBlockCompressor`; reuses one context.
final class ZstdBlockDecompressor {
    private let context: OpaquePointer

    init() { context = ZSTD_createDCtx() }
    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses a frame whose content is exactly `into.count` bytes; checks the checksum.
    func decompress(_ frame: UnsafeRawBufferPointer, into: UnsafeMutableRawBufferPointer) throws {
        let produced = ZSTD_decompressDCtx(context, into.baseAddress, into.count, frame.baseAddress, frame.count)
        if ZSTD_isError(produced) != 0 {
            throw HeadroomError(.archive, "zstd", "damaged block: \(String(cString: ZSTD_getErrorName(produced)))")
        }
        if produced != into.count {
            throw HeadroomError(.archive, "zstd", "damaged block: \(produced) bytes instead of \(into.count)")
        }
    }

    /// The content of a frame written by `pack`.
    func unpack(_ frame: [UInt8]) throws -> [UInt8] {
        let size = frame.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size < (1 << 34) else {
            throw HeadroomError(.archive, "zstd", "damaged frame: no content size")
        }
        var out = [UInt8](repeating: 0, count: Int(size))
        try frame.withUnsafeBytes { input in try out.withUnsafeMutableBytes { try decompress(input, into: $0) } }
        return out
    }
}
