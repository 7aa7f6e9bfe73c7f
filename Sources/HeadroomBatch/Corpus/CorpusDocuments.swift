/// Turns the documents of a `documents` input into RAG records: each file (`.md`, `.txt`,
/// `.rst`, `.html`) is archived whole as its own reference, cut into passages by
/// `DocumentChunker`, and each passage becomes one JSONL record:
///
///     {"id":"guide/install.md#2","source":"guide/install.md","lines":"12-30",
///      "headings":["Install","Linux"],"hb_doc":"hb_…:12-30","text":"…"}
///
/// `source` is the path below the input's directory, `hb_doc` the passage's lines in the
/// archived document. The records then go through the pipeline like any JSONL records.
struct CorpusDocuments {
    let chunker: DocumentChunker
    /// Larger documents are an error of their own (the others go on).
    static let limit = 64 << 20

    /// The document files an input names, sorted; with the directory their `source` is relative to.
    static func files(of input: CorpusInput) -> (files: [String], base: String) {
        var files: [String] = []
        var base = input.path
        var status = stat()
        if stat(input.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            InputResolver.walk(input.path) { files.append($0) }
        } else if stat(input.path, &status) == 0 {
            files = [input.path]
            base = input.path.contains("/") ? String(input.path[..<input.path.lastIndex(of: "/")!]) : "."
        } else {
            files = InputResolver.expand(input.path)
            base = globBase(input.path)
        }
        return (files.filter { format(of: $0) != nil }, base)
    }

    static func format(of path: String) -> DocumentFormat? {
        guard let name = path.split(separator: "/").last, let dot = name.lastIndex(of: ".") else { return nil }
        return DocumentFormat(pathExtension: String(name[name.index(after: dot)...]))
    }

    /// The record lines of one document whose reference is `reference`.
    func records(of document: [UInt8], path: String, relativePath: String, reference: ReferenceID) -> [[UInt8]] {
        guard let format = Self.format(of: path) else { return [] }
        var out: [[UInt8]] = []
        for (index, chunk) in chunker.chunks(of: document, format: format).enumerated() {
            var json = JSONWriter()
            json.beginObject()
            json.field("id", "\(relativePath)#\(index + 1)")
            json.field("source", relativePath)
            json.field("lines", "\(chunk.firstLine)-\(chunk.lastLine)")
            json.key("headings")
            json.beginArray()
            for heading in chunk.headings { json.string(heading) }
            json.endArray()
            json.field("hb_doc", ReferenceQuery(id: reference, range: LineRange(chunk.firstLine, chunk.lastLine)).description)
            json.key("text")
            json.string(bytes: chunk.text)
            json.endObject()
            out.append(json.bytes)
        }
        return out
    }

    /// `docs/**/*.md` -> `docs`: the directory before the first pattern character.
    private static func globBase(_ pattern: String) -> String {
        let literal = pattern.prefix { !"*?[".contains($0) }
        guard let slash = literal.lastIndex(of: "/") else { return "." }
        return String(literal[..<slash])
    }

    /// `path` below `base` (`base/a/b.md` -> `a/b.md`).
    static func relative(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
