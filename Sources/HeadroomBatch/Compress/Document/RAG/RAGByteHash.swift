/// A fast, well-spread 64-bit hash of a run of bytes (8-byte words through the splitmix64
/// finaliser), for the RAG compressor's tables of lines and texts (`RAGByteTable`), which
/// compare the bytes whenever hashes agree. Much faster than feeding `Hasher` byte by byte,
/// as `[UInt8]` or `ArraySlice<UInt8>` dictionary keys do.
enum RAGByteHash {
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash = UInt64(truncatingIfNeeded: raw.count) &* 0x9e37_79b9_7f4a_7c15
            var offset = 0
            while offset + 8 <= raw.count {
                hash = NearDuplicateGrouper.mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            if offset < raw.count {
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while offset < raw.count {
                    tail |= UInt64(raw[offset]) << shift
                    shift += 8
                    offset += 1
                }
                hash = NearDuplicateGrouper.mix(hash ^ tail ^ 0xff)
            }
            return hash
        }
    }
}
