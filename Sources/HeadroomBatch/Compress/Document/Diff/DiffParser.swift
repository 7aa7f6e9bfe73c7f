/// Parses unified diffs (`diff -u`, `git diff`, `git log -p`, `git show`) into files and hunks.
///
/// Tolerant by design: a line that fits no diff structure becomes a `.text` item kept as is,
/// a hunk shorter than its `@@` counts ends where the lines stop fitting, and combined diffs
/// (`diff --cc`, `@@@`) stay text. It never fails.
struct DiffParser {
    let lines: DocumentLines

    init(_ lines: DocumentLines) { self.lines = lines }

    /// The items of the whole payload, in order.
    func parse() -> [DiffItem] {
        var items: [DiffItem] = []
        var i = 0
        while i < lines.count {
            let line = lines.content(i)
            if line.hasPrefix("diff --git "), let file = parseGitFile(at: i) {
                items.append(.file(file))
                i = file.lines.upperBound
            } else if line.hasPrefix("--- "), let file = parsePlainFile(at: i) {
                items.append(.file(file))
                i = file.lines.upperBound
            } else {
                items.append(.text(i))
                i += 1
            }
        }
        return items
    }

    /// A `diff --git` section: extended headers, optional `---`/`+++`, hunks.
    private func parseGitFile(at start: Int) -> FileDiff? {
        var file = FileDiff(lines: start..<(start + 1))
        let paths = Self.gitHeaderPaths(lines.content(start).dropFirst(11))
        file.oldPath = paths.old
        file.newPath = paths.new
        var i = start + 1
        headers: while i < lines.count {
            let line = lines.content(i)
            if let value = line.value(after: "old mode ") {
                file.oldMode = value
            } else if let value = line.value(after: "new mode ") {
                file.newMode = value
            } else if let value = line.value(after: "new file mode ") {
                file.isNew = true
                file.newMode = value
            } else if let value = line.value(after: "deleted file mode ") {
                file.isDeleted = true
                file.oldMode = value
            } else if let value = line.value(after: "similarity index ") ?? line.value(after: "dissimilarity index ") {
                file.similarity = value
            } else if let value = line.value(after: "rename from ") {
                file.isRename = true
                file.oldPath = value
            } else if let value = line.value(after: "rename to ") {
                file.isRename = true
                file.newPath = value
            } else if let value = line.value(after: "copy from ") {
                file.isCopy = true
                file.oldPath = value
            } else if let value = line.value(after: "copy to ") {
                file.isCopy = true
                file.newPath = value
            } else if line.hasPrefix("index ") {
                // Blob ids (and the mode when unchanged): not shown.
            } else if line.hasPrefix("Binary files ") {
                file.isBinary = true
            } else if line.hasPrefix("GIT binary patch") {
                file.isBinary = true
                var end = i + 1
                // `literal N`/`delta N` blocks of base85 lines, each ended by a blank line.
                while end < lines.count {
                    let data = lines.content(end)
                    if data.isEmpty {
                        end += 1
                        let next = end < lines.count ? lines.content(end) : []
                        if !(next.hasPrefix("literal ") || next.hasPrefix("delta ")) { break }
                    } else if data.hasPrefix("diff --git ") {
                        break
                    } else {
                        end += 1
                    }
                }
                file.binaryPatch = i..<end
                i = end
                break headers
            } else {
                break headers
            }
            i += 1
        }
        if i + 1 < lines.count, lines.content(i).hasPrefix("--- "), lines.content(i + 1).hasPrefix("+++ ") {
            if let old = Self.markerPath(lines.content(i).dropFirst(4)) { file.oldPath = old }
            if let new = Self.markerPath(lines.content(i + 1).dropFirst(4)) { file.newPath = new }
            i += 2
        }
        i = parseHunks(from: i, into: &file)
        file.lines = start..<i
        return file
    }

    /// A `---`/`+++` pair followed by a hunk, without a `diff --git` line.
    private func parsePlainFile(at start: Int) -> FileDiff? {
        guard start + 2 < lines.count, lines.content(start + 1).hasPrefix("+++ "),
              Self.hunkHeader(lines.content(start + 2)) != nil else { return nil }
        var file = FileDiff(lines: start..<(start + 2))
        file.oldPath = Self.markerPath(lines.content(start).dropFirst(4))
        file.newPath = Self.markerPath(lines.content(start + 1).dropFirst(4))
        file.isNew = file.oldPath == nil
        file.isDeleted = file.newPath == nil
        let end = parseHunks(from: start + 2, into: &file)
        file.lines = start..<end
        return file
    }

    /// Parses consecutive hunks from line `start`; returns the line after the last one.
    private func parseHunks(from start: Int, into file: inout FileDiff) -> Int {
        var i = start
        while i < lines.count, let header = Self.hunkHeader(lines.content(i)) {
            var oldLeft = header.oldCount, newLeft = header.newCount
            var kinds: [DiffLineKind] = []
            var j = i + 1
            while j < lines.count {
                let line = lines.content(j)
                let first = line.first
                if oldLeft == 0 && newLeft == 0 {
                    if first == 92 { kinds.append(.note); j += 1; continue }
                    break
                }
                if first == 32 || line.isEmpty {
                    guard oldLeft > 0, newLeft > 0 else { break }
                    oldLeft -= 1; newLeft -= 1
                    kinds.append(.context)
                } else if first == 43 {
                    guard newLeft > 0 else { break }
                    newLeft -= 1
                    kinds.append(.added)
                    file.added += 1
                } else if first == 45 {
                    guard oldLeft > 0 else { break }
                    oldLeft -= 1
                    kinds.append(.removed)
                    file.removed += 1
                } else if first == 92 {
                    kinds.append(.note)
                } else {
                    break
                }
                j += 1
            }
            file.hunks.append(DiffHunk(header: i, oldStart: header.oldStart, newStart: header.newStart,
                                       hasSection: header.hasSection, body: (i + 1)..<j, kinds: kinds))
            i = j
        }
        return i
    }

    /// `@@ -a[,b] +c[,d] @@[ section]`, or nil.
    static func hunkHeader(_ line: ArraySlice<UInt8>)
        -> (oldStart: Int, oldCount: Int, newStart: Int, newCount: Int, hasSection: Bool)? {
        guard line.hasPrefix("@@ -") else { return nil }
        var i = line.startIndex + 4
        func number() -> Int? {
            var value = 0, digits = 0
            while i < line.endIndex, line[i] >= 48, line[i] <= 57, digits < 12 {
                value = value * 10 + Int(line[i] - 48)
                i += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        func range() -> (Int, Int)? {
            guard let start = number() else { return nil }
            if i < line.endIndex, line[i] == 44 {
                i += 1
                guard let count = number() else { return nil }
                return (start, count)
            }
            return (start, 1)
        }
        guard let old = range(), i + 1 < line.endIndex, line[i] == 32, line[i + 1] == 43 else { return nil }
        i += 2
        guard let new = range(), i + 2 < line.endIndex || i + 2 == line.endIndex,
              line[i...].hasPrefix(" @@") else { return nil }
        let hasSection = line.endIndex > i + 3 && !line[(i + 3)...].trimmingWhitespace().isEmpty
        return (old.0, old.1, new.0, new.1, hasSection)
    }

    /// What follows the closing `@@` of a hunk header (git's function context), with its space.
    static func sectionText(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard line.count > 4 else { return [] }
        var i = line.startIndex + 2
        while i + 1 < line.endIndex {
            if line[i] == 64, line[i + 1] == 64 { return line[(i + 2)...].trimmingTrailingWhitespace() }
            i += 1
        }
        return []
    }

    /// The path of a `---`/`+++` line: `a/`/`b/` prefix and a tab-separated timestamp removed;
    /// nil for `/dev/null`.
    static func markerPath(_ text: ArraySlice<UInt8>) -> String? {
        var end = text.endIndex
        if let tab = text.firstIndex(of: 9) { end = tab }
        var path = text[text.startIndex..<end].trimmingTrailingWhitespace()
        if path.elementsEqual("/dev/null".utf8) { return nil }
        if path.count >= 2, path[path.startIndex] == 34, path[path.endIndex - 1] == 34 {
            path = path.dropFirst().dropLast()
        }
        if path.count > 2, (path.hasPrefix("a/") || path.hasPrefix("b/")) { path = path.dropFirst(2) }
        return String(decoding: path, as: UTF8.self)
    }

    /// The two paths of `a/X b/Y` (the part after `diff --git `); when both are equal the split
    /// is exact even with spaces in the path.
    static func gitHeaderPaths(_ text: ArraySlice<UInt8>) -> (old: String?, new: String?) {
        let n = text.count
        if n % 2 == 1, n >= 7 {
            let half = (n - 1) / 2
            let left = text.prefix(half), right = text.suffix(half)
            if left.hasPrefix("a/"), right.hasPrefix("b/"), left.dropFirst(2).elementsEqual(right.dropFirst(2)),
               text[text.startIndex + half] == 32 {
                let path = String(decoding: left.dropFirst(2), as: UTF8.self)
                return (path, path)
            }
        }
        let bytes = Array(text)
        for k in stride(from: 0, to: max(0, bytes.count - 2), by: 1)
        where bytes[k] == 32 && bytes[k + 1] == 98 && bytes[k + 2] == 47 {
            let old = bytes[..<k], new = bytes[(k + 1)...]
            return (markerPath(old), markerPath(new))
        }
        return (nil, nil)
    }
}

extension ArraySlice where Element == UInt8 {
    /// The rest of the line after `prefix`, as a String, or nil when it does not start so.
    func value(after prefix: StaticString) -> String? {
        guard hasPrefix(prefix) else { return nil }
        return String(decoding: dropFirst(prefix.utf8CodeUnitCount).trimmingTrailingWhitespace(), as: UTF8.self)
    }
}
