/// A ranks file that cannot be used; the message names the file and the problem.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// No file at the path.
    case fileNotFound(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// Line `line` (1-based) is not `base64(token) rank`, or breaks a rule of the format.
    case malformedLine(path: String, line: Int, reason: String)
    /// The file holds no tokens, or lacks a token a byte-level BPE needs.
    case incomplete(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "BPE ranks file not found: \(path)"
        case .unreadable(let path, let reason):
            return "BPE ranks file \(path) could not be read: \(reason)"
        case .malformedLine(let path, let line, let reason):
            return "BPE ranks file \(path), line \(line): \(reason)"
        case .incomplete(let path, let reason):
            return "BPE ranks file \(path) is unusable: \(reason)"
        }
    }
}
