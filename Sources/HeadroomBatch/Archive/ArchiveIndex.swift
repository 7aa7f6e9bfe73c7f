/// The SQLite index of an archive (`index.sqlite`, WAL): references, their blocks and sources.
///
/// Format version 1:
/// - `meta(key, value)`: `format_version`.
/// - `segments(id, committed_bytes)`: bytes of `segments/<id>.zst` that committed references use.
/// - `refs`: one row per distinct content, keyed by its full SHA-256 `digest`; `id` is the
///   shown reference (`hb_` + 16 hex digits unless extended to stay unique).
/// - `blocks`: where each block of a reference lives (segment, offset, packed length) and
///   which bytes and lines of the original it holds.
/// - `sources`: which inputs produced a reference, with their token figures.
/// - `record_ids`: the ids of the RAG records a reference holds, with their lines, so a record
///   is retrievable by its id (added within version 1: created when missing).
final class ArchiveIndex {
    static let formatVersion = 1
    let database: SQLiteDatabase

    init(path: String) throws {
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        try migrate()
    }

    /// Checks the format version of an existing index, or creates the schema in a new one.
    /// Only creation takes the write lock, so readers never wait for writers here.
    private func migrate() throws {
        if try hasSchema() {
            try checkVersion()
            return try addRecordIDs()
        }
        try database.transaction {
            if try hasSchema() { return }
            try database.execute(Self.schema)
            try database.run("INSERT INTO meta(key, value) VALUES ('format_version', ?)",
                             [.text(String(Self.formatVersion))])
        }
        try checkVersion()
    }

    /// Creates `record_ids` in an index made before it existed.
    private func addRecordIDs() throws {
        let present = try database.query("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='record_ids'") { $0.int(0) }[0]
        if present == 0 { try database.execute(Self.recordIDs) }
    }

    private func hasSchema() throws -> Bool {
        try database.query("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'") { $0.int(0) }[0] > 0
    }

    private func checkVersion() throws {
        let version = try database.query("SELECT value FROM meta WHERE key='format_version'") { $0.text(0) }.first
        guard let version, Int(version) == Self.formatVersion else {
            throw HeadroomError(
                .archive, database.path,
                "archive format version \(version ?? "unknown") is not supported; this headroom-batch reads version \(Self.formatVersion)")
        }
    }

    private static let schema = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE segments(id INTEGER PRIMARY KEY, committed_bytes INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE refs(
            ref INTEGER PRIMARY KEY,
            digest TEXT NOT NULL UNIQUE,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            binary INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            tokens_exact INTEGER NOT NULL,
            added_at INTEGER NOT NULL,
            used_at INTEGER NOT NULL);
        CREATE TABLE blocks(
            ref INTEGER NOT NULL REFERENCES refs(ref) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            segment INTEGER NOT NULL REFERENCES segments(id),
            offset INTEGER NOT NULL,
            packed INTEGER NOT NULL,
            raw_offset INTEGER NOT NULL,
            raw INTEGER NOT NULL,
            first_line INTEGER NOT NULL,
            last_line INTEGER NOT NULL,
            PRIMARY KEY(ref, ordinal)) WITHOUT ROWID;
        CREATE INDEX blocks_by_segment ON blocks(segment);
        CREATE TABLE sources(
            ref INTEGER NOT NULL REFERENCES refs(ref) ON DELETE CASCADE,
            path TEXT NOT NULL,
            bundle_tokens INTEGER NOT NULL,
            used_at INTEGER NOT NULL,
            PRIMARY KEY(ref, path));
        """ + recordIDs

    private static let recordIDs = """
        CREATE TABLE IF NOT EXISTS record_ids(
            id TEXT NOT NULL,
            ref INTEGER NOT NULL REFERENCES refs(ref) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            PRIMARY KEY(id, ref, line)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS record_ids_by_ref ON record_ids(ref);
        """
}
