/// How many tokens a section may take: a fixed count, or a share of the source's own tokens.
public enum TokenBudget: Sendable, Equatable, CustomStringConvertible {
    /// At most this many tokens; 0 for no bound.
    case tokens(Int)
    /// This percentage of the source's tokens, but never fewer than `floor` tokens (a payload
    /// smaller than the floor is not cut at all) nor more than `ceiling` (a section stays a
    /// part of a context window, however large the payload).
    case percent(Int)

    /// Tokens a percentage budget allows at least, and at most.
    public static let floor = 3000
    public static let ceiling = 32_000

    /// The default for each kind. Logs are mostly repetition: 3,000 tokens. Search results
    /// are pointers (each file with its most relevant hits; the rest is one retrieve away):
    /// 2,000. JSON and diffs are dense with facts: 40% of their tokens (from 3,000 to 32,000),
    /// which their lossless forms mostly meet, so little is cut. RAG records are pre-compressed
    /// for retrieval: no bound, so only lossless folding applies.
    public static func defaultBudget(for kind: ContentKind) -> TokenBudget {
        switch kind {
        case .rag: return .tokens(0)
        case .json, .diff: return .percent(40)
        case .search: return .tokens(2000)
        default: return .tokens(3000)
        }
    }

    /// Parses `3000` or `40%`.
    public init?(_ text: String) {
        if text.hasSuffix("%") {
            guard let value = Int(text.dropLast()), value >= 1, value <= 100 else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(text), value >= 0 else { return nil }
            self = .tokens(value)
        }
    }

    /// The bound in tokens for a source of `inputTokens` tokens (0: none).
    public func tokens(forInput inputTokens: Int) -> Int {
        switch self {
        case .tokens(let count): return count
        case .percent(let share): return min(Self.ceiling, max(Self.floor, inputTokens * share / 100))
        }
    }

    public var description: String {
        switch self {
        case .tokens(let count): return String(count)
        case .percent(let share): return "\(share)%"
        }
    }
}
