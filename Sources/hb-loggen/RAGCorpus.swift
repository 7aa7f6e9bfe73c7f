import Foundation

/// Generates a RAG corpus as JSONL, the shape `headroom-batch run` reads: documents of
/// generated prose cut into overlapping windows (a quarter of each window repeats the
/// previous one), a licence footer on every window, and about 5% of records repeating an
/// earlier record's text under another id. One record a line:
/// `{"id":"docs/storage/page-12.md#3","source":"docs/storage/page-12.md","title":"…","text":"…"}`.
final class RAGCorpusGenerator: BlockGenerator {
    private let seed: UInt64
    private static let documentsPerBlock = 400
    private static let modules = ["parser", "scheduler", "storage", "api", "billing", "auth", "search", "ui", "sync", "export"]
    private static let nouns = ["request", "token", "index", "segment", "replica", "cache", "schema", "query", "cursor", "batch",
                                "worker", "shard", "lease", "snapshot", "journal", "bucket", "policy", "handler", "stream", "record"]
    private static let verbs = ["returns", "validates", "rebuilds", "compacts", "rejects", "retries", "flushes", "merges",
                                "streams", "caches", "expires", "locks", "publishes", "rotates", "indexes", "encodes"]
    private static let adjectives = ["stale", "pending", "primary", "partial", "durable", "expired", "remote", "local",
                                     "sorted", "encrypted", "compressed", "default", "optional", "nested", "empty", "shared"]
    private static let footer = "Copyright 2026 Example Corp. Licensed under the Apache License, Version 2.0. See LICENSE for details."

    init(seed: UInt64) { self.seed = seed }

    func generate(block k: Int, into buf: ByteBuf) {
        var rng = Rng(seed: hash2(seed, UInt64(k) &+ 0x7A6))
        var out = ""
        out.reserveCapacity(buf.cap)
        var recent: [String] = []
        for d in 0..<Self.documentsPerBlock {
            let module = Self.modules[Int(rng.below(UInt64(Self.modules.count)))]
            let source = "docs/\(module)/page-\(k * Self.documentsPerBlock + d).md"
            let title = "The \(pick(Self.adjectives, &rng)) \(pick(Self.nouns, &rng)) in \(module)"
            var sentences: [String] = []
            for s in 0..<rng.range(24, 60) {
                if s % 9 == 0 { sentences.append("## \(pick(Self.adjectives, &rng).capitalized) \(pick(Self.nouns, &rng))s") }
                sentences.append(sentence(&rng, module: module))
            }
            let window = 12, step = 9
            var start = 0, chunk = 0
            while start < sentences.count {
                chunk += 1
                var text = sentences[start..<min(sentences.count, start + window)].joined(separator: "\n")
                text += "\n\n" + Self.footer
                if !recent.isEmpty && rng.chance(0.05) { text = recent[Int(rng.below(UInt64(recent.count)))] }
                recent.append(text)
                if recent.count > 64 { recent.removeFirst() }
                out += "{\"id\":\"\(source)#\(chunk)\",\"source\":\"\(source)\",\"title\":\"\(title)\",\"text\":\""
                out += escaped(text)
                out += "\"}\n"
                start += step
            }
        }
        var utf8 = out
        utf8.withUTF8 { bytes in
            let n = min(bytes.count, buf.cap)
            buf.p.update(from: bytes.baseAddress!, count: n)
            buf.count = n
        }
    }

    private func pick(_ list: [String], _ rng: inout Rng) -> String { list[Int(rng.below(UInt64(list.count)))] }

    private func sentence(_ rng: inout Rng, module: String) -> String {
        let n = rng.below(1000)
        switch rng.below(4) {
        case 0: return "The \(module) \(pick(Self.nouns, &rng)) \(pick(Self.verbs, &rng)) every \(pick(Self.adjectives, &rng)) \(pick(Self.nouns, &rng)) before the \(pick(Self.nouns, &rng)) is \(pick(Self.adjectives, &rng))."
        case 1: return "When a \(pick(Self.nouns, &rng)) is \(pick(Self.adjectives, &rng)), `\(module).\(pick(Self.nouns, &rng))_\(n)()` \(pick(Self.verbs, &rng)) it and logs the \(pick(Self.nouns, &rng))."
        case 2: return "Set `\(pick(Self.nouns, &rng))_limit = \(n)` to bound how many \(pick(Self.nouns, &rng))s the \(pick(Self.nouns, &rng)) \(pick(Self.verbs, &rng)) at once."
        default: return "Note: a \(pick(Self.adjectives, &rng)) \(pick(Self.nouns, &rng)) never \(pick(Self.verbs, &rng)) a \(pick(Self.nouns, &rng)) held by another \(pick(Self.nouns, &rng))."
        }
    }

    private func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
