/// How keys and scalars are written in the compact JSON form: strings bare where that is
/// unambiguous, so their text appears exactly as in the data; in backticks (verbatim) when
/// bare text would read as something else; a fenced block for multi-line text; JSON-quoted
/// only when nothing else is exact (control bytes, backticks with line breaks).
enum JSONScalarStyle {
    /// Where a scalar is written: after `key: ` on its own line, in a table cell (`|`
    /// separated), or inside an inline `{…}` / `[…]` list.
    enum Place { case line, cell, flow }

    /// Which quoting forms were used, for the legend.
    struct Usage: OptionSet {
        let rawValue: Int
        static let backticks = Usage(rawValue: 1)
        static let quoted = Usage(rawValue: 2)
        static let fenced = Usage(rawValue: 4)
    }

    /// Appends the value of scalar `node` written for `place`.
    static func append(_ node: Int, _ document: JSONDocument, _ place: Place, _ indent: Int,
                       into out: inout [UInt8], usage: inout Usage) {
        switch document.kind(node) {
        case .string:
            appendString(document.string(node) ?? [], place, indent, into: &out, usage: &usage)
        default:
            out += document.rawBytes(node)
        }
    }

    /// Appends string `s` written for `place`.
    static func appendString(_ s: [UInt8], _ place: Place, _ indent: Int, into out: inout [UInt8], usage: inout Usage) {
        if s.isEmpty {
            out += [0x22, 0x22]
            return
        }
        var control = false, newline = false, backtick = false, pipe = false, flowSpecial = false
        for c in s {
            switch c {
            case 0x0A: newline = true
            case 0..<0x20, 0x7F: control = c != 0x09 && c != 0x0D ? true : control
            case 0x60: backtick = true
            case 0x7C: pipe = true
            case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D: flowSpecial = true
            default: break
            }
        }
        let ambiguousStart = looksLikeLiteral(s) || s.first == 0x20 || s.last == 0x20 || s.first == 0x09
            || [0x22, 0x60, 0x26, 0x2A, 0x5B, 0x7B, 0x23, 0x27].contains(s[0])
            || (s[0] == 0x2D && (s.count == 1 || s[1] == 0x20))
        let bareOK = !ambiguousStart && !newline && !control
            && !(place == .cell && pipe) && !(place == .flow && (flowSpecial || pipe))
        if bareOK {
            out += s
        } else if !newline && !control && !backtick {
            usage.insert(.backticks)
            out.append(0x60)
            out += s
            out.append(0x60)
        } else if place == .line && newline && !control && !containsFence(s) {
            usage.insert(.fenced)
            out += Array("```\n".utf8)
            out += s
            out += Array("\n```".utf8)
        } else {
            usage.insert(.quoted)
            appendQuoted(s, into: &out)
        }
    }

    /// Appends a member key: bare unless it could be misread.
    static func appendKey(_ key: [UInt8], into out: inout [UInt8], usage: inout Usage) {
        let bare = !key.isEmpty && !key.contains(where: { $0 < 0x20 || $0 == 0x3A || $0 == 0x7C || $0 == 0x2C || $0 == 0x3D })
            && key.first != 0x20 && key.last != 0x20
            && ![0x22, 0x60, 0x26, 0x2A, 0x5B, 0x7B, 0x23, 0x27, 0x28].contains(key[0])
            && !(key[0] == 0x2D && (key.count == 1 || key[1] == 0x20))
        if bare {
            out += key
        } else {
            usage.insert(.quoted)
            appendQuoted(key, into: &out)
        }
    }

    /// True for text that would read as a number, `true`, `false` or `null`.
    static func looksLikeLiteral(_ s: [UInt8]) -> Bool {
        if s == Array("true".utf8) || s == Array("false".utf8) || s == Array("null".utf8) { return true }
        guard let first = s.first, (first >= 0x30 && first <= 0x39) || first == 0x2D || first == 0x2E else { return false }
        return s.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }
    }

    private static func containsFence(_ s: [UInt8]) -> Bool {
        JSONTemplates.firstRange(of: [0x60, 0x60, 0x60], in: s[...]) != nil
    }

    /// Appends `s` as a JSON string literal.
    static func appendQuoted(_ s: [UInt8], into out: inout [UInt8]) {
        out.append(0x22)
        let hex = Array("0123456789abcdef".utf8)
        for c in s {
            switch c {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: out.append(c)
            }
        }
        out.append(0x22)
    }
}
