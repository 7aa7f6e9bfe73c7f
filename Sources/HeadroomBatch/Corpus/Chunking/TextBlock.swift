/// A unit of a document's structure: a heading, or a paragraph the packer keeps whole when it
/// can (blank-line separated text, a fenced code block, an rst literal block with its
/// introduction). Covers the lines `first...last` of a `TextLines`, neither of them blank.
struct TextBlock: Equatable {
    /// What the block is.
    enum Kind: Equatable {
        case paragraph
        /// A heading of `level` (1 outermost) whose text without markup is `title`.
        case heading(level: Int, title: String)
    }

    var kind: Kind
    var first: Int
    var last: Int

    /// A paragraph of lines `first...last`.
    static func paragraph(_ first: Int, _ last: Int) -> TextBlock {
        TextBlock(kind: .paragraph, first: first, last: last)
    }

    /// A heading of lines `first...last`.
    static func heading(level: Int, title: String, _ first: Int, _ last: Int) -> TextBlock {
        TextBlock(kind: .heading(level: level, title: title), first: first, last: last)
    }
}

/// The sections of a document as its headings open them: section 0 is the text before the
/// first heading; each heading opens the next section, nested in the open sections of a lower
/// level.
struct SectionOutline {
    /// Per section: its headings' titles, outermost first.
    private(set) var paths: [[String]] = [[]]
    /// Per section: the sections it lies in, outermost first, itself last (section 0 lies in none).
    private(set) var chains: [[Int]] = [[0]]
    /// The open sections with their levels, outermost first.
    private var open: [(level: Int, section: Int)] = []

    /// Opens the section of a heading of `level` titled `title` and returns its number.
    mutating func enter(level: Int, title: String) -> Int {
        while let top = open.last, top.level >= level { open.removeLast() }
        let parentPath = open.last.map { paths[$0.section] } ?? []
        let section = paths.count
        open.append((level, section))
        paths.append(parentPath + [title])
        chains.append(open.map(\.section))
        return section
    }

    /// Whether `inner` is `outer` or lies in it.
    func section(_ inner: Int, liesIn outer: Int) -> Bool {
        chains[inner].contains(outer)
    }
}
