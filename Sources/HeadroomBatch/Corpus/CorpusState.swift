/// What earlier runs of a pipeline did, so a run over an unchanged corpus does almost
/// nothing: `state.sqlite` in the output directory. It is derived data: deleting it only
/// makes the next run process everything again.
///
/// - `part_outputs`: the outputs of each processed part, keyed by the part's content digest
///   (its archive reference) and the settings that shape the outputs. The key is an index of
///   its own: a lookup never reads the outputs.
/// - `inputs`: per `[[inputs]]` entry, the files it named (path, size, modification time,
///   inode) and the digests of its parts, in order: when no file changed, the input is not read.
/// - `outputs`: the fingerprint of the last outputs written (every part digest and the settings).
final class CorpusState {
    let database: SQLiteDatabase

    init(directory: String) throws {
        database = try SQLiteDatabase(path: directory + "/state.sqlite")
        try database.execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS part_outputs(
                digest TEXT NOT NULL, settings TEXT NOT NULL, reference TEXT NOT NULL,
                records INTEGER NOT NULL, lines INTEGER NOT NULL, bytes INTEGER NOT NULL,
                tokens_in INTEGER NOT NULL, tokens_exact INTEGER NOT NULL, bundle_tokens INTEGER NOT NULL,
                title TEXT NOT NULL, problem TEXT NOT NULL, section BLOB NOT NULL, corpus BLOB NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS part_outputs_by_digest ON part_outputs(digest, settings);
            CREATE TABLE IF NOT EXISTS inputs(key TEXT PRIMARY KEY, files TEXT NOT NULL, parts TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS outputs(name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
            """)
    }

    /// Opens the state of an earlier run read-only (for a dry run); fails when there is none.
    init(readingIn directory: String) throws {
        database = try SQLiteDatabase(path: directory + "/state.sqlite", readOnly: true)
    }

    /// A processed part's outputs.
    struct Part {
        var digest: String
        var reference: ReferenceID
        var records: Int
        var lines: Int
        var bytes: Int
        var tokensIn: Int
        var tokensExact: Bool
        var bundleTokens: Int
        /// Names the part in the bundle: the input file and its lines.
        var title: String
        /// What is wrong with the part's lines (lines that are not records), empty when nothing.
        var problem: String
        /// The bundle section's body, as one zstd frame.
        var packedSection: [UInt8]
        /// The records' corpus lines (`CorpusRecordEncoding`), as one zstd frame.
        var packedCorpus: [UInt8]
    }

    /// A processed part; without `content`, its figures only (the packed outputs empty).
    func part(_ digest: String, settings: String, content: Bool = true) throws -> Part? {
        let blobs = content ? "section, corpus" : "x'', x''"
        return try database.query(
            """
            SELECT reference, records, lines, bytes, tokens_in, tokens_exact, bundle_tokens, title, problem, \(blobs)
            FROM part_outputs WHERE digest = ? AND settings = ?
            """, [.text(digest), .text(settings)]) { row in
            Part(digest: digest, reference: ReferenceID(hex: String(row.text(0).dropFirst(ReferenceID.prefix.count))),
                 records: row.int(1), lines: row.int(2), bytes: row.int(3), tokensIn: row.int(4), tokensExact: row.int(5) != 0,
                 bundleTokens: row.int(6), title: row.text(7), problem: row.text(8), packedSection: row.blob(9),
                 packedCorpus: row.blob(10))
        }.first
    }

    func hasPart(_ digest: String, settings: String) throws -> Bool {
        try database.query("SELECT 1 FROM part_outputs WHERE digest = ? AND settings = ?", [.text(digest), .text(settings)]) { _ in true }.first ?? false
    }

    func store(_ parts: [Part], settings: String) throws {
        try database.transaction {
            let insert = try database.prepare(
                """
                INSERT OR REPLACE INTO part_outputs(digest, settings, reference, records, lines, bytes, tokens_in, tokens_exact,
                                             bundle_tokens, title, problem, section, corpus)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for part in parts {
                try insert.bind([.text(part.digest), .text(settings), .text(part.reference.description), .of(part.records),
                                 .of(part.lines), .of(part.bytes), .of(part.tokensIn), .of(part.tokensExact ? 1 : 0),
                                 .of(part.bundleTokens), .text(part.title), .text(part.problem), .blob(part.packedSection),
                                 .blob(part.packedCorpus)])
                while try insert.step() {}
            }
        }
    }

    /// The files and part digests an input had when last read, if any.
    func input(_ key: String) throws -> (files: String, parts: [String])? {
        try database.query("SELECT files, parts FROM inputs WHERE key = ?", [.text(key)]) { row in
            (row.text(0), row.text(1).split(separator: " ").map(String.init))
        }.first
    }

    func storeInput(_ key: String, files: String, parts: [String]) throws {
        try database.run("INSERT OR REPLACE INTO inputs(key, files, parts) VALUES (?, ?, ?)",
                         [.text(key), .text(files), .text(parts.joined(separator: " "))])
    }

    func outputFingerprint() throws -> String? {
        try database.query("SELECT fingerprint FROM outputs WHERE name = 'corpus'") { $0.text(0) }.first
    }

    func storeOutputFingerprint(_ fingerprint: String) throws {
        try database.run("INSERT OR REPLACE INTO outputs(name, fingerprint) VALUES ('corpus', ?)", [.text(fingerprint)])
    }

    /// Drops the parts no input uses any more (after a run has stored its inputs), then folds
    /// the write-ahead log into the database, so the next run opens it without replaying it.
    func dropUnusedParts(keeping parts: [(digest: String, settings: String)]) throws {
        let used = Set(parts.map { $0.digest + " " + $0.settings })
        let stored = try database.query("SELECT digest, settings FROM part_outputs") { ($0.text(0), $0.text(1)) }
        let unused = stored.filter { !used.contains($0.0 + " " + $0.1) }
        if !unused.isEmpty {
            try database.transaction {
                for (digest, settings) in unused {
                    try database.run("DELETE FROM part_outputs WHERE digest = ? AND settings = ?", [.text(digest), .text(settings)])
                }
            }
        }
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE);")
    }
}
