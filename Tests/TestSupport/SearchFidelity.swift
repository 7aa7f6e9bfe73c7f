import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fidelity of a compressed search-results body: the share of the original's hits (match
/// lines, not context lines) whose text, stripped of leading and trailing whitespace, and
/// whose file path both appear verbatim in the body.
///
/// Parsed independently of the compressor: plain `path:line:text` (or `path:line:col:text`)
/// output, where a hit is a line whose first `:N:`/`-N-` split is `:N:`, and `rg --json`
/// (`"type":"match"` messages, UTF-8 `text` fields).
public enum SearchFidelity {
    /// One hit of the original output.
    public struct Hit: Equatable {
        public var path: String
        public var text: String
        /// The 1-based line of the original output holding the hit.
        public var line: Int
    }

    /// The hits of `original` (rg --json when its first line is a JSON object with a `type`).
    public static func hits(in original: [UInt8]) -> [Hit] {
        let text = String(decoding: original, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.hasPrefix("{"), first.contains("\"type\"") { return jsonHits(lines) }
        let hits = lines.enumerated().compactMap { plainHit(Array($0.element.utf8), line: $0.offset + 1) }
        // `--column`: every hit's text starts with `N:`.
        let column = try! NSRegularExpression(pattern: "^[0-9]+:")
        let columns = !hits.isEmpty && hits.allSatisfy { column.firstMatch(in: $0.text, range: NSRange($0.text.startIndex..., in: $0.text)) != nil }
        return !columns ? hits : hits.map { hit in
            let colon = hit.text.firstIndex(of: ":")!
            return Hit(path: hit.path, text: stripped(String(hit.text[hit.text.index(after: colon)...])), line: hit.line)
        }
    }

    /// Share of hits of `original` whose path and stripped text are both in `body`; 1 when
    /// there are no hits.
    public static func fidelity(original: [UInt8], body: [UInt8]) -> Double {
        let all = hits(in: original)
        guard !all.isEmpty else { return 1 }
        let found = found(all, in: body)
        return Double(found) / Double(all.count)
    }

    /// How many of `hits` have path and text in `body`.
    public static func found(_ hits: [Hit], in body: [UInt8]) -> Int {
        let index = BodyIndex(body)
        return hits.reduce(0) { $0 + (index.contains($1.path) && index.contains($1.text) ? 1 : 0) }
    }

    /// The hits of `original` that are not found in `body` (path or text missing).
    public static func missing(original: [UInt8], body: [UInt8]) -> [Hit] {
        let index = BodyIndex(body)
        return hits(in: original).filter { !(index.contains($0.path) && index.contains($0.text)) }
    }

    /// Substring tests on one body (memmem), remembered per needle.
    final class BodyIndex {
        let body: [UInt8]
        var known: [String: Bool] = [:]

        init(_ body: [UInt8]) { self.body = body }

        func contains(_ needle: String) -> Bool {
            if let value = known[needle] { return value }
            let bytes = Array(needle.utf8)
            let value = bytes.isEmpty || body.withUnsafeBytes { haystack in
                bytes.withUnsafeBytes { Self.find($0, in: haystack) }
            }
            known[needle] = value
            return value
        }

        /// Whether `needle` (non-empty) occurs in `haystack`: memchr for its first byte, memcmp for the rest.
        static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
            guard let base = haystack.baseAddress, let want = needle.baseAddress, needle.count <= haystack.count else { return false }
            let first = Int32(needle[0])
            var offset = 0
            let lastStart = haystack.count - needle.count
            while offset <= lastStart {
                guard let hit = memchr(base + offset, first, lastStart - offset + 1) else { return false }
                let at = UnsafeRawPointer(hit) - base
                if memcmp(base + at, want, needle.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }
    }

    /// `path:N:text` → a hit; `path-N-text` (context), separators and other lines → nil.
    static func plainHit(_ line: [UInt8], line number: Int) -> Hit? {
        var line = line
        if line.last == 13 { line.removeLast() }
        var i = 1
        while i < line.count {
            let c = line[i]
            if c == 58 || c == 45 {
                var j = i + 1
                while j < line.count, line[j] >= 48, line[j] <= 57 { j += 1 }
                if j > i + 1, j < line.count, line[j] == c {
                    guard c == 58 else { return nil }
                    let path = String(decoding: line[..<i], as: UTF8.self)
                    return Hit(path: path, text: stripped(String(decoding: line[(j + 1)...], as: UTF8.self)), line: number)
                }
            }
            i += 1
        }
        return nil
    }

    static func jsonHits(_ lines: [Substring]) -> [Hit] {
        lines.enumerated().compactMap { index, line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "match",
                  let data = object["data"] as? [String: Any],
                  let path = (data["path"] as? [String: Any])?["text"] as? String,
                  let text = (data["lines"] as? [String: Any])?["text"] as? String
            else { return nil }
            return Hit(path: path, text: stripped(text), line: index + 1)
        }
    }

    static func stripped(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
