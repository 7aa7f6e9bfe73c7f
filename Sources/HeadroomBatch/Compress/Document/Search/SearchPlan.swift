/// How much of each searched file a body shows; `SearchRenderer` turns it into text.
struct SearchPlan {
    /// How much of one file is shown, least first.
    enum Level: Int, Comparable {
        /// Counted in a marker for a run of hidden files.
        case hidden
        /// A line with its path and match count; its lines are in the marker after the run.
        case listed
        /// Its path, the texts of `shownGroups`, then a marker for the rest.
        case hits
        /// Everything, context lines included (lossless).
        case full

        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    var levels: [Level]
    /// Per file: which of its text groups show their text (at `.hits`).
    var shownGroups: [[Bool]]
    /// Per file: whether the line numbers of matches whose text is not shown are listed.
    var locations: [Bool]
    /// At most this many line numbers before a shown text of a file at `.hits`
    /// (`12,40,88… ×45:text`); the others are counted in the marker.
    var locationLimit = Int.max

    /// Every file at `level`, with nothing else selected.
    init(files: Int, level: Level, groups: [Int]) {
        levels = [Level](repeating: level, count: files)
        shownGroups = groups.map { [Bool](repeating: level == .full, count: $0) }
        locations = [Bool](repeating: level == .full, count: files)
    }
}
