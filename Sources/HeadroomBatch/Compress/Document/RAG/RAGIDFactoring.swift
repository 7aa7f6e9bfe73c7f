/// Shortens what record headers repeat: the start every source name shares, and per source
/// a long part every record id holds (a chunk id's document path, say), each stated once.
enum RAGIDFactoring {
    /// Shorter shared parts are not worth stating.
    static let minimumShared = 12

    /// The longest start shared by all source names, cut after a `/` or space; empty when
    /// fewer than two sources or shorter than `minimumShared`.
    static func commonSourcePrefix(_ sources: [[UInt8]?]) -> [UInt8] {
        let names = sources.compactMap { $0 }
        guard names.count >= 2, names.count == sources.count else { return [] }
        var length = names.map(\.count).min()!
        for name in names.dropFirst() {
            var k = 0
            while k < length, name[k] == names[0][k] { k += 1 }
            length = k
        }
        while length > 0, names[0][length - 1] != UInt8(ascii: "/"), names[0][length - 1] != 32 { length -= 1 }
        return length >= minimumShared ? Array(names[0].prefix(length)) : []
    }

    /// Per source, the longest byte string held by every id of its records (at least
    /// `minimumShared` bytes, whole UTF-8 characters), or empty.
    static func idStems(_ input: RAGRecords, _ stitcher: PassageStitcher) -> [[UInt8]] {
        var idsOfSource = [[[UInt8]]](repeating: [], count: stitcher.sources.count)
        var missing = [Bool](repeating: false, count: stitcher.sources.count)
        for window in stitcher.windows {
            for record in window.records {
                if let id = input.records[record].id { idsOfSource[window.source].append(id) } else { missing[window.source] = true }
            }
        }
        return idsOfSource.indices.map { source in
            let ids = idsOfSource[source]
            guard !missing[source], ids.count >= 2 else { return [] }
            return longestShared(ids)
        }
    }

    /// The longest substring of the first id present in all of `ids`, first found of that length.
    static func longestShared(_ ids: [[UInt8]]) -> [UInt8] {
        let first = ids.min { $0.count < $1.count }!
        var length = first.count
        while length >= minimumShared {
            for start in 0...(first.count - length) {
                let candidate = first[start..<(start + length)]
                guard candidate.first! & 0xC0 != 0x80,
                      start + length == first.count || first[start + length] & 0xC0 != 0x80 else { continue }
                if ids.allSatisfy({ contains($0, candidate) }) { return Array(candidate) }
            }
            length -= 1
        }
        return []
    }

    /// `id` with the first occurrence of `stem` written `…`.
    static func abbreviated(_ id: [UInt8], stem: [UInt8]) -> [UInt8] {
        guard !stem.isEmpty, let at = firstIndex(of: stem[...], in: id) else { return id }
        return Array(id[..<at]) + Array("…".utf8) + Array(id[(at + stem.count)...])
    }

    static func contains(_ haystack: [UInt8], _ needle: ArraySlice<UInt8>) -> Bool { firstIndex(of: needle, in: haystack) != nil }

    static func firstIndex(of needle: ArraySlice<UInt8>, in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
