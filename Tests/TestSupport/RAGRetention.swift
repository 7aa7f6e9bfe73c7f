import Foundation

/// Measures of what a compressed RAG dump keeps: the share of the input's distinct sentences
/// present verbatim, and the share of answerable queries whose answer line is present.
public enum RAGRetention {
    /// Sentences shorter than this are not counted.
    public static let minimumSentenceLength = 20
    /// The keys whose first present one holds a record's text.
    public static let textKeys = ["text", "content", "passage", "chunk", "page_content", "body"]

    /// The sentences of `text`: split at newlines and after `. `, `? `, `! `, trimmed, those
    /// of at least 20 characters.
    public static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            var current = ""
            var previous: Character = "\n"
            for character in line {
                if character == " ", previous == "." || previous == "?" || previous == "!" {
                    append(current, to: &out)
                    current = ""
                } else {
                    current.append(character)
                }
                previous = character
            }
            append(current, to: &out)
        }
        return out
    }

    private static func append(_ sentence: String, to out: inout [String]) {
        let trimmed = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count >= minimumSentenceLength { out.append(trimmed) }
    }

    /// The decoded texts of the records of a JSONL payload (lines without one skipped).
    public static func texts(_ jsonl: [UInt8]) -> [String] {
        Data(jsonl).split(separator: 10).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return nil }
            for key in textKeys { if let text = object[key] as? String { return text } }
            return nil
        }
    }

    /// The distinct sentences of the input's record texts.
    public static func distinctSentences(_ jsonl: [UInt8]) -> Set<String> {
        Set(texts(jsonl).flatMap(sentences))
    }

    /// Finds strings in an output: by its sentences and lines first, by substring otherwise.
    public struct OutputIndex {
        public let text: String
        private let pieces: Set<String>

        public init(_ output: String) {
            text = output
            var pieces = Set<String>()
            for line in output.split(separator: "\n") {
                pieces.insert(line.trimmingCharacters(in: .whitespaces))
                for sentence in RAGRetention.sentences(String(line)) { pieces.insert(sentence) }
            }
            self.pieces = pieces
        }

        public func contains(_ string: String) -> Bool { pieces.contains(string) || text.contains(string) }
    }

    /// The share of the input's distinct sentences present verbatim in `output`, with the
    /// missing ones.
    public static func distinctRetention(input jsonl: [UInt8], output: String) -> (share: Double, total: Int, missing: [String]) {
        let index = OutputIndex(output)
        let all = distinctSentences(jsonl).sorted()
        let missing = all.filter { !index.contains($0) }
        return (all.isEmpty ? 1 : Double(all.count - missing.count) / Double(all.count), all.count, missing)
    }

    /// The share of queries with `answer_in_top10` whose `answer_directive` line is present
    /// verbatim in `output`, with the ids of those missing.
    public static func answerRetention(queries jsonl: [UInt8], output: String) -> (share: Double, total: Int, missing: [String]) {
        let index = OutputIndex(output)
        var total = 0
        var missing: [String] = []
        for line in Data(jsonl).split(separator: 10) {
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                  object["answer_in_top10"] as? Bool == true,
                  let directive = object["answer_directive"] as? String else { continue }
            total += 1
            if !index.contains(directive.trimmingCharacters(in: .whitespaces)) {
                missing.append(object["query_id"] as? String ?? directive)
            }
        }
        return (total == 0 ? 1 : Double(total - missing.count) / Double(total), total, missing)
    }
}
