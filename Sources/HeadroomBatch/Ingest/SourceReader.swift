import Crypto

/// Reads one source into blocks: large reads into the block's own buffer, cut after the last
/// newline when more input follows, the remainder carried into the next block. When
/// `hashing`, it hashes what it hands out, in order: the last block carries the SHA-256 of
/// the whole content.
final class SourceReader {
    let source: InputSource
    private let stream: ByteStream
    let compression: StreamCompression
    private var carry: UnsafeMutableRawBufferPointer
    private var carryCount = 0
    private var ordinal = 0
    private var offset = 0
    private var endedMidLine = false
    private var hasher: SHA256?
    private(set) var finished = false

    /// Opens the source (and a decoder for compressed content); blocks must all be of one size.
    init(_ source: InputSource, blockCapacity: Int = Block.capacity, hashing: Bool = true) throws {
        self.source = source
        hasher = hashing ? SHA256() : nil
        let raw: ByteStream
        switch source {
        case .file(let path):
            var status = stat()
            if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
                throw HeadroomError(.input, path, "is a directory")
            }
            raw = try DescriptorStream(path: path)
        case .standardInput:
            raw = DescriptorStream(descriptor: 0, name: "<stdin>", owned: false)
        case .payload(let payload):
            raw = try payload.bytes.stream()
        }
        (stream, compression) = try decodingStream(raw, name: source.description)
        carry = .allocate(byteCount: max(blockCapacity, Block.minimumCapacity), alignment: 64)
    }

    deinit { carry.deallocate() }

    /// Fills `block` with the next piece of the source; sets `isLast` on the final one.
    /// A read error is recorded in the block (and ends the source) rather than thrown.
    func fill(_ block: Block) {
        block.ordinal = ordinal
        block.rawOffset = offset
        block.startsMidLine = endedMidLine
        block.compression = compression
        ordinal += 1
        let buffer = block.buffer
        if carryCount > 0 { buffer.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carryCount) }
        var filled = carryCount
        carryCount = 0
        var atEnd = false
        do {
            while filled < buffer.count {
                let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 {
                    atEnd = true
                    break
                }
                filled += n
            }
        } catch let error as HeadroomError {
            block.readError = error
            atEnd = true
        } catch {
            block.readError = HeadroomError(.input, source.description, "\(error)")
            atEnd = true
        }
        var cut = filled
        block.endsMidLine = false
        if !atEnd {
            if let newline = UnsafeRawBufferPointer(rebasing: buffer[0..<filled]).lastIndex(of: 10) {
                cut = newline + 1
                carryCount = filled - cut
                carry.baseAddress!.copyMemory(from: buffer.baseAddress! + cut, byteCount: carryCount)
            } else {
                block.endsMidLine = true
            }
        }
        endedMidLine = block.endsMidLine
        block.count = cut
        offset += cut
        block.isLast = atEnd
        finished = atEnd
        guard hasher != nil else { return }
        hasher!.update(bufferPointer: block.bytes)
        if atEnd && block.readError == nil { block.contentDigest = hasher!.finalize().hexDigest }
    }
}
