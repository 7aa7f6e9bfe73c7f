/// Byte-level scanning of html markup: where a tag, a comment or raw content ends.
enum HTMLMarkup {
    /// The index after the `>` ending a tag whose name ends at `from`, or the end of the input.
    /// A quoted attribute value (a quote right after `=`) may hold `>`.
    static func tagEnd(_ src: UnsafeRawBufferPointer, from: Int) -> Int {
        var i = from
        let n = src.count
        var afterEquals = false
        while i < n {
            let b = src[i]
            if b == UInt8(ascii: ">") { return i + 1 }
            if afterEquals, b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                guard let close = src.firstIndex(of: b, from: i + 1) else { return n }
                i = close + 1
                afterEquals = false
                continue
            }
            if b == UInt8(ascii: "=") {
                afterEquals = true
            } else if !b.isLineWhitespace && b != 10 {
                afterEquals = false
            }
            i += 1
        }
        return n
    }

    /// The index after the `-->` closing a comment whose body starts at `from`.
    static func commentEnd(_ src: UnsafeRawBufferPointer, from: Int) -> Int {
        var i = from
        while let dash = src.firstIndex(of: UInt8(ascii: "-"), from: i) {
            if src.starts(with: "-->", at: dash) { return dash + 3 }
            i = dash + 1
        }
        return src.count
    }

    /// The index after the end tag `</name>` closing raw content that starts at `from`.
    static func rawContentEnd(_ src: UnsafeRawBufferPointer, from: Int, name: UnsafeRawBufferPointer) -> Int {
        var i = from
        let n = src.count
        while let open = src.firstIndex(of: UInt8(ascii: "<"), from: i) {
            let nameStart = open + 2
            if nameStart + name.count <= n, src[open + 1] == UInt8(ascii: "/") {
                var same = true
                for k in 0..<name.count where src[nameStart + k] | 0x20 != name[k] | 0x20 {
                    same = false
                    break
                }
                let after = nameStart + name.count
                if same, after == n || !isLetter(src[after]) && !(src[after] >= 48 && src[after] <= 57) {
                    return tagEnd(src, from: after)
                }
            }
            i = open + 1
        }
        return n
    }

    /// Whether `b` is an ASCII letter.
    @inline(__always)
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
}
