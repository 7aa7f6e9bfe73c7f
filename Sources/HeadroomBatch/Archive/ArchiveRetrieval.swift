/// Reading originals back: whole references or line ranges, decompressing only the blocks a
/// range touches.
extension Archive {
    /// Writes the bytes `query` stands for to `sink`, exactly as they were compressed.
    public func retrieve(_ query: ReferenceQuery, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let reference = try lookup(query.id)
        if let range = query.range, range.last > reference.lines {
            throw HeadroomError(.reference, query.description,
                                "range ends past the last line: \(reference.id) has \(Format.count(reference.lines)) lines")
        }
        let reader = StoredBlockReader(archive: self)
        let blocks = try self.blocks(of: reference, touching: query.range)
        guard let range = query.range else {
            for block in blocks { try reader.withBlock(block) { try sink($0) } }
            return
        }
        // Walk lines from the first block's first line; emit only lines inside the range.
        var line = blocks.first?.firstLine ?? 1
        for block in blocks {
            var stop = false
            try reader.withBlock(block) { bytes in
                var start = 0
                var emitFrom = line >= range.first ? 0 : -1
                while start < bytes.count {
                    guard let newline = bytes.firstIndex(of: 10, from: start) else { break }
                    if line == range.first - 1 { emitFrom = newline + 1 }
                    line += 1
                    start = newline + 1
                    if line > range.last {
                        if emitFrom >= 0 { try sink(UnsafeRawBufferPointer(rebasing: bytes[emitFrom..<start])) }
                        stop = true
                        return
                    }
                }
                if emitFrom >= 0 && emitFrom < bytes.count {
                    try sink(UnsafeRawBufferPointer(rebasing: bytes[emitFrom...]))
                }
            }
            if stop { break }
        }
    }
}

/// Decompresses blocks into one reused buffer.
final class StoredBlockReader {
    private let segments: SegmentReader
    private let decompressor = ZstdBlockDecompressor()
    private var packed = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
    private var raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)

    init(archive: Archive) { segments = SegmentReader(directory: archive.path) }

    deinit {
        packed.deallocate()
        raw.deallocate()
    }

    /// Calls `body` with the original bytes of `block` (valid only during the call).
    func withBlock<T>(_ block: Archive.BlockLocation, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if packed.count < block.packed {
            packed.deallocate()
            packed = .allocate(byteCount: block.packed, alignment: 16)
        }
        if raw.count < block.raw {
            raw.deallocate()
            raw = .allocate(byteCount: block.raw, alignment: 16)
        }
        let frame = UnsafeMutableRawBufferPointer(rebasing: packed[0..<block.packed])
        try segments.read(segment: block.segment, offset: block.offset, into: frame)
        let output = UnsafeMutableRawBufferPointer(rebasing: raw[0..<block.raw])
        try decompressor.decompress(UnsafeRawBufferPointer(frame), into: output)
        return try body(UnsafeRawBufferPointer(output))
    }
}
