/// What one line of search output is.
enum SearchLineKind: UInt8 {
    /// A matching line: `path:12:text`, `path:12:7:text`, or `12:text` under a heading.
    case match
    /// A context line (`-A/-B/-C`): `path-12-text`, or `12-text` under a heading.
    case context
    /// A per-file count (`--count`): `path:12`.
    case count
    /// A bare path: a `--files-with-matches` line or the heading of `rg --heading` output.
    case path
    /// `--` between context groups, or a blank line between heading blocks: structure only.
    case separator
    /// Anything else (warnings, summaries): kept verbatim, never parsed.
    case other
}

/// One classified line of search output. Byte ranges point into `SearchResults.storage`.
struct SearchLine {
    var kind: SearchLineKind
    /// The 1-based line of the payload it came from (the archive's line numbering).
    var source: Int
    /// Index into `SearchResults.files`, or -1 (separators, other lines).
    var file: Int
    /// The line number in the searched file (match, context) or the count (count lines).
    var number: Int
    /// The column of `path:line:col:text`, 0 when the output has none.
    var column: Int
    /// The hit's text (match, context) or the whole line (other), without its line break.
    var text: Range<Int>
}

/// One searched file: its path and the payload lines that belong to it.
struct SearchFile {
    /// Byte range of the path in `SearchResults.storage`.
    var path: Range<Int>
    /// Indices into `SearchResults.lines`, in payload order.
    var lines: [Int] = []
    /// First and last payload line of the file's entries (its heading included).
    var firstSource: Int
    var lastSource: Int
    var matches = 0
    var contextLines = 0
    /// Sum of `--count` values.
    var counted = 0
}

/// Search output parsed into files and hits, lines in payload order.
///
/// Formats: `path:line:text` (grep -rn, rg -n), `path:line:col:text` (--column), context
/// lines `path-line-text` with `--` between groups, `rg --heading` blocks (a path line, then
/// `line:text`), `--count` (`path:N`), `--files-with-matches` (bare paths) and `rg --json`
/// (`RipgrepJSON`). Lines that are none of these are kept as `other`.
struct SearchResults {
    /// The bytes that the ranges of `lines` and `files` point into.
    var storage: [UInt8]
    var lines: [SearchLine] = []
    var files: [SearchFile] = []
    /// True when match lines carry a column (`path:line:col:text`).
    var hasColumns = false
    /// Payload lines holding only search statistics (`rg --json` `end` and `summary`
    /// messages): not shown, counted in a marker.
    var statistics: [Int] = []

    var matchCount: Int { files.reduce(0) { $0 + $1.matches } }
    var contextCount: Int { files.reduce(0) { $0 + $1.contextLines } }

    /// The bytes of `range` in `storage`.
    subscript(range: Range<Int>) -> ArraySlice<UInt8> { storage[range] }

    /// Adds a line for `path` (found or appended in `files` via `index`).
    mutating func add(_ line: SearchLine, path: Range<Int>, index: inout [ArraySlice<UInt8>: Int]) {
        var line = line
        let key = storage[path]
        let slot: Int
        if let known = index[key] {
            slot = known
        } else {
            slot = files.count
            index[key] = slot
            files.append(SearchFile(path: path, firstSource: line.source, lastSource: line.source))
        }
        line.file = slot
        files[slot].lines.append(lines.count)
        files[slot].firstSource = min(files[slot].firstSource, line.source)
        files[slot].lastSource = max(files[slot].lastSource, line.source)
        switch line.kind {
        case .match: files[slot].matches += 1
        case .context: files[slot].contextLines += 1
        case .count: files[slot].counted += line.number
        default: break
        }
        lines.append(line)
    }
}
