/// Which pre-tokenization regex a BPE vocabulary was trained with.
public enum BPEPattern: String, Sendable, CaseIterable {
    /// The `o200k_base` pattern (GPT-4o and later).
    case o200k
    /// The `cl100k_base` pattern (GPT-4, GPT-3.5).
    case cl100k

    /// The pattern that goes with a vocabulary: by name ("cl100k…", "o200k…"), else by size
    /// (cl100k_base has 100,256 tokens), else `o200k`.
    public static func forVocabulary(named name: String, size: Int) -> BPEPattern {
        let name = name.lowercased()
        if name.contains("cl100k") { return .cl100k }
        if name.contains("o200k") { return .o200k }
        return size == 100_256 ? .cl100k : .o200k
    }
}

/// Splits bytes into pre-tokens exactly as tiktoken's regex does, without a regex engine.
///
/// Each `*End(at:)` returns where the piece starting at `i` ends, taking the first alternative
/// that matches and, inside it, the match a backtracking engine would find.
struct BPEPretokenizer {
    let reader: BPECharReader
    let pattern: BPEPattern

    init(_ base: UnsafePointer<UInt8>, _ count: Int, pattern: BPEPattern) {
        self.reader = BPECharReader(base, count)
        self.pattern = pattern
    }

    /// End (exclusive) of the piece that starts at `i` (`i < count`).
    @inline(__always)
    func pieceEnd(at i: Int) -> Int {
        pattern == .o200k ? o200kEnd(at: i) : cl100kEnd(at: i)
    }

    private typealias C = BPECharClass
    private static let notPrefix: UInt8 = BPECharClass.newline | BPECharClass.letter | BPECharClass.number
    private static let notPunct: UInt8 = BPECharClass.space | BPECharClass.letter | BPECharClass.number

    // MARK: o200k_base

    // [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
    // |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
    // |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
    @inline(__always)
    func o200kEnd(at i: Int) -> Int {
        let (cls, length) = reader.char(at: i)
        let next = i + length
        if cls & Self.notPrefix == 0 {
            // The first character may be the optional prefix (or, for a mark, the word itself).
            let e1 = lowerWordEnd(from: next)
            if e1 >= 0 { return e1 }
            if cls & C.upper != 0 { return lowerWordEnd(from: i) }  // a mark: always matches
            let e2 = upperWordEnd(from: next)
            if e2 >= 0 { return e2 }
        } else if cls & C.letter != 0 {
            let e1 = lowerWordEnd(from: i)
            return e1 >= 0 ? e1 : upperWordEnd(from: i)
        } else if cls & C.number != 0 {
            return numberEnd(from: next)
        }
        if cls & Self.notPunct == 0 { return punctEnd(from: next, slash: true) }
        if reader.base[i] == 0x20 && next < reader.count
            && reader.char(at: next).cls & Self.notPunct == 0 {
            return punctEnd(from: next, slash: true)
        }
        return whitespaceEnd(from: i, trailingRunWhole: false)
    }

    /// `[upper]*[lower]+(contraction)?` from `j`, as a backtracking engine matches it; -1 if none.
    @inline(__always)
    private func lowerWordEnd(from j: Int) -> Int {
        var p = j
        var lastLowerEnd = -1
        let n = reader.count
        while p < n {
            let (cls, length) = reader.char(at: p)
            if cls & C.upper == 0 {
                if cls & C.lower != 0 {
                    // [upper]* stopped at a lowercase letter: [lower]+ takes it and what follows.
                    p += length
                    while p < n {
                        let (c2, l2) = reader.char(at: p)
                        if c2 & C.lower == 0 { break }
                        p += l2
                    }
                    return contractionEnd(at: p)
                }
                break
            }
            p += length
            if cls & C.lower != 0 { lastLowerEnd = p }
        }
        // Backtrack: [upper]* gives back characters until [lower]+ can take the last one in both sets.
        return lastLowerEnd < 0 ? -1 : contractionEnd(at: lastLowerEnd)
    }

    /// `[upper]+[lower]*(contraction)?` from `j`; -1 if none.
    @inline(__always)
    private func upperWordEnd(from j: Int) -> Int {
        var p = j
        let n = reader.count
        while p < n {
            let (cls, length) = reader.char(at: p)
            if cls & C.upper == 0 { break }
            p += length
        }
        if p == j { return -1 }
        while p < n {
            let (cls, length) = reader.char(at: p)
            if cls & C.lower == 0 { break }
            p += length
        }
        return contractionEnd(at: p)
    }

    /// End of `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `p`, or `p` if absent. Case folding maps U+017F (ſ) to s.
    @inline(__always)
    private func contractionEnd(at p: Int) -> Int {
        let length = contractionLength(at: p)
        return p + length
    }

    /// Length in bytes of a contraction at `p` (0 if none).
    @inline(__always)
    private func contractionLength(at p: Int) -> Int {
        let base = reader.base
        let left = reader.count - p
        guard left >= 2, base[p] == 0x27 else { return 0 }
        let b1 = base[p + 1]
        switch b1 | 0x20 {
        case 0x73, 0x74, 0x6D, 0x64:  // s t m d
            return 2
        case 0x72, 0x76:  // r v, then e
            return left >= 3 && base[p + 2] | 0x20 == 0x65 ? 3 : 0
        case 0x6C:  // l, then l
            return left >= 3 && base[p + 2] | 0x20 == 0x6C ? 3 : 0
        default:
            // U+017F LATIN SMALL LETTER LONG S folds to 's'.
            return left >= 3 && b1 == 0xC5 && base[p + 2] == 0xBF ? 3 : 0
        }
    }

    /// `\p{N}{1,3}` after the first number ending at `p`.
    @inline(__always)
    private func numberEnd(from p: Int) -> Int {
        var p = p
        var taken = 1
        while taken < 3 && p < reader.count {
            let (cls, length) = reader.char(at: p)
            if cls & C.number == 0 { break }
            p += length
            taken += 1
        }
        return p
    }

    /// Rest of `[^\s\p{L}\p{N}]+` from `p`, then `[\r\n/]*` (o200k) or `[\r\n]*` (cl100k).
    @inline(__always)
    private func punctEnd(from p: Int, slash: Bool) -> Int {
        var p = p
        let n = reader.count
        while p < n {
            let (cls, length) = reader.char(at: p)
            if cls & Self.notPunct != 0 { break }
            p += length
        }
        let base = reader.base
        while p < n {
            let b = base[p]
            if b == 0x0A || b == 0x0D || (slash && b == 0x2F) { p += 1 } else { break }
        }
        return p
    }

    /// The whitespace alternatives, starting at whitespace `i`.
    ///
    /// o200k: `\s*[\r\n]+ | \s+(?!\S) | \s+`; cl100k: `\s++$ | \s*[\r\n] | \s+(?!\S) | \s`.
    private func whitespaceEnd(from i: Int, trailingRunWhole: Bool) -> Int {
        var p = i
        var lastNewlineEnd = -1
        var lastStart = i
        let n = reader.count
        while p < n {
            let (cls, length) = reader.char(at: p)
            if cls & C.space == 0 { break }
            if cls & C.newline != 0 { lastNewlineEnd = p + 1 }
            lastStart = p
            p += length
        }
        if trailingRunWhole && p == n { return p }
        if lastNewlineEnd >= 0 { return lastNewlineEnd }
        if p == n { return p }
        // Followed by a non-space: give back the last whitespace character, unless it is the only one.
        return lastStart > i ? lastStart : p
    }

    // MARK: cl100k_base

    // '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+
    // |\s++$|\s*[\r\n]|\s+(?!\S)|\s
    @inline(__always)
    func cl100kEnd(at i: Int) -> Int {
        let contraction = contractionLength(at: i)
        if contraction > 0 { return i + contraction }
        let (cls, length) = reader.char(at: i)
        let next = i + length
        if cls & C.letter != 0 {
            return letterRunEnd(from: next)
        }
        if cls & Self.notPrefix == 0 && next < reader.count && reader.char(at: next).cls & C.letter != 0 {
            return letterRunEnd(from: next)
        }
        if cls & C.number != 0 { return numberEnd(from: next) }
        if cls & Self.notPunct == 0 { return punctEnd(from: next, slash: false) }
        if reader.base[i] == 0x20 && next < reader.count
            && reader.char(at: next).cls & Self.notPunct == 0 {
            return punctEnd(from: next, slash: false)
        }
        return whitespaceEnd(from: i, trailingRunWhole: true)
    }

    /// End of the run of `\p{L}` starting at `p`.
    @inline(__always)
    private func letterRunEnd(from p: Int) -> Int {
        var p = p
        while p < reader.count {
            let (cls, length) = reader.char(at: p)
            if cls & C.letter == 0 { break }
            p += length
        }
        return p
    }
}
