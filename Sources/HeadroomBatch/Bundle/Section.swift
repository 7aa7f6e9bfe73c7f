/// One omission in a section: what was cut, how much, and the reference range that restores it.
public struct Omission: Sendable {
    /// The unit counted: "lines" (later also "records", "rows", "hunks").
    public var unit: String
    public var range: LineRange
    public var count: Int
    /// What the omitted units were, e.g. [("INFO", 1100), ("DEBUG", 104)].
    public var kinds: [(name: String, count: Int)]
    /// Template ids of the omitted units with their counts, largest first (for log lines;
    /// a run of many templates lists its first ones seen).
    public var templates: [(id: String, count: Int)] = []
    public var reference: ReferenceID

    /// The reference with its range, e.g. `hb_3f9a1c0d2e7b4a51:121-1324`.
    public var query: ReferenceQuery { ReferenceQuery(id: reference, range: range) }
}

/// The bundle section for one source.
public struct Section: Sendable {
    public var source: String
    /// Content kind: a `ContentKind` name, "binary" or "empty".
    public var kind: String
    /// Why the kind was chosen (what the content looked like, or `--kind`).
    public var kindReason: String
    public var compression: StreamCompression
    public var reference: ReferenceID
    public var bytes: Int
    public var lines: Int
    public var tokensIn: Int
    public var tokensInExact: Bool
    /// Tokens of `body` (exact when the tokenizer is).
    public var bundleTokens: Int
    /// The section text without its header line.
    public var body: [UInt8]
    public var omissions: [Omission]
    /// True when the archive already held these bytes.
    public var alreadyArchived: Bool
}

/// What a compressor returns for one source before the section header is known.
struct CompressedBody {
    var body: [UInt8]
    var omissions: [Omission]
    /// What is wrong with the input (JSON that does not parse, say), reported as an error of
    /// this input while its section is still shown and its bytes archived.
    var problem: String? = nil
}

/// Appends bundle text as bytes.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }
    mutating func newline() { bytes.append(10) }

    /// Appends a kept line exactly, minus ANSI escape sequences, then a newline.
    mutating func appendLine(stripping line: [UInt8]) { Self.appendLine(line[...], to: &bytes) }

    /// `appendLine(stripping:)` into a plain buffer: `line` without its ANSI escape sequences,
    /// a carriage return at its end dropped, then a newline.
    static func appendLine(_ line: ArraySlice<UInt8>, to out: inout [UInt8]) {
        if line.contains(27) {
            stripEscapes(Array(line), into: &out)
        } else {
            out.append(contentsOf: line)
        }
        if out.last == 13 { out.removeLast() }
        out.append(10)
    }

    /// Appends `line` to `out` without its ANSI escape sequences (`ESC [ … final byte`).
    static func stripEscapes(_ line: [UInt8], into out: inout [UInt8]) {
        var i = 0
        let n = line.count
        while i < n {
            let c = line[i]
            if c == 27, i + 1 < n, line[i + 1] == 91 {
                var j = i + 2
                while j < n, !(line[j] >= 0x40 && line[j] <= 0x7E) { j += 1 }
                i = j + 1
                continue
            }
            out.append(c)
            i += 1
        }
    }
}
