import Glibc

// API-like JSON records, one a line (`--format jsonl`): issue-tracker objects with a nested
// user, labels, timestamps, HTTP statuses (about 3% failures with an error object), latency
// measures and null fields; a block depends only on (seed, block number).

final class RecordGenerator: BlockGenerator {
    private let seed: UInt64
    private static let recordsPerBlock = 10_000
    private static let words = ["crash", "leak", "typo", "race", "timeout", "deadlock", "regression", "flaky test",
                                "overflow", "encoding", "migration", "cache", "retry", "auth", "pagination"]
    private static let modules = ["parser", "scheduler", "storage", "api", "billing", "auth", "search", "ui", "sync", "export"]
    private static let labels = ["bug", "docs", "perf", "security", "good first issue", "needs triage"]
    private static let errors = [(500, "internal_error", "upstream returned an invalid response"),
                                 (502, "bad_gateway", "connection reset by peer"),
                                 (503, "unavailable", "rate limit exceeded, retry later"),
                                 (404, "not_found", "issue was deleted"),
                                 (422, "validation_failed", "title is too long (maximum is 256 characters)")]

    init(seed: UInt64) { self.seed = seed }

    func generate(block k: Int, into buf: ByteBuf) {
        var rng = Rng(seed: hash2(seed, UInt64(k) &+ 0x51ED))
        var text = ""
        text.reserveCapacity(buf.cap)
        for i in 0..<Self.recordsPerBlock {
            let id = k * Self.recordsPerBlock + i + 1
            let user = rng.below(5000)
            let failed = rng.chance(0.03)
            let state = rng.chance(0.2) ? "closed" : "open"
            let day = 1 + Int(rng.below(28))
            let minute = Int(rng.below(60))
            let latency = Double(Int(exp(3 + rng.gauss()) * 100)) / 100
            var record = "{\"id\":\(id),\"number\":\(id % 90_000),\"state\":\"\(state)\""
            record += ",\"title\":\"Fix \(Self.words[Int(rng.below(UInt64(Self.words.count)))]) in \(Self.modules[Int(rng.below(UInt64(Self.modules.count)))]) (#\(rng.below(9000)))\""
            record += ",\"user\":{\"login\":\"user\(user)\",\"id\":\(100_000 + user),\"type\":\"User\",\"site_admin\":false"
            record += ",\"url\":\"https://api.example.com/users/user\(user)\"}"
            record += ",\"labels\":[{\"name\":\"\(Self.labels[Int(rng.below(UInt64(Self.labels.count)))])\",\"color\":\"d73a4a\"}]"
            record += ",\"comments\":\(rng.below(40)),\"created_at\":\"2026-03-\(day < 10 ? "0" : "")\(day)T10:\(minute < 10 ? "0" : "")\(minute):00Z\""
            record += ",\"url\":\"https://api.example.com/repos/acme/widgets/issues/\(id % 90_000)\",\"closed_by\":null"
            if failed {
                let error = Self.errors[Int(rng.below(UInt64(Self.errors.count)))]
                record += ",\"status\":\(error.0),\"error\":{\"code\":\"\(error.1)\",\"message\":\"\(error.2)\"}"
            } else {
                record += ",\"status\":200,\"error\":null"
            }
            record += ",\"latency_ms\":\(latency)}\n"
            text += record
        }
        var utf8 = text
        utf8.withUTF8 { bytes in
            let n = min(bytes.count, buf.cap)
            buf.p.update(from: bytes.baseAddress!, count: n)
            buf.count = n
        }
    }
}
