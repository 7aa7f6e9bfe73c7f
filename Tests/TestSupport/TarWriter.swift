/// Writes ustar archives for tests: regular files (also with names too long for the header,
/// through a pax `path` record), directories, and symlinks.
public struct TarWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func file(_ name: String, _ content: [UInt8]) {
        if name.utf8.count > 99 {
            let record = Self.paxRecord("path", name)
            header("PaxHeaders/x", size: record.count, type: "x")
            data(record)
            header(String(name.suffix(90)), size: content.count, type: "0")
        } else {
            header(name, size: content.count, type: "0")
        }
        data(content)
    }

    public mutating func file(_ name: String, _ text: String) { file(name, Array(text.utf8)) }

    public mutating func directory(_ name: String) { header(name, size: 0, type: "5") }

    public mutating func symlink(_ name: String, to target: String) { header(name, size: 0, type: "2", link: target) }

    /// The archive with its two closing zero blocks.
    public var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    private mutating func header(_ name: String, size: Int, type: Character, link: String = "") {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (i, byte) in text.utf8.prefix(width).enumerated() { block[offset + i] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(0o644, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(0, at: 136, width: 12)
        block[156] = UInt8(ascii: type.unicodeScalars.first!)
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for i in 148..<156 { block[i] = 32 }
        let sum = block.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        bytes += block
    }

    private mutating func data(_ content: [UInt8]) {
        bytes += content
        bytes += [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }

    private static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return Array("\(length)\(body)".utf8)
    }
}
