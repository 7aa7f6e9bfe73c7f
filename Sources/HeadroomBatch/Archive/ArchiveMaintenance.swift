import Crypto

/// `verify`, `stats` and `gc` over a whole archive.
extension Archive {
    /// One reference that failed verification, and why.
    public struct VerifyFailure: Sendable {
        public var id: ReferenceID
        public var problem: String
    }

    /// Re-reads every reference, recomputes its SHA-256 and size; returns the bad ones.
    /// `progress` is called after each reference with (done, total).
    public func verify(progress: (Int, Int) -> Void = { _, _ in }) throws -> (checked: Int, failures: [VerifyFailure]) {
        let references = try references()
        let reader = StoredBlockReader(archive: self)
        var failures: [VerifyFailure] = []
        for (done, reference) in references.enumerated() {
            let id = reference.id
            do {
                var hasher = SHA256()
                var size = 0
                var counter = LineCounter()
                for block in try blocks(of: reference) {
                    try reader.withBlock(block) { bytes in
                        hasher.update(bufferPointer: bytes)
                        counter.add(bytes)
                        size += bytes.count
                    }
                }
                let digest = hasher.finalize().hexDigest
                if digest != reference.digest {
                    failures.append(VerifyFailure(id: id, problem: "content hash \(digest.prefix(16))… does not match"))
                } else if size != reference.size || counter.lines != reference.lines {
                    failures.append(VerifyFailure(id: id, problem: "size or line count differs from the index"))
                }
            } catch {
                failures.append(VerifyFailure(id: id, problem: "\(error)"))
            }
            progress(done + 1, references.count)
        }
        return (references.count, failures)
    }

    /// Totals over the archive.
    public struct Stats: Sendable {
        public var references: Int
        public var sources: Int
        public var rawBytes: Int
        public var packedBytes: Int
        public var segmentBytes: Int
        public var tokensIn: Int
        public var bundleTokens: Int
        public var tokensExact: Bool
        public var tokensSaved: Int { tokensIn - bundleTokens }

        /// The figures as `stats` prints them, one per line.
        public func text(archive: String) -> String {
            let ratio = packedBytes > 0 ? Double(rawBytes) / Double(packedBytes) : 0
            let approx = tokensExact ? "" : "≈"
            return """
                archive       \(archive)
                references    \(Format.count(references))
                sources       \(Format.count(sources))
                raw bytes     \(Format.bytes(rawBytes))
                packed bytes  \(Format.bytes(packedBytes)) (\(Format.fixed(ratio, digits: 1))×), segments \(Format.bytes(segmentBytes))
                tokens saved  \(approx)\(Format.count(tokensSaved)) (\(approx)\(Format.count(tokensIn)) in, \(Format.count(bundleTokens)) in bundles)\n
                """
        }
    }

    public func stats() throws -> Stats {
        let db = index.database
        let refs = try db.query("SELECT count(*), coalesce(sum(size),0), coalesce(min(tokens_exact),1) FROM refs") {
            ($0.int(0), $0.int(1), $0.int(2) != 0)
        }[0]
        let packed = try db.query("SELECT coalesce(sum(packed),0) FROM blocks") { $0.int(0) }[0]
        let segmentBytes = try db.query("SELECT coalesce(sum(committed_bytes),0) FROM segments") { $0.int(0) }[0]
        let sources = try db.query(
            "SELECT count(DISTINCT path), coalesce(sum(r.tokens),0), coalesce(sum(s.bundle_tokens),0) FROM sources s JOIN refs r USING(ref)"
        ) { ($0.int(0), $0.int(1), $0.int(2)) }[0]
        return Stats(references: refs.0, sources: sources.0, rawBytes: refs.1, packedBytes: packed,
                     segmentBytes: segmentBytes, tokensIn: sources.1, bundleTokens: sources.2, tokensExact: refs.2)
    }

    /// What `gc` removed.
    public struct CollectionReport: Sendable {
        public var references: Int
        public var segmentsDeleted: Int
        public var bytesFreed: Int
    }

    /// Removes references not used (compressed again) for `olderThan` seconds (all of them for
    /// 0), then deletes segment files no remaining reference uses and no writer holds.
    public func collectGarbage(olderThan seconds: Int) throws -> CollectionReport {
        let db = index.database
        let cutoff = Int(time(nil)) - seconds
        let removed = try db.transaction { () throws -> Int in
            try db.run("DELETE FROM refs WHERE used_at <= ?", [.of(cutoff)])
            return db.changes
        }
        var deleted = 0
        var freed = 0
        let unused = try db.query(
            "SELECT id, committed_bytes FROM segments WHERE id NOT IN (SELECT DISTINCT segment FROM blocks)") { ($0.int(0), $0.int(1)) }
        for (id, bytes) in unused {
            guard let file = try SegmentFile.lockForAppend(directory: path, id: id) else { continue }
            try db.transaction {
                // Still unused now that we hold the writer lock?
                let users = try db.query("SELECT count(*) FROM blocks WHERE segment = ?", [.of(id)]) { $0.int(0) }[0]
                guard users == 0 else { return }
                try db.run("DELETE FROM segments WHERE id = ?", [.of(id)])
                unlink(file.path)
                deleted += 1
                freed += max(bytes, file.size)
            }
        }
        return CollectionReport(references: removed, segmentsDeleted: deleted, bytesFreed: freed)
    }
}

/// Counts lines the way references do: newlines, plus one for a last line without one.
struct LineCounter {
    private(set) var newlines = 0
    private var lastByte: UInt8 = 10
    private var any = false

    /// Counts the lines of the next piece; `newlines`, when the caller knows it already.
    mutating func add(_ bytes: UnsafeRawBufferPointer, newlines known: Int? = nil) {
        guard !bytes.isEmpty else { return }
        newlines += known ?? countNewlines(bytes)
        lastByte = bytes[bytes.count - 1]
        any = true
    }

    var lines: Int { newlines + (any && lastByte != 10 ? 1 : 0) }
}

extension Digest {
    /// Lowercase hex of the digest bytes.
    var hexDigest: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
