/// What an html tag does to the visible text.
enum HTMLTag: Equatable {
    /// Its content is not text: skipped up to the matching end tag (script, style, template, title, noscript, svg, iframe).
    case raw
    /// Everything up to `</head>` (or `<body>`) is invisible.
    case head
    case body
    /// Preformatted: whitespace kept, one paragraph.
    case pre
    /// `<h1>`..`<h6>`.
    case heading(Int)
    /// A line break; ends a paragraph (a space inside a heading, a newline inside `<pre>`).
    case lineBreak
    /// Starts or ends a paragraph.
    case block
    /// A table cell: a space between cells.
    case cell
    /// Anything else (inline or unknown): no effect on the text.
    case inline

    /// The tag named by the ASCII letters and digits `name` (any case).
    static func named(_ name: UnsafeRawBufferPointer) -> HTMLTag {
        guard let key = key(name) else { return .inline }
        return table[key] ?? .inline
    }

    /// The lowercased name packed into an integer (names of up to 16 bytes), or nil.
    private static func key(_ name: UnsafeRawBufferPointer) -> Key? {
        guard name.count <= 16 else { return nil }
        var key = Key()
        for (i, b) in name.enumerated() {
            let lower = UInt64(b >= 65 && b <= 90 ? b | 0x20 : b)
            if i < 8 { key.low |= lower << (8 * UInt64(i)) } else { key.high |= lower << (8 * UInt64(i - 8)) }
        }
        return key
    }

    private struct Key: Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0
    }

    private static let table: [Key: HTMLTag] = {
        var table: [Key: HTMLTag] = [:]
        func add(_ names: [String], _ tag: HTMLTag) {
            for name in names {
                let bytes = Array(name.utf8)
                bytes.withUnsafeBytes { table[key($0)!] = tag }
            }
        }
        add(["script", "style", "template", "title", "noscript", "svg", "iframe"], .raw)
        add(["head"], .head)
        add(["body"], .body)
        add(["pre", "listing", "xmp", "plaintext"], .pre)
        for level in 1...6 { add(["h\(level)"], .heading(level)) }
        add(["br"], .lineBreak)
        add(["p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody", "tfoot",
             "caption", "section", "article", "aside", "header", "footer", "nav", "main", "blockquote",
             "figure", "figcaption", "hr", "address", "details", "summary", "form", "fieldset",
             "legend", "center", "html", "hgroup", "menu", "dialog", "option"], .block)
        add(["td", "th"], .cell)
        return table
    }()
}
