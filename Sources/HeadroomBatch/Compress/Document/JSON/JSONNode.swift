/// The kind of a JSON value.
public enum JSONKind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null

    /// True for objects and arrays.
    public var isContainer: Bool { self == .object || self == .array }
}

/// One value of a parsed document, in a flat array in document order (pre-order): a
/// container's descendants follow it, up to `subtreeEnd`. Indices are node numbers in
/// `JSONDocument.nodes`; -1 means none.
public struct JSONNode: Sendable {
    public var kind: JSONKind
    /// Bit 0: the string value has escapes; bit 1: the member key has escapes.
    var flags: UInt8
    /// The 1-based line on which the value starts.
    public var line: Int32
    /// The 1-based line on which the value ends (its closing bracket for containers).
    public var endLine: Int32
    /// The enclosing container, -1 for the root.
    public var parent: Int32
    /// The next value in the same container, -1 for the last one.
    public var nextSibling: Int32
    /// The index after the last descendant (`index + 1` for scalars).
    public var subtreeEnd: Int32
    /// Members of an object, elements of an array, 0 for scalars.
    public var childCount: Int32
    /// The value's bytes are `start..<end` of the input (quotes included for strings).
    public var start: Int
    public var end: Int
    /// For object members, the key's bytes between its quotes (escapes unresolved); -1 otherwise.
    public var keyStart: Int
    public var keyEnd: Int

    /// True when the node is the value of an object member.
    public var hasKey: Bool { keyStart >= 0 }
    var valueHasEscapes: Bool { flags & 1 != 0 }
    var keyHasEscapes: Bool { flags & 2 != 0 }
}
