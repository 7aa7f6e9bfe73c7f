/// A run of lines repeated verbatim in the passages of many sources (navigation, footers,
/// licence headers): stated once at the top of the section, each occurrence printed `[Bn]`.
struct BoilerplateBlock {
    /// The lines, byte for byte (blank lines between the repeated lines included).
    var lines: [ArraySlice<UInt8>]
    /// Distinct sources whose passages hold the whole block.
    var sources: Int
    /// Tokens of the lines as printed (each with its newline): what one folded occurrence saves,
    /// before its marker.
    var tokens: Int
    /// Tokens of one occurrence's marker (`[Bn]` after the first line's indentation).
    var markerTokens: Int
    /// Tokens of the block's statement (its label line and its lines).
    var statementTokens: Int

    /// The leading whitespace of the first line, which the marker keeps.
    var indentation: ArraySlice<UInt8> {
        let first = lines[0]
        var end = first.startIndex
        while end < first.endIndex, first[end] == 32 || first[end] == 9 { end += 1 }
        return first[first.startIndex..<end]
    }

    /// True when folding `occurrences` printed occurrences saves tokens over printing them.
    func saves(occurrences: Int) -> Bool {
        occurrences * (tokens - markerTokens) > statementTokens
    }
}

/// Finds boilerplate: lines that are not trivial (at least `minimumLineBytes` bytes or
/// `minimumLineWords` words once trimmed, and holding a letter or digit) and appear in the
/// passages of at least `minimumSources` distinct sources. Such lines that always follow one
/// another (only blank lines between) form one block; a block is folded where a passage holds it
/// whole, when it appears whole in `minimumSources` sources, is at least
/// `minimumBlockTokens` long, and folding its occurrences saves tokens. Lines are compared byte
/// for byte, so a folded line is always the stated one exactly.
struct BoilerplateFolding {
    /// Shorter lines (trimmed) with fewer words are too slight to call boilerplate.
    static let minimumLineBytes = 20
    static let minimumLineWords = 4
    /// Shorter blocks (a `.. versionadded:: 3.5` directive, say) save too little per occurrence
    /// to be worth a lookup.
    static let minimumBlockTokens = 12

    /// The blocks, numbered (B1 first) in order of first occurrence in print order.
    private(set) var blocks: [BoilerplateBlock] = []
    /// Per passage, its folded occurrences: (first passage line, block), ascending.
    private(set) var occurrences: [[(line: Int, block: Int)]]

    /// No folding.
    init(passages: Int) {
        occurrences = [[(line: Int, block: Int)]](repeating: [], count: passages)
    }

    /// Finds the blocks of `stitcher.passages`, numbered by first occurrence in `order` (the
    /// renderer's print order); `minimumSources` 0 finds none.
    init(_ stitcher: PassageStitcher, order: [Int], minimumSources: Int, tokens: ([UInt8]) -> Int) {
        self.init(passages: stitcher.passages.count)
        guard minimumSources > 0, !stitcher.passages.isEmpty else { return }
        let lines = stitcher.passages.indices.map { RAGNearDuplicateText.lines(of: $0, stitcher) }
        // Passages without a source count as sources of their own.
        let sourceOf = stitcher.passages.indices.map { passage in
            stitcher.sources[stitcher.passages[passage].source] == nil
                ? stitcher.sources.count + passage : stitcher.passages[passage].source
        }
        let lineIDs = Self.repeatedLines(lines, sourceOf: sourceOf, minimumSources: minimumSources)
        let templates = Self.chains(lines, lineIDs)
        guard !templates.isEmpty else { return }
        let found = Self.occurrences(lines, lineIDs, templates)

        // Keep the blocks that qualify, numbered by first occurrence in print order.
        var first = [(position: Int, line: Int)?](repeating: nil, count: templates.count)
        for (position, passage) in order.enumerated() {
            for occurrence in found[passage] where first[occurrence.block] == nil {
                first[occurrence.block] = (position, occurrence.line)
            }
        }
        var sources = [Set<Int>](repeating: [], count: templates.count)
        var counts = [Int](repeating: 0, count: templates.count)
        for passage in found.indices {
            for occurrence in found[passage] {
                sources[occurrence.block].insert(sourceOf[passage])
                counts[occurrence.block] += 1
            }
        }
        var candidates: [(template: Int, first: (Int, Int))] = []
        for template in templates.indices {
            guard sources[template].count >= minimumSources, let position = first[template] else { continue }
            let block = Self.block(templates[template], sources: sources[template].count, tokens: tokens)
            guard block.tokens >= Self.minimumBlockTokens, block.saves(occurrences: counts[template]) else { continue }
            candidates.append((template, (position.position, position.line)))
            blocks.append(block)
        }
        // Renumber by first occurrence.
        let sorted = candidates.indices.sorted { candidates[$0].first < candidates[$1].first }
        blocks = sorted.map { blocks[$0] }
        var number = [Int: Int]()
        for (index, candidate) in sorted.enumerated() { number[candidates[candidate].template] = index }
        occurrences = found.map { list in list.compactMap { occurrence in number[occurrence.block].map { (occurrence.line, $0) } } }
    }

    /// A block's lines and token figures (the label is costed with a two-digit number).
    private static func block(_ lines: [ArraySlice<UInt8>], sources: Int, tokens: ([UInt8]) -> Int) -> BoilerplateBlock {
        var text = TextBuffer()
        for line in lines { text.appendLine(stripping: Array(line)) }
        var block = BoilerplateBlock(lines: lines, sources: sources, tokens: tokens(text.bytes), markerTokens: 0, statementTokens: 0)
        block.markerTokens = tokens(Array(block.indentation) + Array("[B10]\n".utf8))
        block.statementTokens = tokens(Array(label(number: 10, block).utf8)) + block.tokens
        return block
    }

    /// The label line of a block's statement.
    static func label(number: Int, _ block: BoilerplateBlock) -> String {
        let lines = block.lines.count == 1 ? "1 line" : "\(Format.count(block.lines.count)) lines"
        return "[boilerplate B\(number) · in \(Format.count(block.sources)) sources · \(lines)]\n"
    }

    /// The explanation printed before the statements.
    static let legend = "[boilerplate: runs of lines repeated in many sources, stated once here; [Bn] in a passage stands for the lines of block Bn]\n"

    // MARK: - Detection

    /// True when a trimmed line is long enough and holds a letter or digit.
    static func isSubstantial(_ line: ArraySlice<UInt8>) -> Bool {
        let trimmed = PassageStitcher.trimmed(line)
        guard trimmed.contains(where: { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || ($0 >= 48 && $0 <= 57) || $0 >= 0x80 }) else { return false }
        if trimmed.count >= minimumLineBytes { return true }
        var words = 0
        var inWord = false
        for byte in trimmed {
            let space = PassageStitcher.isSpace(byte)
            if !space, !inWord { words += 1 }
            inWord = !space
        }
        return words >= minimumLineWords
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool { line.allSatisfy(PassageStitcher.isSpace) }

    /// Per passage line, an id shared by the byte-equal substantial lines found in at least
    /// `minimumSources` distinct sources (nil for other lines).
    private static func repeatedLines(_ lines: [[ArraySlice<UInt8>]], sourceOf: [Int], minimumSources: Int) -> [[Int?]] {
        // Visit passages by source so that each line's distinct sources count in one pass.
        let bySource = lines.indices.sorted { (sourceOf[$0], $0) < (sourceOf[$1], $1) }
        // Each distinct substantial line numbered once (-1 for the other lines).
        var table = RAGByteTable(capacity: lines.reduce(0) { $0 + $1.count } / 2)
        let entries: [[Int32]] = lines.map { passageLines in
            passageLines.map { line in
                isSubstantial(line) ? Int32(table.insert(line, hash: RAGByteHash.hash(line)).entry) : -1
            }
        }
        var lastSource = [Int](repeating: -1, count: table.count)
        var sources = [Int](repeating: 0, count: table.count)
        for passage in bySource {
            let source = sourceOf[passage]
            for entry in entries[passage] where entry >= 0 && lastSource[Int(entry)] != source {
                lastSource[Int(entry)] = source
                sources[Int(entry)] += 1
            }
        }
        var ids = [Int](repeating: -1, count: table.count)
        var nextID = 0
        return entries.map { passageEntries in
            passageEntries.map { entry in
                guard entry >= 0, sources[Int(entry)] >= minimumSources else { return nil }
                if ids[Int(entry)] < 0 {
                    ids[Int(entry)] = nextID
                    nextID += 1
                }
                return ids[Int(entry)]
            }
        }
    }

    /// What follows (or precedes) a repeated line: always the same repeated line after the same
    /// blank lines, or not always.
    private enum Neighbour: Equatable {
        case none
        case one(id: Int, gap: [ArraySlice<UInt8>])
        case various
    }

    /// The blocks: chains of repeated lines where each line is always followed by the next and
    /// the next always preceded by it (passage ends aside: windows cut blocks), as their lines.
    private static func chains(_ lines: [[ArraySlice<UInt8>]], _ lineIDs: [[Int?]]) -> [[ArraySlice<UInt8>]] {
        let count = lineIDs.reduce(0) { max($0, ($1.compactMap { $0 }.max() ?? -1) + 1) }
        guard count > 0 else { return [] }
        var next = [Neighbour](repeating: .none, count: count)
        var previous = [Neighbour](repeating: .none, count: count)
        var text = [ArraySlice<UInt8>](repeating: [], count: count)
        func note(_ slot: inout Neighbour, _ value: Neighbour) {
            switch slot {
            case .none: slot = value
            case .various: break
            case .one: if slot != value { slot = .various }
            }
        }
        for passage in lines.indices {
            let ids = lineIDs[passage]
            var lastNonBlank: Int?
            for index in ids.indices {
                let line = lines[passage][index]
                if isBlank(line) { continue }
                if let id = ids[index] { text[id] = line }
                if let before = lastNonBlank {
                    let gap = Array(lines[passage][(before + 1)..<index])
                    switch (ids[before], ids[index]) {
                    case let (a?, b?):
                        note(&next[a], .one(id: b, gap: gap))
                        note(&previous[b], .one(id: a, gap: gap))
                    case let (a?, nil): note(&next[a], .various)
                    case let (nil, b?): note(&previous[b], .various)
                    case (nil, nil): break
                    }
                }
                lastNonBlank = index
            }
        }
        func link(_ a: Int) -> (id: Int, gap: [ArraySlice<UInt8>])? {
            guard case .one(let b, let gap) = next[a], b != a, case .one(let back, let backGap) = previous[b],
                  back == a, backGap.elementsEqual(gap) else { return nil }
            return (b, gap)
        }
        var hasLinkIn = [Bool](repeating: false, count: count)
        for a in 0..<count { if let b = link(a) { hasLinkIn[b.id] = true } }
        var placed = [Bool](repeating: false, count: count)
        var out: [[ArraySlice<UInt8>]] = []
        // Chains from their heads, then what is left (lines in cycles) one by one.
        for head in 0..<count where !hasLinkIn[head] {
            var block = [text[head]]
            placed[head] = true
            var current = head
            while let step = link(current), !placed[step.id] {
                block.append(contentsOf: step.gap)
                block.append(text[step.id])
                placed[step.id] = true
                current = step.id
            }
            out.append(block)
        }
        for id in 0..<count where !placed[id] { out.append([text[id]]) }
        return out
    }

    /// Per passage, the places where a block appears whole: (first line, block), ascending.
    private static func occurrences(_ lines: [[ArraySlice<UInt8>]], _ lineIDs: [[Int?]],
                                    _ templates: [[ArraySlice<UInt8>]]) -> [[(line: Int, block: Int)]] {
        var blockOfFirstLine: [ArraySlice<UInt8>: Int] = [:]
        for (index, template) in templates.enumerated() { blockOfFirstLine[template[0]] = index }
        return lines.indices.map { passage in
            var found: [(line: Int, block: Int)] = []
            let passageLines = lines[passage]
            var index = 0
            while index < passageLines.count {
                if lineIDs[passage][index] != nil, let block = blockOfFirstLine[passageLines[index]] {
                    let template = templates[block]
                    if index + template.count <= passageLines.count,
                       zip(template, passageLines[index..<(index + template.count)]).allSatisfy({ $0.elementsEqual($1) }) {
                        found.append((index, block))
                        index += template.count
                        continue
                    }
                }
                index += 1
            }
            return found
        }
    }
}
