import Foundation

/// How much of a JSON input's content a compressed body keeps verbatim: the share of the
/// input's distinct leaf strings (3+ characters, not URLs: not starting with http:// or
/// https://) and numbers (their text as in the input) that appear in the body as they are.
public enum JSONFidelity {
    /// The facts of a JSON input: its distinct qualifying leaf strings (decoded) and number texts.
    public static func facts(of input: [UInt8]) throws -> Set<String> {
        var facts = Set<String>()
        let value = try JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])
        collectStrings(value, into: &facts)
        for number in numberTexts(input) { facts.insert(number) }
        return facts
    }

    /// The share of `facts(of: input)` found verbatim in `body` (1 when there are none).
    public static func score(input: [UInt8], body: [UInt8]) throws -> Double {
        let facts = try facts(of: input)
        guard !facts.isEmpty else { return 1 }
        return Double(facts.count - (try missing(input: input, body: body)).count) / Double(facts.count)
    }

    /// The facts not found in `body`, sorted.
    public static func missing(input: [UInt8], body: [UInt8]) throws -> [String] {
        let text = String(decoding: body, as: UTF8.self)
        return try facts(of: input).filter { !text.contains($0) }.sorted()
    }

    private static func collectStrings(_ value: Any, into facts: inout Set<String>) {
        switch value {
        case let object as [String: Any]:
            for (_, member) in object { collectStrings(member, into: &facts) }
        case let array as [Any]:
            for element in array { collectStrings(element, into: &facts) }
        case let string as String:
            if string.count >= 3 && !string.hasPrefix("http://") && !string.hasPrefix("https://") { facts.insert(string) }
        default:
            break
        }
    }

    /// The text of every number token of a JSON text (outside strings), as written.
    static func numberTexts(_ input: [UInt8]) -> [String] {
        var numbers: [String] = []
        var i = 0
        var inString = false
        while i < input.count {
            let c = input[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == UInt8(ascii: "\"") { inString = false }
                i += 1
            } else if c == UInt8(ascii: "\"") {
                inString = true
                i += 1
            } else if c == UInt8(ascii: "-") || (c >= 48 && c <= 57) {
                var j = i + 1
                while j < input.count, "0123456789.eE+-".utf8.contains(input[j]) { j += 1 }
                numbers.append(String(decoding: input[i..<j], as: UTF8.self))
                i = j
            } else {
                i += 1
            }
        }
        return numbers
    }
}
