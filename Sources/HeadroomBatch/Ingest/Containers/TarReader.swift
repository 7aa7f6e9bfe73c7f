/// Reads the members of a tar stream (POSIX ustar, GNU long names, pax extended headers).
/// Only regular files are returned; directories, links and devices are skipped. Nothing is
/// ever written to disk, so absolute and `..` member names are harmless: they are only names.
struct TarReader {
    /// A regular file in the tar.
    struct Member {
        var name: String
        /// Offset of its content in the (decoded) tar stream, and its size.
        var offset: Int
        var size: Int
    }

    private let stream: ByteStream
    private let name: String
    private var position = 0
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)

    init(_ stream: ByteStream, name: String) {
        self.stream = stream
        self.name = name
    }

    /// True when `header` (the first 512 bytes of a stream) is a tar header: the ustar magic
    /// and a valid checksum.
    static func looksLikeTar(_ header: [UInt8]) -> Bool {
        guard header.count >= 512 else { return false }
        let magic = Array(header[257..<262])
        return magic == Array("ustar".utf8) && checksumMatches(header)
    }

    /// The next regular file; `content` receives its bytes when non-nil (otherwise they are
    /// skipped). Nil at the end of the tar.
    mutating func next(content: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws -> Member? {
        var longName: String?
        var paxPath: String?
        while true {
            guard let header = try readBlock() else { return nil }
            if header.allSatisfy({ $0 == 0 }) { return nil }
            guard Self.checksumMatches(header) else {
                throw HeadroomError(.input, name, "not a valid tar: bad header checksum at byte \(position - 512)")
            }
            let size = try Self.size(header, at: position - 512, name: name)
            let type = header[156]
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "x"):
                guard size <= 1 << 20 else { throw HeadroomError(.input, name, "not a valid tar: a \(size)-byte name header") }
                let data = try readData(size)
                if type == UInt8(ascii: "L") {
                    longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                } else {
                    paxPath = Self.paxPath(data) ?? paxPath
                }
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                let member = Member(name: paxPath ?? longName ?? Self.headerName(header), offset: position, size: size)
                try pass(size, to: content)
                return member
            default:
                try pass(size, to: nil)
                longName = nil
                paxPath = nil
            }
        }
    }

    /// `prefix/name` from a ustar header.
    private static func headerName(_ header: [UInt8]) -> String {
        func field(_ range: Range<Int>) -> String {
            String(decoding: header[range].prefix { $0 != 0 }, as: UTF8.self)
        }
        let base = field(0..<100)
        let prefix = header[257..<263].elementsEqual(Array("ustar\0".utf8)) ? field(345..<500) : ""
        return prefix.isEmpty ? base : prefix + "/" + base
    }

    /// The `path` record of a pax extended header (`<length> path=<value>\n` records).
    private static func paxPath(_ data: [UInt8]) -> String? {
        var i = 0
        while i < data.count {
            var length = 0
            var j = i
            while j < data.count, data[j] >= 48, data[j] <= 57 { length = length * 10 + Int(data[j] - 48); j += 1 }
            guard length > 0, i + length <= data.count, j < data.count, data[j] == 32 else { return nil }
            let record = data[(j + 1)..<(i + length)]
            if record.starts(with: Array("path=".utf8)) {
                return String(decoding: record.dropFirst(5).dropLast(record.last == 10 ? 1 : 0), as: UTF8.self)
            }
            i += length
        }
        return nil
    }

    /// The size field: octal text, or base-256 when its first byte has the high bit set.
    private static func size(_ header: [UInt8], at offset: Int, name: String) throws -> Int {
        let field = header[124..<136]
        if field.first! & 0x80 != 0 {
            var value = 0
            for (index, byte) in field.enumerated() {
                let digit = index == 0 ? Int(byte & 0x7F) : Int(byte)
                guard value <= Int.max >> 9 else { throw HeadroomError(.input, name, "not a valid tar: member size too large at byte \(offset)") }
                value = value << 8 | digit
            }
            return value
        }
        var value = 0
        var seenDigit = false
        for byte in field {
            if byte == 0 || byte == 32 { if seenDigit { break } else { continue } }
            guard byte >= 48, byte <= 55 else {
                throw HeadroomError(.input, name, "not a valid tar: bad size field at byte \(offset)")
            }
            value = value * 8 + Int(byte - 48)
            seenDigit = true
        }
        return value
    }

    private static func checksumMatches(_ header: [UInt8]) -> Bool {
        var stored = 0
        for byte in header[148..<156] where byte >= 48 && byte <= 55 { stored = stored * 8 + Int(byte - 48) }
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return sum == stored
    }

    /// The next 512-byte block; nil at a clean end of stream.
    private mutating func readBlock() throws -> [UInt8]? {
        var block = [UInt8](repeating: 0, count: 512)
        let got = try fill(&block)
        if got == 0 { return nil }
        guard got == 512 else { throw HeadroomError(.input, name, "truncated tar: it ends inside a header") }
        return block
    }

    private mutating func readData(_ size: Int) throws -> [UInt8] {
        var data: [UInt8] = []
        try pass(size) { data.append(contentsOf: $0) }
        return data
    }

    /// Reads `size` content bytes, handing them to `content` when given, then the padding
    /// to the next 512-byte boundary.
    private mutating func pass(_ size: Int, to content: ((UnsafeRawBufferPointer) throws -> Void)?) throws {
        var remaining = size + Self.padding(size)
        var contentLeft = size
        while remaining > 0 {
            let n = try scratch.withUnsafeMutableBytes {
                try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<min($0.count, remaining)]))
            }
            guard n > 0 else { throw HeadroomError(.input, name, "truncated tar: it ends inside a member") }
            if let content, contentLeft > 0 {
                try scratch.withUnsafeBytes { try content(UnsafeRawBufferPointer(rebasing: $0[0..<min(n, contentLeft)])) }
            }
            contentLeft = max(0, contentLeft - n)
            remaining -= n
            position += n
        }
    }

    private static func padding(_ size: Int) -> Int { (512 - size % 512) % 512 }

    private mutating func fill(_ buffer: inout [UInt8]) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try buffer.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n == 0 { break }
            filled += n
        }
        position += filled
        return filled
    }
}
