/// Full-text search over the originals in an archive (SQLite FTS5, BM25 ranking).
///
/// The index is derived data in its own file, `search.sqlite` beside the archive's index: it
/// can be deleted at any time and is rebuilt as needed. `refresh` indexes the references
/// added since the last refresh and forgets the removed ones; `search` refreshes first.
/// Originals are indexed in chunks: one line for JSONL records, else runs of up to
/// `chunkLines` lines and about `chunkBytes` bytes; each hit is a line range of a reference.
public final class SearchIndex {
    static let chunkLines = 20
    static let chunkBytes = 2048
    /// Bytes of one chunk indexed at most (the rest of a very long line is not searchable).
    static let maxChunkBytes = 64 << 10

    /// One chunk that matches, best first.
    public struct Hit: Sendable {
        public var reference: ReferenceQuery
        public var source: String
        /// The matching text with the query's terms in `[brackets]`, on one line.
        public var snippet: String
        /// BM25 relevance, higher is better.
        public var score: Double
    }

    private let archive: Archive
    private let database: SQLiteDatabase

    public init(archive: Archive) throws {
        self.archive = archive
        database = try SQLiteDatabase(path: archive.path + "/search.sqlite")
        try database.execute("PRAGMA journal_mode=WAL;")
        do {
            try database.execute("""
                CREATE TABLE IF NOT EXISTS indexed(digest TEXT PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL);
                CREATE VIRTUAL TABLE IF NOT EXISTS chunks USING fts5(
                    text, digest UNINDEXED, first UNINDEXED, last UNINDEXED, tokenize = 'unicode61');
                """)
        } catch {
            throw HeadroomError(.archive, archive.path + "/search.sqlite", "cannot create the search index (is SQLite built with FTS5?): \(error)")
        }
    }

    /// Indexes the references not indexed yet and drops those no longer in the archive;
    /// returns how many were indexed. `progress` gets each reference's id as it starts.
    @discardableResult
    public func refresh(progress: (ReferenceID) -> Void = { _ in }) throws -> Int {
        let references = try archive.references()
        let present = Set(references.map(\.digest))
        let known = Set(try database.query("SELECT digest FROM indexed") { $0.text(0) })
        for gone in known.subtracting(present).sorted() {
            try database.transaction {
                try database.run("DELETE FROM chunks WHERE digest = ?", [.text(gone)])
                try database.run("DELETE FROM indexed WHERE digest = ?", [.text(gone)])
            }
        }
        var added = 0
        for reference in references where !known.contains(reference.digest) {
            progress(reference.id)
            let source = try archive.sourcePaths(of: reference).first ?? ""
            try database.transaction {
                if !reference.binary { try index(reference) }
                try database.run("INSERT INTO indexed(digest, id, source) VALUES (?, ?, ?)",
                                 [.text(reference.digest), .text(reference.id.description), .text(source)])
            }
            added += 1
        }
        return added
    }

    /// The `limit` best chunks for `query` (its words, any of them; rarer words weigh more).
    public func search(_ query: String, limit: Int) throws -> [Hit] {
        let match = Self.matchExpression(query)
        guard !match.isEmpty else { return [] }
        let sql = """
            SELECT indexed.id, indexed.source, chunks.first, chunks.last,
                   snippet(chunks, 0, '[', ']', '…', 16), bm25(chunks)
            FROM chunks JOIN indexed ON indexed.digest = chunks.digest
            WHERE chunks MATCH ? ORDER BY bm25(chunks), indexed.id, chunks.first LIMIT ?
            """
        return try database.query(sql, [.text(match), .of(limit)]) { row in
            let id = ReferenceID(hex: String(row.text(0).dropFirst(ReferenceID.prefix.count)))
            let snippet = row.text(4).split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ⏎ ")
            return Hit(reference: ReferenceQuery(id: id, range: LineRange(row.int(2), row.int(3))), source: row.text(1),
                       snippet: snippet, score: -row.double(5))
        }
    }

    /// The hits as one JSON object: `query`, and `hits` with reference, source, first, last,
    /// snippet and score.
    public static func manifest(query: String, hits: [Hit]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("query", query)
        json.key("hits")
        json.beginArray()
        for hit in hits {
            json.beginObject()
            json.field("reference", hit.reference.description)
            json.field("source", hit.source)
            json.field("first", hit.reference.range?.first ?? 1)
            json.field("last", hit.reference.range?.last ?? 1)
            json.field("snippet", hit.snippet)
            json.key("score")
            json.number(hit.score, digits: 3)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes + [10]
    }

    /// `"word1" OR "word2"`: each word of the query as an FTS5 string (quotes doubled).
    static func matchExpression(_ query: String) -> String {
        let words = query.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: " OR ")
    }

    /// Adds the chunks of one reference.
    private func index(_ reference: Archive.StoredReference) throws {
        let perRecord = reference.kind == ContentKind.jsonl.rawValue || reference.kind == ContentKind.rag.rawValue
        let insert = try database.prepare("INSERT INTO chunks(text, digest, first, last) VALUES (?, ?, ?, ?)")
        var chunk: [UInt8] = []
        var first = 1
        var line = 1
        var linesInChunk = 0
        func flush() throws {
            defer {
                chunk.removeAll(keepingCapacity: true)
                linesInChunk = 0
                first = line
            }
            guard linesInChunk > 0 else { return }
            try insert.bind([.text(String(decoding: chunk, as: UTF8.self)), .text(reference.digest), .of(first), .of(line - 1)])
            _ = try insert.step()
        }
        try archive.retrieve(ReferenceQuery(id: reference.id)) { bytes in
            var start = 0
            while start < bytes.count {
                let newline = bytes.firstIndex(of: 10, from: start)
                let end = newline ?? bytes.count
                let room = max(0, Self.maxChunkBytes - chunk.count)
                chunk.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<min(end, start + room)]))
                start = end + 1
                guard newline != nil else { break }
                chunk.append(10)
                line += 1
                linesInChunk += 1
                if perRecord || linesInChunk >= Self.chunkLines || chunk.count >= Self.chunkBytes { try flush() }
            }
        }
        if let last = chunk.last, last != 10 {
            // A last line without a newline.
            linesInChunk += 1
            line += 1
        }
        try flush()
    }
}
