/// The markup of a document, from its file extension.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case markdown, text, restructuredText, html

    /// The format of a file with extension `pathExtension` (with or without its leading dot,
    /// any case): `.md` `.markdown` → markdown, `.txt` → text, `.rst` → restructuredText,
    /// `.html` `.htm` → html; nil for an extension that is not a document.
    public init?(pathExtension: String) {
        var name = Substring(pathExtension)
        if name.hasPrefix(".") { name = name.dropFirst() }
        switch name.lowercased() {
        case "md", "markdown": self = .markdown
        case "txt": self = .text
        case "rst": self = .restructuredText
        case "html", "htm": self = .html
        default: return nil
        }
    }
}
