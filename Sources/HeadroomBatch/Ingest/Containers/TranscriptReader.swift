/// Reads an agent transcript (JSONL, one message or record a line) into its tool results, in
/// the common shapes:
/// - OpenAI chat: `{"role":"tool","tool_call_id":…,"content":…}`, the call named by an earlier
///   assistant message's `tool_calls` (`function.name`, `function.arguments`);
/// - Anthropic content blocks: `{"type":"tool_result","tool_use_id":…,"content":…}` in a
///   message's `content` (also under `message`, as Claude Code writes), the call named by an
///   earlier `tool_use` block (`name`, `input`);
/// - plain records: `{"tool":…,"input":…,"output":…}`.
/// Lines with no tool result form the conversation, kept as they are.
struct TranscriptReader {
    /// One tool result: where it is, what produced it, and its text.
    struct ToolResult {
        var line: Int
        /// `Bash {"command":"ls"}`: the tool's name and its input, when known.
        var call: String
        var output: [UInt8]
    }

    /// A line that is not JSON.
    struct BadLine {
        var line: Int
        var bytes: [UInt8]
        var message: String
    }

    private(set) var results: [ToolResult] = []
    private(set) var badLines: [BadLine] = []
    /// The lines without a tool result, each with its newline.
    private(set) var conversation: [UInt8] = []
    private(set) var conversationLines = 0
    /// Calls seen so far by id: name and input.
    private var calls: [[UInt8]: String] = [:]

    /// Input shown in a section title, at most.
    static let inputShown = 80

    /// True when the first lines of `head` look like a transcript with tool results.
    static func looksLikeTranscript(_ head: [UInt8]) -> Bool {
        var lines = 0
        var start = 0
        while start < head.count, lines < 200 {
            let end = head[start...].firstIndex(of: 10) ?? head.count
            defer { start = end + 1 }
            guard end < head.count else { break }  // a cut last line is not judged
            let line = Array(head[start..<end])
            guard let first = line.first(where: { $0 != 32 && $0 != 9 }) else { continue }
            lines += 1
            guard first == UInt8(ascii: "{"), case .success(let document) = JSONDocument.parse(line) else { return false }
            var reader = TranscriptReader()
            reader.read(document, line: lines)
            if !reader.results.isEmpty { return true }
        }
        return false
    }

    /// Reads every line of a transcript.
    mutating func read(_ bytes: [UInt8]) {
        var start = 0
        var number = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            number += 1
            let line = Array(bytes[start..<end])
            let withNewline = bytes[start..<min(end + 1, bytes.count)]
            start = end + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                conversation.append(contentsOf: withNewline)
                conversationLines += 1
                continue
            }
            switch JSONDocument.parse(line) {
            case .failure(let error):
                badLines.append(BadLine(line: number, bytes: line, message: error.description))
            case .success(let document):
                let before = results.count
                read(document, line: number)
                if results.count == before {
                    conversation.append(contentsOf: withNewline)
                    conversationLines += 1
                }
            }
        }
    }

    /// Takes the calls and results of one record.
    private mutating func read(_ document: JSONDocument, line: Int) {
        let root = document.root
        guard document.kind(root) == .object else { return }
        // Plain records.
        if let tool = document.member(root, "tool"), let output = document.member(root, "output") {
            let input = document.member(root, "input").map { Self.shown(document, $0) } ?? ""
            results.append(ToolResult(line: line, call: Self.title(document.string(tool) ?? Array(document.rawBytes(tool)), input),
                                      output: Self.text(document, output)))
            return
        }
        let message = document.member(root, "message").flatMap { document.kind($0) == .object ? $0 : nil } ?? root
        // OpenAI chat: calls on assistant messages, results in tool messages.
        if let toolCalls = document.member(message, "tool_calls"), document.kind(toolCalls) == .array {
            for call in document.children(of: toolCalls) {
                guard let id = document.member(call, "id").flatMap(document.string),
                      let function = document.member(call, "function") else { continue }
                let name = document.member(function, "name").flatMap(document.string) ?? []
                let arguments = document.member(function, "arguments").map { Self.shown(document, $0) } ?? ""
                calls[id] = Self.title(name, arguments)
            }
        }
        if let role = document.member(message, "role").flatMap(document.string), role == Array("tool".utf8),
           let content = document.member(message, "content") {
            let id = document.member(message, "tool_call_id").flatMap(document.string)
            let name = document.member(message, "name").flatMap(document.string)
            let call = id.flatMap { calls[$0] } ?? name.map { Self.title($0, "") } ?? "tool"
            results.append(ToolResult(line: line, call: call, output: Self.text(document, content)))
            return
        }
        // Anthropic content blocks: tool_use and tool_result.
        guard let content = document.member(message, "content"), document.kind(content) == .array else { return }
        for block in document.children(of: content) where document.kind(block) == .object {
            guard let type = document.member(block, "type").flatMap(document.string) else { continue }
            if type == Array("tool_use".utf8), let id = document.member(block, "id").flatMap(document.string) {
                let name = document.member(block, "name").flatMap(document.string) ?? []
                let input = document.member(block, "input").map { Self.shown(document, $0) } ?? ""
                calls[id] = Self.title(name, input)
            } else if type == Array("tool_result".utf8) {
                let id = document.member(block, "tool_use_id").flatMap(document.string)
                let output = document.member(block, "content").map { Self.text(document, $0) } ?? []
                results.append(ToolResult(line: line, call: id.flatMap { calls[$0] } ?? "tool", output: output))
            }
        }
    }

    /// `name input`, the input cut to `inputShown` characters on one line.
    private static func title(_ name: [UInt8], _ input: String) -> String {
        let tool = String(decoding: name, as: UTF8.self)
        var shown = input.replacingOccurrences(of: "\n", with: " ")
        if shown.count > inputShown { shown = String(shown.prefix(inputShown)) + "…" }
        return shown.isEmpty ? tool : "\(tool) \(shown)"
    }

    /// A value as shown in a title: a string's text, anything else as written.
    private static func shown(_ document: JSONDocument, _ value: Int) -> String {
        String(decoding: document.string(value) ?? Array(document.rawBytes(value)), as: UTF8.self)
    }

    /// The text of a result: a string's text; the `text` of each block of an array of content
    /// blocks, one after the other; any other value as written.
    private static func text(_ document: JSONDocument, _ value: Int) -> [UInt8] {
        if let string = document.string(value) { return string }
        if document.kind(value) == .array {
            var out: [UInt8] = []
            var allText = true
            for block in document.children(of: value) {
                if let text = document.member(block, "text").flatMap(document.string) {
                    if !out.isEmpty && out.last != 10 { out.append(10) }
                    out.append(contentsOf: text)
                } else {
                    allText = false
                }
            }
            if allText { return out }
        }
        return Array(document.rawBytes(value))
    }
}
