/// Why bytes are not one JSON value, and where: the byte offset (0-based) and the line
/// (1-based) of the offending byte, or of the end of the input when it is truncated.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The input ended inside a value.
        case truncated
        /// Bytes other than whitespace after the value.
        case trailingGarbage
        /// A byte that cannot start or continue a value here.
        case invalidToken
        /// A backslash sequence that JSON does not define.
        case invalidEscape
        /// Containers nested deeper than `JSONParser.maxDepth`.
        case tooDeep
    }

    public var reason: Reason
    public var message: String
    public var offset: Int
    public var line: Int

    public var description: String { "\(message) at line \(line), byte \(offset)" }
}
