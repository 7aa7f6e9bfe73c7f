import TOMLKit

/// Reads a `PipelineDefinition` from a pipeline file (TOML).
///
/// Every error names the file, the line and the key: `nightly.toml:14: dedup.near_duplicate_threshold:
/// expected a number from 0 to 1`. Unknown keys are errors too (a misspelt key would
/// otherwise be silently ignored). Relative paths are taken from the file's directory, so a
/// pipeline runs the same from cron as from a shell.
public struct PipelineDefinitionParser {
    /// The file's path, as errors name it.
    let path: String
    let text: String
    private let locator: TOMLKeyLocator

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        locator = TOMLKeyLocator(text)
    }

    /// Reads and parses the pipeline file at `path`.
    public static func load(_ path: String) throws -> PipelineDefinition {
        guard let bytes = readWholeFile(path) else {
            throw HeadroomError(.usage, path, "cannot read the pipeline file: \(errnoText(errno))")
        }
        return try PipelineDefinitionParser(path: path, text: String(decoding: bytes, as: UTF8.self)).parse()
    }

    public func parse() throws -> PipelineDefinition {
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw HeadroomError(.usage, "\(path):\(error.source.begin.line)", "not valid TOML: \(error.description)")
        }
        try allow(root, at: "", keys: ["inputs", "chunking", "dedup", "selection", "output", "run"])

        guard let inputValues = root["inputs"] else { throw failure("inputs", "at least one [[inputs]] table with a path is required") }
        guard let inputArray = inputValues.array, inputArray.count > 0 else {
            throw failure("inputs", "expected [[inputs]] tables, each with a path")
        }
        var inputs: [CorpusInput] = []
        for index in 0..<inputArray.count {
            inputs.append(try input(inputArray[index], at: "inputs[\(index + 1)]"))
        }

        let output = try table(root, "output")
        try allow(output, at: "output", keys: ["directory", "archive"])
        guard let directory = try string(output, "directory", at: "output") else {
            throw failure("output", "output.directory is required: where corpus.jsonl and bundle.md go")
        }
        var definition = PipelineDefinition(name: Self.name(of: path), inputs: inputs, outputDirectory: resolved(directory))
        definition.archivePath = try string(output, "archive", at: "output").map(resolved)

        let chunking = try table(root, "chunking")
        try allow(chunking, at: "chunking", keys: ["max_bytes", "min_bytes", "overlap_bytes"])
        if let value = try int(chunking, "max_bytes", at: "chunking", in: 100...(16 << 20)) { definition.chunking.maxBytes = value }
        if let value = try int(chunking, "min_bytes", at: "chunking", in: 0...(16 << 20)) { definition.chunking.minBytes = value }
        if let value = try int(chunking, "overlap_bytes", at: "chunking", in: 0...(16 << 20)) { definition.chunking.overlapBytes = value }
        if definition.chunking.overlapBytes >= definition.chunking.maxBytes {
            throw failure("chunking.overlap_bytes", "must be smaller than chunking.max_bytes (\(definition.chunking.maxBytes))")
        }

        let dedup = try table(root, "dedup")
        try allow(dedup, at: "dedup", keys: ["near_duplicates", "near_duplicate_threshold", "boilerplate_min_sources"])
        if let value = try double(dedup, "near_duplicate_threshold", at: "dedup", in: 0.5...1) {
            definition.rag.nearDuplicateThreshold = value
        }
        if try bool(dedup, "near_duplicates", at: "dedup") == false { definition.rag.nearDuplicateThreshold = 2 }
        if let value = try int(dedup, "boilerplate_min_sources", at: "dedup", in: 0...1_000_000) {
            definition.rag.boilerplateMinSources = value
        }

        let selection = try table(root, "selection")
        try allow(selection, at: "selection", keys: ["budget", "query", "extractive"])
        if let value = selection["budget"] {
            let written = value.int.map(String.init) ?? value.string ?? ""
            guard let budget = TokenBudget(written) else {
                throw failure("selection.budget", "expected a token count (0 for no bound) or a percentage such as \"40%\"")
            }
            definition.budget = budget
        }
        definition.query = try string(selection, "query", at: "selection") ?? ""
        definition.rag.extractive = try bool(selection, "extractive", at: "selection") ?? false

        let run = try table(root, "run")
        try allow(run, at: "run", keys: ["jobs", "part_bytes"])
        if let value = try int(run, "jobs", at: "run", in: 1...256) { definition.jobs = value }
        if let value = try int(run, "part_bytes", at: "run", in: (64 << 10)...(64 << 20)) { definition.partBytes = value }
        return definition
    }

    private func input(_ value: TOMLValueConvertible, at key: String) throws -> CorpusInput {
        guard let table = value.table else { throw failure(key, "expected a table with a path") }
        try allow(table, at: key, keys: ["path", "format", "fields", "metadata"])
        guard let path = try string(table, "path", at: key) else { throw failure(key, "\(key).path is required") }
        let format: CorpusInput.Format
        if let written = try string(table, "format", at: key) {
            guard let known = CorpusInput.Format(rawValue: written) else {
                throw failure(key + ".format", "expected \(CorpusInput.Format.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")), got \"\(written)\"")
            }
            format = known
        } else {
            format = path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl.zst")
                || path.hasSuffix(".jsonl.gz") ? .jsonl : .documents
        }
        var input = CorpusInput(path: resolved(path), format: format)
        let fields = try self.table(table, "fields", at: key)
        let fieldsKey = key + ".fields"
        try allow(fields, at: fieldsKey, keys: ["id", "text", "source", "query", "score"])
        if let keys = try keyList(fields, "text", at: fieldsKey) { input.fields.text = keys }
        if let keys = try keyList(fields, "id", at: fieldsKey) { input.fields.id = keys }
        if let keys = try keyList(fields, "source", at: fieldsKey) { input.fields.source = keys }
        if let keys = try keyList(fields, "query", at: fieldsKey) { input.fields.query = keys }
        if let keys = try keyList(fields, "score", at: fieldsKey) { input.fields.score = keys }
        input.metadata = try keyList(table, "metadata", at: key, allowEmpty: true)
        return input
    }

    // MARK: - Typed values, each error naming its key and line

    private func failure(_ key: String, _ message: String) -> HeadroomError {
        let line = locator.line(of: key).map { ":\($0)" } ?? ""
        return HeadroomError(.usage, "\(path)\(line)", "\(key): \(message)")
    }

    private func qualified(_ table: String, _ key: String) -> String { table.isEmpty ? key : table + "." + key }

    private func allow(_ table: TOMLTable, at name: String, keys: Set<String>) throws {
        for key in table.keys.sorted() where !keys.contains(key) {
            let known = keys.sorted().joined(separator: ", ")
            throw failure(qualified(name, key), "unknown key (\(name.isEmpty ? "the file" : name) takes \(known))")
        }
    }

    private func table(_ parent: TOMLTable, _ key: String, at name: String = "") throws -> TOMLTable {
        guard let value = parent[key] else { return TOMLTable() }
        guard let table = value.table else { throw failure(qualified(name, key), "expected a table") }
        return table
    }

    private func string(_ table: TOMLTable, _ key: String, at name: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw failure(qualified(name, key), "expected a string") }
        return text
    }

    private func bool(_ table: TOMLTable, _ key: String, at name: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw failure(qualified(name, key), "expected true or false") }
        return flag
    }

    private func int(_ table: TOMLTable, _ key: String, at name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int, range.contains(number) else {
            throw failure(qualified(name, key), "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private func double(_ table: TOMLTable, _ key: String, at name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = table[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), range.contains(number) else {
            throw failure(qualified(name, key), "expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A key name or a list of key names (tried in order).
    private func keyList(_ table: TOMLTable, _ key: String, at name: String, allowEmpty: Bool = false) throws -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.string, !single.isEmpty { return [single] }
        if let array = value.array {
            var names: [String] = []
            for index in 0..<array.count {
                guard let text = array[index].string, !text.isEmpty else { break }
                names.append(text)
            }
            if names.count == array.count, allowEmpty || !names.isEmpty { return names }
        }
        throw failure(qualified(name, key), "expected a key name or a list of key names")
    }

    /// A path from the file, made absolute against the file's directory; `~/` is the home directory.
    private func resolved(_ written: String) -> String {
        if written.hasPrefix("/") { return written }
        if written.hasPrefix("~/"), let home = getenv("HOME") { return String(cString: home) + written.dropFirst(1) }
        var base = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if !base.hasPrefix("/") { base = currentDirectory() + (base == "." ? "" : "/" + base) }
        var parts: [Substring] = []
        for part in (base + "/" + written).split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    private static func name(of path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".toml") { name.removeLast(5) }
        return name
    }
}

/// The process's working directory.
func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(cString: buffer)
}
