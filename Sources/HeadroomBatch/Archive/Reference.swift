/// A reference ID: `hb_` and the leading lowercase hex digits of the SHA-256 of the original bytes.
///
/// The ID is content-addressed: the same bytes always give the same ID, on any machine.
/// 16 hex digits (64 bits) are shown; the archive extends an ID only if two different
/// contents ever share those digits. Any unambiguous prefix of at least 16 digits resolves.
public struct ReferenceID: Hashable, Sendable, CustomStringConvertible {
    /// Digits shown in a new ID.
    public static let shownDigits = 16
    public static let prefix = "hb_"

    /// Lowercase hex digits after `hb_` (16 to 64 of them).
    public let hex: String

    public init(hex: String) { self.hex = hex }

    /// The ID for a full digest, using its first `digits` hex digits.
    public init(digest: String, digits: Int = ReferenceID.shownDigits) {
        hex = String(digest.prefix(digits))
    }

    public var description: String { Self.prefix + hex }
}

/// A 1-based, inclusive range of lines (or records, for record-based kinds).
public struct LineRange: Hashable, Sendable, CustomStringConvertible {
    public var first: Int
    public var last: Int

    public init(_ first: Int, _ last: Int) {
        self.first = first
        self.last = last
    }

    public var count: Int { last - first + 1 }
    public var description: String { "\(first)-\(last)" }

    /// Parses `A-B` or a single line `A`.
    public static func parse(_ text: Substring, subject: String) throws -> LineRange {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let first = Int(parts[0]), let last = Int(parts.count == 2 ? parts[1] : parts[0])
        else { throw HeadroomError(.reference, subject, "range must be A-B with line numbers, e.g. 120-180") }
        guard first >= 1, last >= first else {
            throw HeadroomError(.reference, subject, "range must be 1-based with A <= B, got \(text)")
        }
        return LineRange(first, last)
    }
}

/// A reference as a user writes it: `hb_<hex>` with an optional `:A-B` range.
public struct ReferenceQuery: Sendable, CustomStringConvertible {
    public var id: ReferenceID
    public var range: LineRange?

    public init(id: ReferenceID, range: LineRange? = nil) {
        self.id = id
        self.range = range
    }

    /// Parses `hb_3f9a1c0d2e7b4a51` or `hb_3f9a1c0d2e7b4a51:120-180`.
    public static func parse(_ text: String) throws -> ReferenceQuery {
        let trimmed = text.trimmingSpaces()
        guard trimmed.hasPrefix(ReferenceID.prefix) else {
            throw HeadroomError(.reference, text, "not a reference: it must start with hb_ (e.g. hb_3f9a1c0d2e7b4a51:120-180)")
        }
        let body = trimmed.dropFirst(ReferenceID.prefix.count)
        let pieces = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let hex = pieces[0].lowercased()
        guard hex.count >= ReferenceID.shownDigits, hex.count <= 64,
              hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else {
            throw HeadroomError(.reference, text, "not a reference: after hb_ come 16 to 64 hex digits")
        }
        var range: LineRange?
        if pieces.count == 2 { range = try LineRange.parse(pieces[1], subject: text) }
        return ReferenceQuery(id: ReferenceID(hex: hex), range: range)
    }

    public var description: String { range.map { "\(id):\($0)" } ?? id.description }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
