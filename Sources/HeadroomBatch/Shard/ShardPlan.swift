/// One piece of an input in a shard: a whole file, or a byte range of one cut at line ends.
public struct ShardPiece: Sendable, Equatable {
    public var path: String
    /// Byte offset of the piece in the file, and its length.
    public var offset: Int
    public var count: Int
    /// True when the piece is the whole file (then it is compressed as the file itself).
    public var wholeFile: Bool
    /// What the file holds, as its first bytes show (`KindDetector`); informative.
    public var kind: String

    /// The input to compress for this piece: the file, or its byte range titled
    /// `path [bytes A-B]` (1-based, inclusive).
    public var input: InputSource {
        if wholeFile { return .file(path) }
        return .payload(EmbeddedPayload(title: "\(path) [bytes \(offset + 1)-\(offset + count)]", pathHint: path,
                                        bytes: .fileRange(path: path, offset: offset, count: count)))
    }
}

/// One shard: pieces processed together by one `run-shard`.
public struct ShardDescription: Sendable, Equatable {
    /// 1-based, in input order; shard bundles are concatenated in this order.
    public var shard: Int
    public var pieces: [ShardPiece]

    /// One JSON line: `{"shard":1,"pieces":[{"path":"a.log","offset":0,"count":1048576,"whole":true,"kind":"log"}]}`.
    public var jsonLine: String {
        var json = JSONWriter()
        json.beginObject()
        json.field("shard", shard)
        json.key("pieces")
        json.beginArray()
        for piece in pieces {
            json.beginObject()
            json.field("path", piece.path)
            json.field("offset", piece.offset)
            json.field("count", piece.count)
            json.field("whole", piece.wholeFile)
            json.field("kind", piece.kind)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Reads a line written by `jsonLine`.
    public init(jsonLine line: [UInt8]) throws {
        func bad(_ what: String) -> HeadroomError {
            HeadroomError(.usage, "shard line", "\(what): \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        guard case .success(let document) = JSONDocument.parse(line), document.kind(document.root) == .object,
              let shardNode = document.member(document.root, "shard"), let shardText = document.numberText(shardNode),
              let shard = Int(String(decoding: shardText, as: UTF8.self)),
              let piecesNode = document.member(document.root, "pieces"), document.kind(piecesNode) == .array
        else { throw bad("not a shard description (a line of `headroom-batch plan`)") }
        self.shard = shard
        pieces = []
        for node in document.children(of: piecesNode) {
            func int(_ key: String) -> Int? {
                document.member(node, key).flatMap { document.numberText($0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) }
            }
            guard let pathNode = document.member(node, "path"), let path = document.string(pathNode),
                  let offset = int("offset"), let count = int("count"), offset >= 0, count >= 0 else {
                throw bad("a piece needs path, offset and count")
            }
            let whole = document.member(node, "whole").map { document.rawBytes($0).elementsEqual("true".utf8) } ?? false
            let kind = document.member(node, "kind").flatMap { document.string($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
            pieces.append(ShardPiece(path: String(decoding: path, as: UTF8.self), offset: offset, count: count,
                                     wholeFile: whole, kind: kind))
        }
    }

    public init(shard: Int, pieces: [ShardPiece]) {
        self.shard = shard
        self.pieces = pieces
    }
}

/// Cuts inputs into shards of about `shardBytes`: files in order, small files grouped into one
/// shard, a file larger than a shard cut into byte ranges at line ends (compressed files are
/// never cut: their bytes do not split at lines). Reads only each file's first 64 KiB (for
/// its kind) and the bytes around each cut.
public struct ShardPlanner {
    public let shardBytes: Int

    public init(shardBytes: Int) { self.shardBytes = max(1, shardBytes) }

    public func plan(_ arguments: [String]) -> (shards: [ShardDescription], errors: [HeadroomError]) {
        let (inputs, errors) = InputResolver.resolve(arguments, unpacking: false)
        var errorsOut = errors
        var shards: [ShardDescription] = []
        var current: [ShardPiece] = []
        var currentBytes = 0
        func close() {
            guard !current.isEmpty else { return }
            shards.append(ShardDescription(shard: shards.count + 1, pieces: current))
            current = []
            currentBytes = 0
        }
        for input in inputs {
            guard case .file(let path) = input else {
                errorsOut.append(HeadroomError(.usage, input.description, "standard input cannot be sharded; give files"))
                continue
            }
            var status = stat()
            guard stat(path, &status) == 0 else {
                errorsOut.append(HeadroomError(.input, path, errnoText(errno)))
                continue
            }
            let size = Int(status.st_size)
            let head = Self.read(path, offset: 0, count: 64 << 10) ?? []
            let compressed = StreamCompression.detect(Array(head.prefix(4))) != .none
            let kind = compressed ? "compressed" : head.withUnsafeBytes { KindDetector.detect($0, path: path) }.kind.rawValue
            if size <= shardBytes || compressed {
                if currentBytes + size > shardBytes { close() }
                current.append(ShardPiece(path: path, offset: 0, count: size, wholeFile: true, kind: kind))
                currentBytes += size
                continue
            }
            close()
            var offset = 0
            while offset < size {
                var end = min(size, offset + shardBytes)
                if end < size { end = Self.lineEnd(path, after: end, size: size) }
                shards.append(ShardDescription(shard: shards.count + 1, pieces: [
                    ShardPiece(path: path, offset: offset, count: end - offset, wholeFile: false, kind: kind)]))
                offset = end
            }
        }
        close()
        return (shards, errorsOut)
    }

    /// The offset just past the first newline at or after `position` (or the file's end).
    static func lineEnd(_ path: String, after position: Int, size: Int) -> Int {
        var at = position
        while at < size {
            guard let chunk = read(path, offset: at, count: 64 << 10), !chunk.isEmpty else { return size }
            if let newline = chunk.firstIndex(of: 10) { return at + newline + 1 }
            at += chunk.count
        }
        return size
    }

    static func read(_ path: String, offset: Int, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard n >= 0 else { return nil }
        buffer.removeSubrange(n...)
        return buffer
    }
}
