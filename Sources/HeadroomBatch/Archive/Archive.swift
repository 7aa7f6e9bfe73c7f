/// An on-disk CCR archive: a private directory holding `segments/` (zstd frames) and
/// `index.sqlite` (which references exist and where their blocks are).
///
/// Several processes may write one archive at once: each appends to a segment it holds an
/// exclusive lock on, and the index serialises commits.
public final class Archive {
    public let path: String
    let index: ArchiveIndex

    /// Opens the archive at `path`, creating it (mode 0700, files 0600) when `create` is set.
    public init(path: String, create: Bool) throws {
        self.path = path
        umask(0o077)
        var status = stat()
        if stat(path, &status) != 0 {
            guard create else { throw HeadroomError(.archive, path, "no archive here (compress something first, or pass --archive)") }
            try Self.makeDirectories(path)
        } else if (status.st_mode & S_IFMT) != S_IFDIR {
            throw HeadroomError(.archive, path, "not a directory")
        }
        if create { try Self.makeDirectories(path + "/segments") }
        let indexPath = path + "/index.sqlite"
        if !create && access(indexPath, F_OK) != 0 {
            throw HeadroomError(.archive, path, "not an archive: index.sqlite is missing")
        }
        index = try ArchiveIndex(path: indexPath)
    }

    /// Creates `path` and its missing parents; the archive's own directories are 0700.
    private static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw HeadroomError(.archive, path, "cannot create directory \(prefix): \(errnoText(errno))")
            }
        }
        chmod(path, 0o700)
    }

    /// A reference as the index knows it.
    public struct StoredReference: Sendable {
        public var id: ReferenceID
        public var digest: String
        public var kind: String
        public var size: Int
        public var lines: Int
        public var binary: Bool
        let row: Int

        /// From `SELECT ref, digest, id, kind, size, lines, binary`.
        init(row: SQLiteStatement) {
            id = ReferenceID(hex: String(row.text(2).dropFirst(ReferenceID.prefix.count)))
            digest = row.text(1)
            kind = row.text(3)
            size = row.int(4)
            lines = row.int(5)
            binary = row.int(6) != 0
            self.row = row.int(0)
        }
    }

    /// Finds the reference whose digest starts with the query's hex digits.
    public func lookup(_ id: ReferenceID) throws -> StoredReference {
        let low = id.hex
        let high = low + "g"
        let rows = try index.database.query(
            "SELECT ref, digest, id, kind, size, lines, binary FROM refs WHERE digest >= ? AND digest < ? LIMIT 2",
            [.text(low), .text(high)], StoredReference.init(row:))
        guard let first = rows.first else {
            throw HeadroomError(.reference, id.description, "no such reference in the archive at \(path)")
        }
        guard rows.count == 1 else {
            throw HeadroomError(.reference, id.description, "ambiguous: several references start with these digits; give more")
        }
        return first
    }

    /// Every reference in the archive, oldest first.
    public func references() throws -> [StoredReference] {
        try index.database.query("SELECT ref, digest, id, kind, size, lines, binary FROM refs ORDER BY ref",
                                 [], StoredReference.init(row:))
    }

    /// The inputs that produced a reference, by name.
    public func sourcePaths(of reference: StoredReference) throws -> [String] {
        try index.database.query("SELECT path FROM sources WHERE ref = ? ORDER BY path", [.of(reference.row)]) { $0.text(0) }
    }

    /// The records archived under `id` (a RAG record's id field, as `run` indexes it), each as
    /// its reference with its line; the most recently added first.
    public func records(withID id: String) throws -> [ReferenceQuery] {
        try index.database.query(
            """
            SELECT r.id, i.line FROM record_ids i JOIN refs r ON r.ref = i.ref
            WHERE i.id = ? ORDER BY r.added_at DESC, r.ref DESC, i.line
            """, [.text(id)]) { row in
            ReferenceQuery(id: ReferenceID(hex: String(row.text(0).dropFirst(ReferenceID.prefix.count))),
                           range: LineRange(row.int(1), row.int(1)))
        }
    }

    /// Where one stored block of a reference is, and which bytes and lines it holds.
    struct BlockLocation {
        var segment: Int
        var offset: Int
        var packed: Int
        var rawOffset: Int
        var raw: Int
        var firstLine: Int
        var lastLine: Int
    }

    /// Blocks of a reference in order, optionally only those touching a line range.
    func blocks(of reference: StoredReference, touching range: LineRange? = nil) throws -> [BlockLocation] {
        var sql = "SELECT segment, offset, packed, raw_offset, raw, first_line, last_line FROM blocks WHERE ref = ?"
        var values: [SQLiteValue] = [.of(reference.row)]
        if let range {
            sql += " AND first_line <= ? AND last_line >= ?"
            values += [.of(range.last), .of(range.first)]
        }
        return try index.database.query(sql + " ORDER BY ordinal", values) { row in
            BlockLocation(segment: row.int(0), offset: row.int(1), packed: row.int(2), rawOffset: row.int(3),
                          raw: row.int(4), firstLine: row.int(5), lastLine: row.int(6))
        }
    }
}
