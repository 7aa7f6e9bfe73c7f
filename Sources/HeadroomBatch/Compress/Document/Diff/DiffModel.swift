/// What a line inside a hunk is.
enum DiffLineKind: UInt8 {
    /// ` ` (or an empty line, as some tools strip the space).
    case context
    /// `+`
    case added
    /// `-`
    case removed
    /// `\ No newline at end of file`
    case note
}

/// One `@@ -a,b +c,d @@ section` hunk; line indices are 0-based into the payload.
struct DiffHunk {
    /// Line index of the `@@` line.
    var header: Int
    var oldStart: Int
    var newStart: Int
    /// Whether git printed a function context after the second `@@`.
    var hasSection: Bool
    /// Line indices of the body (after the `@@` line).
    var body: Range<Int>
    /// The kind of each body line, `kinds[i]` for line `body.lowerBound + i`.
    var kinds: [DiffLineKind]

    var lines: Range<Int> { header..<body.upperBound }
}

/// One file's part of a diff: its header lines, paths, flags and hunks.
struct FileDiff {
    /// All its lines, from `diff --git` (or `---`) to the end of its last hunk.
    var lines: Range<Int>
    var oldPath: String?
    var newPath: String?
    var isNew = false
    var isDeleted = false
    var isRename = false
    var isCopy = false
    /// `similarity index 97%` as "97%".
    var similarity: String?
    var oldMode: String?
    var newMode: String?
    var isBinary = false
    /// Lines of a `GIT binary patch`.
    var binaryPatch: Range<Int>?
    var hunks: [DiffHunk] = []
    var added = 0
    var removed = 0

    /// The path shown for the file (the new one, unless the file was deleted).
    var path: String { (isDeleted ? oldPath : newPath) ?? oldPath ?? "(unknown file)" }
}

/// One part of a parsed diff in payload order.
enum DiffItem {
    /// A line outside any file diff (commit header, message, anything unrecognised): kept as is.
    case text(Int)
    case file(FileDiff)
}
