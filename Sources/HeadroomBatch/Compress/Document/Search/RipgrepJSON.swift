/// Reads `rg --json` output (one message per line: `begin`, `match`, `context`, `end`,
/// `summary`) into `SearchResults`, with `JSONDocument` per line.
///
/// `begin` and `end` messages become the file's structural lines; their statistics and the
/// `summary` message are counted in `SearchResults.statistics`. Lines that are not such
/// messages are kept as `other`.
enum RipgrepJSON {
    /// True when the first non-blank line is an object whose `type` is an rg message type.
    static func looks(_ document: [UInt8]) -> Bool {
        var start = 0
        while start < document.count, document[start] == 10 || document[start] == 13 || document[start] == 32 { start += 1 }
        var end = start
        while end < document.count, document[end] != 10 { end += 1 }
        guard start < end, document[start] == UInt8(ascii: "{"),
              case .success(let json) = JSONDocument.parse(Array(document[start..<end])) else { return false }
        return message(json) != nil
    }

    /// One parsed message, its strings already copied into the storage being built.
    private struct Message {
        var kind: SearchLineKind
        var source: Int
        var path: Range<Int>?
        var number: Int
        var text: Range<Int>
        var isStatistics: Bool
    }

    /// The results of `document`.
    static func parse(_ document: [UInt8]) -> SearchResults {
        var storage: [UInt8] = []
        var messages: [Message] = []
        var start = 0
        var source = 0
        while start < document.count {
            var end = start
            while end < document.count, document[end] != 10 { end += 1 }
            source += 1
            var lineEnd = end
            if lineEnd > start, document[lineEnd - 1] == 13 { lineEnd -= 1 }
            messages.append(read(document[start..<lineEnd], source: source, into: &storage))
            start = end + 1
        }
        // Files are indexed once the storage is complete (slices of it are the index keys).
        var results = SearchResults(storage: storage)
        var index: [ArraySlice<UInt8>: Int] = [:]
        for message in messages {
            let line = SearchLine(kind: message.kind, source: message.source, file: -1, number: message.number, column: 0, text: message.text)
            if message.isStatistics { results.statistics.append(message.source) }
            if let path = message.path {
                results.add(line, path: path, index: &index)
            } else {
                results.lines.append(line)
            }
        }
        return results
    }

    /// The message on one line; lines that are not rg messages become `other` lines.
    private static func read(_ line: ArraySlice<UInt8>, source: Int, into storage: inout [UInt8]) -> Message {
        func kept() -> Message {
            let text = storage.count..<(storage.count + line.count)
            storage.append(contentsOf: line)
            let blank = line.allSatisfy { $0 == 32 || $0 == 9 }
            return Message(kind: blank ? .separator : .other, source: source, path: nil, number: 0, text: text, isStatistics: false)
        }
        guard line.first == UInt8(ascii: "{"), case .success(let json) = JSONDocument.parse(Array(line)),
              let type = message(json), let data = json.member(json.root, "data") else { return kept() }
        if type == "summary" {
            return Message(kind: .separator, source: source, path: nil, number: 0, text: 0..<0, isStatistics: true)
        }
        guard let path = json.member(data, "path"), let pathBytes = bytes(json, path) else { return kept() }
        let pathRange = storage.count..<(storage.count + pathBytes.count)
        storage.append(contentsOf: pathBytes)
        switch type {
        case "match", "context":
            guard let lines = json.member(data, "lines"), var text = bytes(json, lines) else { return kept() }
            if text.last == 10 { text.removeLast() }
            if text.last == 13 { text.removeLast() }
            let textRange = storage.count..<(storage.count + text.count)
            storage.append(contentsOf: text)
            var number = 0
            if let n = json.member(data, "line_number"), let digits = json.numberText(n) {
                for d in digits where d &- 48 < 10 { number = number * 10 + Int(d &- 48) }
            }
            return Message(kind: type == "match" ? .match : .context, source: source, path: pathRange, number: number,
                           text: textRange, isStatistics: false)
        default:
            return Message(kind: .path, source: source, path: pathRange, number: 0, text: 0..<0, isStatistics: type == "end")
        }
    }

    /// The `type` of an rg message, if it is one.
    private static func message(_ json: JSONDocument) -> String? {
        guard json.kind(json.root) == .object, let type = json.member(json.root, "type"),
              let name = json.string(type) else { return nil }
        let known = ["begin", "match", "context", "end", "summary"]
        let text = String(decoding: name, as: UTF8.self)
        return known.contains(text) ? text : nil
    }

    /// The bytes of an rg "arbitrary data" object: `{"text": …}` or `{"bytes": base64}`.
    private static func bytes(_ json: JSONDocument, _ node: Int) -> [UInt8]? {
        if let text = json.member(node, "text") { return json.string(text) }
        if let encoded = json.member(node, "bytes"), let base64 = json.string(encoded) { return decodeBase64(base64) }
        return nil
    }

    /// Standard base64 (padding optional); nil on a byte outside the alphabet.
    static func decodeBase64(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0, bits = 0
        for c in text {
            let value: UInt32
            switch c {
            case 65...90: value = UInt32(c - 65)
            case 97...122: value = UInt32(c - 71)
            case 48...57: value = UInt32(c + 4)
            case 43: value = 62
            case 47: value = 63
            case 61: continue
            default: return nil
            }
            buffer = buffer << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}
