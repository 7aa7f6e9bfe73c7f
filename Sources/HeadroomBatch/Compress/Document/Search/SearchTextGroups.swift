/// The matches of one file folded by identical text (indentation aside): each group is one
/// text with the lines it occurs on, in order of first occurrence.
struct SearchTextGroup {
    /// Index into `SearchResults.lines` of the first match with this text.
    var first: Int
    /// Indices into `SearchResults.lines` of every match with this text, in payload order.
    var members: [Int]
}

extension SearchResults {
    /// `range` without leading spaces and tabs (the indentation a kept hit may lose).
    func unindented(_ range: Range<Int>) -> Range<Int> {
        var a = range.lowerBound
        while a < range.upperBound, storage[a] == 32 || storage[a] == 9 { a += 1 }
        return a..<range.upperBound
    }

    /// The match groups of file `f`: identical unindented texts folded together, in order of
    /// first occurrence.
    func textGroups(of f: Int) -> [SearchTextGroup] {
        var groups: [SearchTextGroup] = []
        var slot: [ArraySlice<UInt8>: Int] = [:]
        for k in files[f].lines where lines[k].kind == .match {
            let text = storage[unindented(lines[k].text)]
            if let known = slot[text] {
                groups[known].members.append(k)
            } else {
                slot[text] = groups.count
                groups.append(SearchTextGroup(first: k, members: [k]))
            }
        }
        return groups
    }

    /// The longest directory prefix (ending in `/`) shared by every file path.
    func commonDirectoryPrefix() -> Range<Int>? {
        guard let first = files.first else { return nil }
        let base = storage[first.path]
        var shared = base.count
        for file in files.dropFirst() {
            let path = storage[file.path]
            var k = 0
            while k < shared, k < path.count, path[path.startIndex + k] == base[base.startIndex + k] { k += 1 }
            shared = k
            if shared == 0 { return nil }
        }
        while shared > 0, base[base.startIndex + shared - 1] != 47 { shared -= 1 }
        return shared > 0 ? first.path.lowerBound..<(first.path.lowerBound + shared) : nil
    }
}
