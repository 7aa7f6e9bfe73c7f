/// An error the user can act on: what failed (`subject`: an input path, the archive, a reference),
/// the problem in plain words, and the underlying cause when there is one.
public struct HeadroomError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; decides the exit code.
    public enum Code: Sendable {
        /// One input could not be read or decoded; other inputs go on.
        case input
        /// The archive cannot be opened, read or written.
        case archive
        /// A reference or range that is malformed or not in the archive.
        case reference
        /// A command-line value that makes no sense.
        case usage
    }

    public var code: Code
    public var subject: String
    public var message: String

    public init(_ code: Code, _ subject: String, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }
}

/// The text of the current `errno`, e.g. "No such file or directory".
func errnoText(_ value: Int32) -> String {
    guard let text = strerror(value) else { return "error \(value)" }
    return String(cString: text)
}

#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif
