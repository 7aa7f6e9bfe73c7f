/// Turns sections into the bundle text an LLM reads, or into the JSON manifest programs read.
public struct BundleRenderer {
    public let tokenizerName: String

    public init(tokenizerName: String) { self.tokenizerName = tokenizerName }

    /// The header line of a section: source, kind, size, tokens before and after, reference.
    public func header(_ section: Section) -> String {
        let approx = section.tokensInExact ? "" : "≈"
        var parts = ["## \(section.source)", section.kind]
        if section.compression != .none { parts[1] += " (\(section.compression.rawValue))" }
        parts.append("\(Format.count(section.lines)) line\(section.lines == 1 ? "" : "s"), \(Format.bytes(section.bytes))")
        parts.append("\(approx)\(Format.count(section.tokensIn)) → \(Format.count(section.bundleTokens)) tokens (\(tokenizerName))")
        parts.append(section.reference.description)
        return parts.joined(separator: " · ")
    }

    /// The section as bundle text: header line, then body.
    public func text(_ section: Section) -> [UInt8] {
        var out = Array(header(section).utf8)
        out.append(10)
        out.append(contentsOf: section.body)
        return out
    }

    /// The manifest of a run: every section with its reference, omissions and token figures;
    /// with `includeText`, each section's bundle text too.
    public func manifest(_ sections: [Section], errors: [HeadroomError], includeText: Bool) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("format", "headroom-batch/1")
        json.field("tokenizer", tokenizerName)
        json.key("sections")
        json.beginArray()
        for section in sections { write(section, into: &json, includeText: includeText) }
        json.endArray()
        json.key("errors")
        json.beginArray()
        for error in errors {
            json.beginObject()
            json.field("source", error.subject)
            json.field("message", error.message)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        var bytes = json.bytes
        bytes.append(10)
        return bytes
    }

    private func write(_ section: Section, into json: inout JSONWriter, includeText: Bool) {
        json.beginObject()
        json.field("source", section.source)
        json.field("kind", section.kind)
        json.field("kind_reason", section.kindReason)
        json.field("compression", section.compression.rawValue)
        json.field("reference", section.reference.description)
        json.field("bytes", section.bytes)
        json.field("lines", section.lines)
        json.field("tokens_in", section.tokensIn)
        json.field("tokens_in_exact", section.tokensInExact)
        json.field("bundle_tokens", section.bundleTokens)
        json.field("already_archived", section.alreadyArchived)
        json.key("omissions")
        json.beginArray()
        for omission in section.omissions {
            json.beginObject()
            json.field("unit", omission.unit)
            json.field("first", omission.range.first)
            json.field("last", omission.range.last)
            json.field("count", omission.count)
            json.field("reference", omission.query.description)
            json.key("kinds")
            json.beginObject()
            for kind in omission.kinds { json.field(kind.name, kind.count) }
            json.endObject()
            if !omission.templates.isEmpty {
                json.key("templates")
                json.beginObject()
                for template in omission.templates { json.field(template.id, template.count) }
                json.endObject()
            }
            json.endObject()
        }
        json.endArray()
        if includeText {
            json.key("text")
            json.string(bytes: text(section))
        }
        json.endObject()
    }
}
