/// Finds the kind of a source from its first bytes (and its file name, for code), by counting
/// what its first lines look like. Content decides before the name: a `.txt` of `rg` output
/// is search results, a `.log` of JSON lines is JSONL.
///
/// Cost: one pass over at most `sampleBytes` bytes and `sampleLines` lines.
enum KindDetector {
    static let sampleBytes = 64 << 10
    static let sampleLines = 400

    /// The kind of a source whose first bytes are `bytes` (its name is `path`, if a file).
    static func detect(_ bytes: UnsafeRawBufferPointer, path: String?) -> KindDetection {
        var sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, sampleBytes)])
        if sample.count < bytes.count, let cut = sample.lastIndex(of: 10) {
            sample = UnsafeRawBufferPointer(rebasing: sample[0...cut])
        }
        let stats = LineStats(sample)
        let n = max(stats.lines, 1)
        func share(_ count: Int) -> String { "\(count) of \(stats.lines) lines" }

        if stats.startsLikeJSON && stats.logLines * 10 < n * 4 {
            if stats.lines >= 2 && stats.objectLines * 10 >= n * 9 {
                if stats.ripgrepRecords * 2 >= stats.objectLines {
                    return KindDetection(kind: .search, reason: "\(share(stats.ripgrepRecords)) are `rg --json` messages")
                }
                if stats.passageRecords * 2 >= stats.objectLines {
                    return KindDetection(kind: .rag, reason: "\(share(stats.passageRecords)) are JSON records with a passage text field")
                }
                return KindDetection(kind: .jsonl, reason: "\(share(stats.objectLines)) are JSON objects")
            }
            return KindDetection(kind: .json, reason: "starts like a JSON \(stats.firstByte == UInt8(ascii: "{") ? "object" : "array") and is not one object per line")
        }
        if stats.diffHeaders > 0 && stats.diffLines * 2 >= n {
            return KindDetection(kind: .diff, reason: "\(stats.diffHeaders) file headers (`diff --git`, `---`/`+++`) and \(share(stats.diffLines)) in hunks")
        }
        if stats.htmlStart || stats.tagLines * 2 >= n {
            return KindDetection(kind: .html, reason: stats.htmlStart ? "starts with an HTML document type or tag" : "\(share(stats.tagLines)) start with a tag")
        }
        if stats.searchLines * 10 >= n * 6 {
            return KindDetection(kind: .search, reason: "\(share(stats.searchLines)) are `path:line:` hits, context lines or file names")
        }
        // A table with a header row of names goes before logs (whose timestamps may look like
        // a first column).
        if stats.lines >= 3, stats.delimitedLines * 10 >= n * 9, stats.headerRow {
            return KindDetection(kind: .csv, reason: "a header row, and \(share(stats.delimitedLines)) have the same \(stats.delimiterName) count")
        }
        if stats.logLines * 10 >= n * 4 {
            let ci = stats.ciLines * 10 >= n * 3
            return KindDetection(kind: .log,
                                 reason: "\(share(stats.logLines)) start with a timestamp or a level" + (ci ? ", \(stats.ciLines) with CI runner timestamps or annotations" : ""))
        }
        if let language = codeLanguage(path) {
            return KindDetection(kind: .code, reason: "a \(language) file name")
        }
        if stats.codeLines * 10 >= n * 3 {
            return KindDetection(kind: .code, reason: "\(share(stats.codeLines)) are declarations, imports or statements")
        }
        if stats.lines >= 3, stats.delimitedLines * 10 >= n * 9 {
            return KindDetection(kind: .csv, reason: "\(share(stats.delimitedLines)) have the same \(stats.delimiterName) count")
        }
        if stats.proseLines + stats.markdownLines > 0, (stats.proseLines + stats.markdownLines) * 10 >= n * 3 {
            return KindDetection(kind: .text, reason: "\(share(stats.markdownLines)) are Markdown structure, \(stats.proseLines) are sentences")
        }
        return KindDetection(kind: .log, reason: "line-oriented text without a stronger sign (\(share(stats.logLines)) with a timestamp or level)")
    }

    /// The language of a source file name, when its extension is one.
    static func codeLanguage(_ path: String?) -> String? {
        guard let path else { return nil }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if ["Makefile", "GNUmakefile", "Dockerfile", "CMakeLists.txt", "Package.swift"].contains(name) { return name }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let languages: [String: String] = [
            "swift": "Swift", "py": "Python", "rs": "Rust", "go": "Go", "java": "Java", "kt": "Kotlin",
            "js": "JavaScript", "mjs": "JavaScript", "cjs": "JavaScript", "ts": "TypeScript", "tsx": "TypeScript",
            "jsx": "JavaScript", "c": "C", "h": "C", "cc": "C++", "cpp": "C++", "hpp": "C++", "cs": "C#",
            "rb": "Ruby", "php": "PHP", "scala": "Scala", "m": "Objective-C", "sh": "shell",
        ]
        return languages[path[path.index(after: dot)...].lowercased()]
    }
}

/// Counts of what the lines of a sample look like.
private struct LineStats {
    var lines = 0
    var firstByte: UInt8 = 0
    /// `{`, or `[` followed by what a JSON array starts with (not `[Sun Dec 04 …]`).
    var startsLikeJSON = false
    var objectLines = 0
    var ripgrepRecords = 0
    var passageRecords = 0
    var diffHeaders = 0
    var diffLines = 0
    var htmlStart = false
    var tagLines = 0
    var searchLines = 0
    var logLines = 0
    var ciLines = 0
    var codeLines = 0
    var commaCounts: [Int] = []
    var tabCounts: [Int] = []
    var proseLines = 0
    var markdownLines = 0
    /// The first line has delimiters and no digits: column names.
    var headerRow = false

    init(_ sample: UnsafeRawBufferPointer) {
        var start = 0
        var first = true
        while start < sample.count, lines < KindDetector.sampleLines {
            let end = sample.firstIndex(of: 10, from: start) ?? sample.count
            var line = UnsafeRawBufferPointer(rebasing: sample[start..<end])
            if line.last == 13 { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
            start = end + 1
            let trimmed = Self.trimmed(line)
            if trimmed.isEmpty { continue }
            if first {
                firstByte = trimmed[0]
                startsLikeJSON = firstByte == UInt8(ascii: "{") || (firstByte == UInt8(ascii: "[") && Self.opensJSONArray(sample, from: trimmed.baseAddress! - sample.baseAddress!))
                let head = trimmed.prefix(14).map { $0 &- 65 < 26 ? $0 | 0x20 : $0 }  // lower case
                htmlStart = head.starts(with: "<!doctype html".utf8) || head.starts(with: "<html".utf8)
                first = false
            }
            lines += 1
            if lines == 1 {
                headerRow = !line.contains(where: { $0 &- 48 < 10 })
                    && (line.contains(9) || line.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) } >= 1)
            }
            count(line, trimmed)
        }
    }

    var delimitedLines: Int { max(Self.consistent(commaCounts), Self.consistent(tabCounts)) }
    var delimiterName: String { Self.consistent(commaCounts) >= Self.consistent(tabCounts) ? "comma" : "tab" }

    /// Lines sharing the most common non-zero delimiter count.
    private static func consistent(_ counts: [Int]) -> Int {
        var tally: [Int: Int] = [:]
        for c in counts where c > 0 { tally[c, default: 0] += 1 }
        return tally.values.max() ?? 0
    }

    private mutating func count(_ line: UnsafeRawBufferPointer, _ trimmed: UnsafeRawBufferPointer) {
        if trimmed[0] == UInt8(ascii: "{") && trimmed[trimmed.count - 1] == UInt8(ascii: "}") {
            objectLines += 1
            if trimmed.contains("\"type\":\"match\"") || trimmed.contains("\"type\":\"begin\"")
                || trimmed.contains("\"type\":\"end\"") || trimmed.contains("\"type\":\"context\"")
                || trimmed.contains("\"type\":\"summary\"") {
                ripgrepRecords += 1
            }
            if Self.passageKeys.contains(where: { trimmed.contains($0) })
                && !trimmed.contains("\"role\":") && !trimmed.contains("\"tool_result\"") {
                passageRecords += 1
            }
            return
        }
        if line.starts(with: "diff --git ") || line.starts(with: "--- a/") || line.starts(with: "+++ b/")
            || line.starts(with: "--- /dev/null") || line.starts(with: "+++ /dev/null") {
            diffHeaders += 1
            diffLines += 1
            return
        }
        if let c = line.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: " ") || c == UInt8(ascii: "@")
            || line.starts(with: "index ") || line.starts(with: "commit ") || line.starts(with: "Author: ")
            || line.starts(with: "Date: ") || line.starts(with: "new file mode") || line.starts(with: "deleted file mode") {
            diffLines += 1
        }
        if trimmed[0] == UInt8(ascii: "<"), trimmed.count > 1, LineLevel.isLetter(trimmed[1]) || trimmed[1] == UInt8(ascii: "/") || trimmed[1] == UInt8(ascii: "!") {
            tagLines += 1
        }
        if Self.isSearchHit(line) { searchLines += 1 }
        let level = LineLevel.detect(line)
        let header = LineHeader.messageStart(line)
        if level != .none || (header > 0 && Self.startsWithDigitOrMonth(line)) { logLines += 1 }
        if line.ciTimestampEnd() > 0 || line.contains("##[") { ciLines += 1 }
        if Self.isCode(trimmed) { codeLines += 1 }
        commaCounts.append(line.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) })
        tabCounts.append(line.reduce(0) { $0 + ($1 == 9 ? 1 : 0) })
        if trimmed[0] == UInt8(ascii: "#") || trimmed.starts(with: "- ") || trimmed.starts(with: "* ")
            || trimmed.starts(with: "```") || trimmed.starts(with: "> ") {
            markdownLines += 1
        } else if Self.isProse(trimmed) {
            proseLines += 1
        }
    }

    // MARK: - Line shapes

    /// Whether the `[` at `offset` is followed (after whitespace) by a JSON value or `]`.
    private static func opensJSONArray(_ sample: UnsafeRawBufferPointer, from offset: Int) -> Bool {
        var i = offset + 1
        while i < sample.count, sample[i] == 32 || sample[i] == 9 || sample[i] == 10 || sample[i] == 13 { i += 1 }
        guard i < sample.count else { return true }
        let c = sample[i]
        return c == UInt8(ascii: "{") || c == UInt8(ascii: "[") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "]")
            || c == UInt8(ascii: "-") || c &- 48 < 10 || c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n")
    }

    private static let passageKeys: [StaticString] = ["\"text\":", "\"text\" :", "\"content\":", "\"passage\":", "\"page_content\":", "\"chunk\":"]
    private static let codeStarts: [StaticString] = [
        "import ", "from ", "def ", "class ", "func ", "fn ", "pub fn ", "package ", "#include", "public ", "private ",
        "protected ", "return ", "let ", "const ", "var ", "struct ", "enum ", "interface ", "async def ",
        "export ", "static ", "if (", "for (", "while (", "} else", "@property", "@Override", "#[", "use ",
    ]

    /// `path:12:text`, `path-12-text` (context), `path:12` (counts), `path` (file lists), `--`.
    private static func isSearchHit(_ line: UnsafeRawBufferPointer) -> Bool {
        if line.count == 2 && line[0] == UInt8(ascii: "-") && line[1] == UInt8(ascii: "-") { return true }
        var i = 0
        var sawPathCharacter = false
        var lastDot = -1
        while i < line.count {
            let c = line[i]
            if c == UInt8(ascii: ":") || c == UInt8(ascii: "-") {
                var j = i + 1
                while j < line.count, line[j] &- 48 < 10 { j += 1 }
                if j > i + 1, sawPathCharacter, j == line.count || line[j] == c || (c == UInt8(ascii: ":") && line[j] == UInt8(ascii: "-")) {
                    return true
                }
            }
            if c == 32 || c == 9 { return false }
            if c == UInt8(ascii: "/") || c == UInt8(ascii: ".") { sawPathCharacter = true }
            if c == UInt8(ascii: ".") { lastDot = i }
            i += 1
        }
        // A bare path (`rg --files-with-matches`): short, no spaces, quotes or braces, and a
        // directory or an extension.
        guard line.count <= 1024, !line.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "{") }) else { return false }
        let extensionLength = lastDot < 0 ? 0 : line.count - lastDot - 1
        return line.contains(UInt8(ascii: "/")) || (extensionLength >= 1 && extensionLength <= 5
            && line[(lastDot + 1)...].allSatisfy { LineLevel.isLetter($0) })
    }

    private static func isCode(_ trimmed: UnsafeRawBufferPointer) -> Bool {
        for keyword in codeStarts where trimmed.starts(with: keyword) { return true }
        let last = trimmed[trimmed.count - 1]
        return trimmed.count == 1 && (last == UInt8(ascii: "}") || last == UInt8(ascii: "{"))
            || (last == UInt8(ascii: "{") && trimmed.count > 3) || (last == UInt8(ascii: ";") && trimmed.count > 3)
    }

    /// Six words or more, ending like a sentence.
    private static func isProse(_ trimmed: UnsafeRawBufferPointer) -> Bool {
        let words = trimmed.reduce(1) { $0 + ($1 == 32 ? 1 : 0) }
        let last = trimmed[trimmed.count - 1]
        return words >= 6 && (last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: ":") || LineLevel.isLetter(last))
            && LineLevel.isLetter(trimmed[0])
    }

    private static func startsWithDigitOrMonth(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let c = line.first else { return false }
        return c &- 48 < 10 || c == UInt8(ascii: "[") || (line.count > 3 && LineLevel.isLetter(c) && line[3] == 32)
    }

    private static func trimmed(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var a = 0
        var b = line.count
        while a < b, line[a] == 32 || line[a] == 9 { a += 1 }
        while b > a, line[b - 1] == 32 || line[b - 1] == 9 { b -= 1 }
        return UnsafeRawBufferPointer(rebasing: line[a..<b])
    }
}
