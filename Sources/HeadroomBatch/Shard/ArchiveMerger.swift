/// Merges other archives into one. References are content hashes, so a merge is a union:
/// a reference the target lacks is copied (its zstd frames byte for byte, no recompression,
/// its index rows through the target's writer, so the usual crash safety holds); one it has
/// gains only the source names and record ids it lacked. Merging the same archive twice
/// changes nothing.
public struct ArchiveMerger {
    let target: Archive

    public init(into target: Archive) { self.target = target }

    /// What a merge did.
    public struct Result: Sendable {
        public var copied = 0
        public var present = 0
        public var bytes = 0
    }

    /// Merges every reference of `source` into the target.
    public func merge(_ source: Archive) throws -> Result {
        var result = Result()
        let writer = ArchiveWriter(archive: target)
        let reader = SegmentReader(directory: source.path)
        let db = source.index.database
        struct Row { var ref: Int; var digest: String; var kind: String; var size: Int; var lines: Int; var binary: Bool; var tokens: Int; var exact: Bool }
        let rows = try db.query("SELECT ref, digest, kind, size, lines, binary, tokens, tokens_exact FROM refs ORDER BY ref") {
            Row(ref: $0.int(0), digest: $0.text(1), kind: $0.text(2), size: $0.int(3), lines: $0.int(4), binary: $0.int(5) != 0,
                tokens: $0.int(6), exact: $0.int(7) != 0)
        }
        var extras: [(digest: String, sources: [(path: String, bundleTokens: Int)], ids: [(id: String, line: Int)])] = []
        for row in rows {
            let sources = try db.query("SELECT path, bundle_tokens FROM sources WHERE ref = ? ORDER BY path", [.of(row.ref)]) {
                ($0.text(0), $0.int(1))
            }
            let ids = try db.query("SELECT id, line FROM record_ids WHERE ref = ? ORDER BY id, line", [.of(row.ref)]) {
                ($0.text(0), $0.int(1))
            }
            extras.append((row.digest, sources, ids))
            if try writer.storedID(digest: row.digest) != nil {
                result.present += 1
                continue
            }
            let blocks = try db.query(
                "SELECT segment, offset, packed, raw_offset, raw, first_line, last_line FROM blocks WHERE ref = ? ORDER BY ordinal",
                [.of(row.ref)]) { ($0.int(0), $0.int(1), $0.int(2), $0.int(3), $0.int(4), $0.int(5), $0.int(6)) }
            try writer.beginSource()
            for (segment, offset, packed, rawOffset, raw, firstLine, lastLine) in blocks {
                var frame = [UInt8](repeating: 0, count: packed)
                try frame.withUnsafeMutableBytes { try reader.read(segment: segment, offset: offset, into: $0) }
                try frame.withUnsafeBytes {
                    try writer.appendBlock(frame: $0, rawOffset: rawOffset, rawLength: raw, firstLine: firstLine, lastLine: lastLine)
                }
                result.bytes += packed
            }
            let first = sources.first ?? ("", 0)
            _ = try writer.finishSource(digest: row.digest, path: first.0, kind: row.kind, size: row.size, lines: row.lines,
                                        binary: row.binary, tokens: row.tokens, tokensExact: row.exact)
            writer.setBundleTokens(first.1, digest: row.digest, path: first.0)
            result.copied += 1
            if writer.pendingBytes >= 256 << 20 { try writer.commit() }
        }
        try writer.commit()
        // Source names and record ids the target lacks, for copied and present references alike.
        let database = target.index.database
        try database.transaction {
            let addSource = try database.prepare(
                "INSERT OR IGNORE INTO sources(ref, path, bundle_tokens, used_at) SELECT ref, ?, ?, strftime('%s','now') FROM refs WHERE digest = ?")
            let addID = try database.prepare("INSERT OR IGNORE INTO record_ids(id, ref, line) SELECT ?, ref, ? FROM refs WHERE digest = ?")
            for extra in extras {
                for source in extra.sources {
                    try addSource.bind([.text(source.path), .of(source.bundleTokens), .text(extra.digest)])
                    while try addSource.step() {}
                }
                for record in extra.ids {
                    try addID.bind([.text(record.id), .of(record.line), .text(extra.digest)])
                    while try addID.step() {}
                }
            }
        }
        return result
    }
}
