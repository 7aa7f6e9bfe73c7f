/// Finds the line of each key in a TOML text, so an error can name where to look.
///
/// Keys are dotted paths as `PipelineDefinitionParser` names them: `dedup.near_duplicate_threshold`,
/// and for arrays of tables the 1-based element, `inputs[2].fields.id`. A table header is the
/// line of its own path. Only the shapes a pipeline file uses are followed: table headers,
/// arrays of tables and `key = value` lines (dotted keys too); a key inside an inline table
/// or a multi-line value is found at the line of its enclosing key.
struct TOMLKeyLocator {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let name = Self.keyPath(line.dropFirst(2).prefix { $0 != "]" })
                arrayCounts[name, default: 0] += 1
                table = Self.indexed(name, arrayCounts) + "[\(arrayCounts[name]!)]"
                record(table, number)
            } else if line.hasPrefix("[") {
                table = Self.indexed(Self.keyPath(line.dropFirst().prefix { $0 != "]" }), arrayCounts)
                record(table, number)
            } else if let equals = line.firstIndex(of: "=") {
                let key = Self.keyPath(line[..<equals])
                record(table.isEmpty ? key : table + "." + key, number)
            }
        }
    }

    /// The 1-based line where `path` (or, failing that, its nearest enclosing table) is written.
    func line(of path: String) -> Int? {
        var path = Substring(path)
        while true {
            if let line = lines[String(path)] { return line }
            guard let dot = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            path = path[..<dot]
        }
    }

    private mutating func record(_ path: String, _ line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    /// `"a" . b` -> `a.b`: quotes and spaces around the parts dropped.
    private static func keyPath(_ text: Substring) -> String {
        text.split(separator: ".").map { $0.trimmingCharacters(in: " \t\"'") }.joined(separator: ".")
    }

    /// `inputs.fields` -> `inputs[2].fields` when `inputs` is an array of tables with 2 elements so far.
    private static func indexed(_ path: String, _ arrayCounts: [String: Int]) -> String {
        var out = ""
        var prefix = ""
        for part in path.split(separator: ".") {
            prefix += prefix.isEmpty ? String(part) : "." + part
            out += out.isEmpty ? String(part) : "." + part
            if let count = arrayCounts[prefix], prefix != path { out += "[\(count)]" }
        }
        return out
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
