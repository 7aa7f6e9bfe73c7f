/// One retrieved record of a RAG JSONL payload, its fields found by `RAGFieldMapping`.
struct RAGRecord {
    /// The 1-based line of the record in the payload (record N is line N).
    var line: Int
    var text: [UInt8]
    var id: [UInt8]?
    var source: [UInt8]?
    var query: [UInt8]?
    var score: Double?
    /// The score as written, for printing.
    var scoreText: [UInt8]?
}

/// Which keys of a record hold its fields: for each field, the first key present (and not
/// null) wins. The defaults name the usual keys of RAG exports:
///
/// - text: `text`, `content`, `passage`, `chunk`, `page_content`, `body` (decoded, real newlines)
/// - id: `id`, `_id`, `chunk_id`, `doc_id` (a string's decoded bytes, or any other value as written)
/// - source: `source`, `url`, `path`, `file`, `document`
/// - query: `query`, `question`
/// - score: `score`, `_score` (a number, or a string holding one)
///
/// Keys are top-level keys of the record object; every other key is carried through untouched.
public struct RAGFieldMapping: Sendable, Equatable {
    public var text = ["text", "content", "passage", "chunk", "page_content", "body"]
    public var id = ["id", "_id", "chunk_id", "doc_id"]
    public var source = ["source", "url", "path", "file", "document"]
    public var query = ["query", "question"]
    public var score = ["score", "_score"]

    public init() {}
}

/// A payload split into records and the lines that are not records.
struct RAGRecords {
    var records: [RAGRecord] = [] {
        didSet { hasQueries = records.contains { $0.query != nil } }
    }
    /// Lines kept verbatim: not a JSON object, or an object without a text field (1-based
    /// line, bytes without the newline).
    var verbatim: [(line: Int, bytes: ArraySlice<UInt8>)] = []
    /// Lines holding only whitespace.
    var blankLines = 0
    /// Lines in the payload.
    var lineCount = 0

    /// True when at least one record carries a query: passages are then grouped by query.
    /// (Kept up to date as `records` changes, since it is read per printed passage.)
    private(set) var hasQueries = false

    /// Parses every line of `document` as one record, its fields found by `fields`.
    init(_ document: [UInt8], fields: RAGFieldMapping = RAGFieldMapping()) {
        let lines = DocumentLines(document)
        lineCount = lines.count
        for index in 0..<lines.count {
            let content = lines.content(index)
            if content.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                blankLines += 1
                continue
            }
            if let record = Self.record(Array(content), line: index + 1, fields: fields) {
                records.append(record)
            } else {
                verbatim.append((index + 1, content))
            }
        }
        hasQueries = records.contains { $0.query != nil }
    }

    /// The record of one line, or nil when the line is not a JSON object with a text field.
    static func record(_ line: [UInt8], line number: Int, fields: RAGFieldMapping = RAGFieldMapping()) -> RAGRecord? {
        guard case .success(let document) = JSONDocument.parse(line),
              document.kind(document.root) == .object,
              let textNode = first(fields.text, in: document),
              let text = document.string(textNode),
              text.contains(where: { !PassageStitcher.isSpace($0) })
        else { return nil }
        var record = RAGRecord(line: number, text: text)
        record.id = first(fields.id, in: document).map { value(document, $0) }
        record.source = first(fields.source, in: document).map { value(document, $0) }
        record.query = first(fields.query, in: document).map { value(document, $0) }
        if let node = first(fields.score, in: document) {
            let written = value(document, node)
            record.scoreText = written
            record.score = Double(String(decoding: written, as: UTF8.self))
        }
        return record
    }

    /// The node of the first key of `keys` present in the root object (null values skipped).
    private static func first(_ keys: [String], in document: JSONDocument) -> Int? {
        for key in keys {
            if let node = document.member(document.root, key), document.kind(node) != .null { return node }
        }
        return nil
    }

    /// A string's decoded bytes, or any other value's bytes as written.
    private static func value(_ document: JSONDocument, _ node: Int) -> [UInt8] {
        document.string(node) ?? Array(document.rawBytes(node))
    }
}
