/// Appends the originals of one run to the archive and indexes them durably.
///
/// Usage per source: `beginSource`, `appendBlock` for each block in order, then
/// `finishSource` (which names the reference and drops duplicate bytes) or `abandonSource`.
/// `commit` makes finished sources durable (segment fsync, then one index transaction);
/// until then no reference of theirs is in the index.
public final class ArchiveWriter {
    /// Segments are rolled over past this size.
    static let segmentLimit = 1 << 30

    private let archive: Archive
    private var database: SQLiteDatabase { archive.index.database }
    private var segment: SegmentFile?
    private var sourceStart = 0
    /// Between `beginSource` and `finishSource`/`abandonSource`: the bytes past `sourceStart` are its.
    private var sourceOpen = false
    private var blocks: [Archive.BlockLocation] = []
    private var pending: [FinishedSource] = []
    private var now: Int { Int(time(nil)) }

    /// A source whose blocks are written but not yet committed.
    public struct FinishedSource {
        public var id: ReferenceID
        public var digest: String
        /// True when the archive already held these bytes (nothing new was stored).
        public var alreadyStored: Bool
        var kind: String
        var size: Int
        var lines: Int
        var binary: Bool
        var tokens: Int
        var tokensExact: Bool
        var blocks: [Archive.BlockLocation]
        var path: String
        var bundleTokens = 0
        /// Ids of the records the source holds, with their 1-based lines.
        var recordIDs: [(id: String, line: Int)] = []
    }

    public init(archive: Archive) { self.archive = archive }

    deinit {
        // Uncommitted bytes are garbage; cut them off while we still hold the lock.
        if let segment, let committed = try? committedBytes(segment.id) { try? segment.truncate(to: committed) }
    }

    public var pendingCount: Int { pending.count }
    public var pendingBytes: Int { pending.reduce(0) { $0 + $1.size } }

    /// Starts a new source: takes a segment with room if none is held.
    public func beginSource() throws {
        if let current = segment, current.size >= Self.segmentLimit, pending.isEmpty {
            segment = nil
        }
        if segment == nil { segment = try acquireSegment() }
        sourceStart = segment!.size
        sourceOpen = true
        blocks.removeAll(keepingCapacity: true)
    }

    /// Appends one compressed block; lines are 1-based, of the block's first and last byte.
    public func appendBlock(frame: UnsafeRawBufferPointer, rawOffset: Int, rawLength: Int, firstLine: Int, lastLine: Int) throws {
        guard let segment else { preconditionFailure("appendBlock before beginSource") }
        let offset = try segment.append(frame)
        blocks.append(Archive.BlockLocation(segment: segment.id, offset: offset, packed: frame.count,
                                            rawOffset: rawOffset, raw: rawLength, firstLine: firstLine, lastLine: lastLine))
    }

    /// Cuts off the blocks of a source that failed.
    /// Does nothing when no source is open (e.g. one that failed before `beginSource`): the
    /// bytes past `sourceStart` then belong to finished sources awaiting their commit.
    public func abandonSource() {
        guard sourceOpen else { return }
        sourceOpen = false
        try? segment?.truncate(to: sourceStart)
        blocks.removeAll(keepingCapacity: true)
    }

    /// Ends the current source and names its reference; the bytes wait for `commit`.
    public func finishSource(digest: String, path: String, kind: String, size: Int, lines: Int, binary: Bool,
                             tokens: Int, tokensExact: Bool) throws -> FinishedSource {
        let alreadyStored = try storedID(digest: digest) != nil || pending.contains { $0.digest == digest }
        if alreadyStored { try segment?.truncate(to: sourceStart) }
        let id = try referenceID(forDigest: digest)
        let finished = FinishedSource(id: id, digest: digest, alreadyStored: alreadyStored, kind: kind, size: size,
                                      lines: lines, binary: binary, tokens: tokens, tokensExact: tokensExact,
                                      blocks: alreadyStored ? [] : blocks, path: path)
        blocks.removeAll(keepingCapacity: true)
        pending.append(finished)
        sourceOpen = false
        return finished
    }

    /// The reference of content with this digest: the archive's, else the one `finishSource`
    /// gives it (so work that must name the reference can start before the bytes are stored).
    public func referenceID(forDigest digest: String) throws -> ReferenceID {
        if let stored = try storedID(digest: digest) { return stored }
        if let inBatch = pending.first(where: { $0.digest == digest }) { return inBatch.id }
        return try uniqueID(for: digest)
    }

    /// The reference of content with this digest when the index already holds it.
    public func storedID(digest: String) throws -> ReferenceID? {
        try database.query("SELECT id FROM refs WHERE digest = ?", [.text(digest)]) { $0.text(0) }.first
            .map { ReferenceID(hex: String($0.dropFirst(ReferenceID.prefix.count))) }
    }

    /// Records the bundle tokens of the most recently finished source with this digest and path.
    public func setBundleTokens(_ tokens: Int, digest: String, path: String) {
        if let i = pending.lastIndex(where: { $0.digest == digest && $0.path == path }) { pending[i].bundleTokens = tokens }
    }

    /// Records the ids of the records (by line) of the most recently finished source with this digest.
    public func setRecordIDs(_ ids: [(id: String, line: Int)], digest: String) {
        if let i = pending.lastIndex(where: { $0.digest == digest }) { pending[i].recordIDs = ids }
    }

    /// Makes every finished source durable and indexed. On failure none of them is indexed:
    /// they are dropped and their bytes cut off.
    public func commit() throws {
        guard !pending.isEmpty, let segment else { return }
        defer { pending.removeAll() }
        do {
            try segment.sync()
            try index(pending, segment: segment)
        } catch {
            if let committed = try? committedBytes(segment.id) { try? segment.truncate(to: committed) }
            throw error
        }
    }

    /// One transaction: the references new to the index with their blocks, the sources, and
    /// the segment's committed length.
    private func index(_ pending: [FinishedSource], segment: SegmentFile) throws {
        let stamp = now
        try database.transaction {
            for source in pending {
                var row = try database.query("SELECT ref FROM refs WHERE digest = ?", [.text(source.digest)]) { $0.int(0) }.first
                if row == nil {
                    try database.run(
                        """
                        INSERT INTO refs(digest, id, kind, size, lines, binary, tokens, tokens_exact, added_at, used_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [.text(source.digest), .text(source.id.description), .text(source.kind), .of(source.size),
                         .of(source.lines), .of(source.binary ? 1 : 0), .of(source.tokens), .of(source.tokensExact ? 1 : 0),
                         .of(stamp), .of(stamp)])
                    row = try database.query("SELECT last_insert_rowid()") { $0.int(0) }.first
                    let insert = try database.prepare(
                        """
                        INSERT INTO blocks(ref, ordinal, segment, offset, packed, raw_offset, raw, first_line, last_line)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    for (ordinal, block) in source.blocks.enumerated() {
                        try insert.bind([.of(row!), .of(ordinal), .of(block.segment), .of(block.offset), .of(block.packed),
                                         .of(block.rawOffset), .of(block.raw), .of(block.firstLine), .of(block.lastLine)])
                        while try insert.step() {}
                    }
                } else {
                    try database.run("UPDATE refs SET used_at = ? WHERE ref = ?", [.of(stamp), .of(row!)])
                }
                try database.run(
                    "INSERT OR REPLACE INTO sources(ref, path, bundle_tokens, used_at) VALUES (?, ?, ?, ?)",
                    [.of(row!), .text(source.path), .of(source.bundleTokens), .of(stamp)])
                if !source.recordIDs.isEmpty {
                    let insert = try database.prepare("INSERT OR IGNORE INTO record_ids(id, ref, line) VALUES (?, ?, ?)")
                    for record in source.recordIDs {
                        try insert.bind([.text(record.id), .of(row!), .of(record.line)])
                        while try insert.step() {}
                    }
                }
            }
            try database.run("UPDATE segments SET committed_bytes = ? WHERE id = ?", [.of(segment.size), .of(segment.id)])
        }
    }

    /// The shortest ID of at least 16 digits that no other digest uses.
    private func uniqueID(for digest: String) throws -> ReferenceID {
        var digits = ReferenceID.shownDigits
        while digits < 64 {
            let candidate = ReferenceID(digest: digest, digits: digits)
            let owner = try database.query("SELECT digest FROM refs WHERE id = ?", [.text(candidate.description)]) { $0.text(0) }.first
            if owner == nil || owner == digest { return candidate }
            digits += 4
        }
        return ReferenceID(digest: digest, digits: 64)
    }

    private func committedBytes(_ id: Int) throws -> Int {
        try database.query("SELECT committed_bytes FROM segments WHERE id = ?", [.of(id)]) { $0.int(0) }.first ?? 0
    }

    /// Takes the lock of a segment with room, or creates a new segment.
    private func acquireSegment() throws -> SegmentFile {
        let candidates = try database.query(
            "SELECT id FROM segments WHERE committed_bytes < ? ORDER BY id", [.of(Self.segmentLimit)]) { $0.int(0) }
        for id in candidates {
            if let file = try SegmentFile.lockForAppend(directory: archive.path, id: id) {
                // Re-read under the lock: bytes past the committed length belong to nobody.
                try file.truncate(to: try committedBytes(id))
                return file
            }
        }
        while true {
            let id = try database.transaction { () throws -> Int in
                try database.run("INSERT INTO segments(committed_bytes) VALUES (0)")
                return try database.query("SELECT last_insert_rowid()") { $0.int(0) }.first!
            }
            if let file = try SegmentFile.lockForAppend(directory: archive.path, id: id) {
                try syncDirectory(archive.path + "/segments")
                return file
            }
        }
    }

    private func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fsync(fd)
    }
}
