/// One record of the compressed corpus (`corpus.jsonl`), built from the original record's
/// line: the same object with its keys and values as written, plus `hb_ref`, the reference
/// of the original line in the archive. A record whose text (whitespace-normalised) appeared
/// earlier in the corpus is written without its text and with `hb_same_text_as`, the id (or
/// reference) of the first record that had it.
struct CorpusRecordLine {
    /// The output line for a record printed whole (no newline).
    var line: [UInt8]
    /// The bytes of `line` to cut when the record stands for an earlier text: the text member
    /// and its comma.
    var textMember: Range<Int>
    /// How later records with the same text point to this one: its id as a JSON value, else
    /// its reference as a JSON string.
    var pointer: [UInt8]
    /// Hash of the text with whitespace runs collapsed.
    var textHash: TextHash
    /// The record's id (a string's decoded text, another value as written), nil when it has none.
    var id: String?

    /// 128 bits: two independent 64-bit hashes.
    struct TextHash: Hashable {
        var high: UInt64
        var low: UInt64
    }

    /// The output line of record `line` of a part, or nil when the line is not a JSON object
    /// with a text field under `input.fields`.
    init?(_ record: ArraySlice<UInt8>, reference: ReferenceQuery, input: CorpusInput) {
        guard case .success(let document) = JSONDocument.parse(Array(record)),
              document.kind(document.root) == .object else { return nil }
        let fields = input.fields
        func first(_ keys: [String]) -> Int? {
            for key in keys {
                if let node = document.member(document.root, key), document.kind(node) != .null { return node }
            }
            return nil
        }
        guard let textNode = first(fields.text), document.kind(textNode) == .string else { return nil }
        let idNode = first(fields.id)
        let mapped = Set([textNode] + [idNode, first(fields.source), first(fields.query), first(fields.score)].compactMap { $0 })
        let carried = input.metadata.map(Set.init)

        var out: [UInt8] = [UInt8(ascii: "{")]
        var textMember = 0..<0
        for member in document.children(of: document.root) {
            if let carried, !mapped.contains(member), !carried.contains(String(decoding: document.key(member) ?? [], as: UTF8.self)) {
                continue
            }
            let key = document.rawKey(member)!
            let value = document.rawBytes(member)
            let start = out.count
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: key)
            out.append(contentsOf: Array("\":".utf8))
            out.append(contentsOf: value)
            out.append(UInt8(ascii: ","))
            if member == textNode { textMember = start..<out.count }
        }
        out.append(contentsOf: Array("\"hb_ref\":\"\(reference)\"}".utf8))
        line = out
        self.textMember = textMember
        pointer = idNode.map { Array(document.rawBytes($0)) } ?? Array("\"\(reference)\"".utf8)
        id = idNode.map { String(decoding: document.string($0) ?? Array(document.rawBytes($0)), as: UTF8.self) }
        textHash = Self.normalisedHash(escaped: document.rawBytes(textNode).dropFirst().dropLast())
    }

    /// Parts of a record line kept in the run's state, enough to write either form later.
    init(line: [UInt8], textMember: Range<Int>, pointer: [UInt8], textHash: TextHash) {
        self.line = line
        self.textMember = textMember
        self.pointer = pointer
        self.textHash = textHash
    }

    /// The line written for a record whose text an earlier record holds.
    func standingFor(_ canonical: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.append(contentsOf: Array("\"hb_same_text_as\":".utf8))
        out.append(contentsOf: canonical)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: line[1..<textMember.lowerBound])
        out.append(contentsOf: line[textMember.upperBound...])
        return out
    }

    /// `normalisedHash` of a JSON string's decoded text, from its bytes as written between the
    /// quotes: the common escapes are read in place (`\n`, `\t`, `\r` as whitespace), and only
    /// a string with `\u` escapes is decoded first.
    static func normalisedHash(escaped: ArraySlice<UInt8>) -> TextHash {
        guard escaped.contains(92) else { return normalisedHash(escaped) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(escaped.count)
        var index = escaped.startIndex
        while index < escaped.endIndex {
            let byte = escaped[index]
            guard byte == 92, index + 1 < escaped.endIndex else {
                decoded.append(byte)
                index += 1
                continue
            }
            switch escaped[index + 1] {
            case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "f"): decoded.append(32)
            case UInt8(ascii: "b"): decoded.append(8)
            case UInt8(ascii: "u"): return normalisedHash(JSONDocument.unescape(escaped))
            default: decoded.append(escaped[index + 1])
            }
            index += 2
        }
        return normalisedHash(decoded)
    }

    /// Hash of `text` with runs of whitespace as one space and none at either end.
    static func normalisedHash<Text: Collection<UInt8>>(_ text: Text) -> TextHash {
        var high: UInt64 = 0xcbf2_9ce4_8422_2325
        var low: UInt64 = 0x9e37_79b9_7f4a_7c15
        var pendingSpace = false
        var started = false
        for byte in text {
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 || byte == 11 {
                pendingSpace = started
                continue
            }
            if pendingSpace {
                high = (high ^ 32) &* 0x0000_0100_0000_01b3
                low = (low ^ 32) &* 0xff51_afd7_ed55_8ccd
                low ^= low >> 29
                pendingSpace = false
            }
            started = true
            high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            low = (low ^ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd
            low ^= low >> 29
        }
        return TextHash(high: high, low: low)
    }
}
