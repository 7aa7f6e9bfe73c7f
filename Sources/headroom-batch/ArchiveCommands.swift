import ArgumentParser
import HeadroomBatch

#if canImport(Glibc)
import Glibc
#endif

struct Retrieve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the original bytes of a reference, or of a line range of it, exactly; or a RAG record by its id.",
        discussion: """
            REF is hb_ and at least 16 hex digits, optionally with :A-B (1-based, inclusive lines),
            as printed in bundle markers:
              headroom-batch retrieve hb_3f9a1c0d2e7b4a51:120-180
              headroom-batch retrieve hb_3f9a1c0d2e7b4a51 --lines 120-180
            Records archived by `run` are found by their id too (the newest first when several
            runs archived records with that id; each record is one line):
              headroom-batch retrieve --id py311doc:library/datetime.rst:L631-705
            """)

    @Argument(help: ArgumentHelp("The reference, with an optional :A-B range.", valueName: "REF[:A-B]"))
    var reference: String?

    @Option(name: .long, help: ArgumentHelp("Only lines A to B (1-based, inclusive).", valueName: "A-B"))
    var lines: String?

    @Option(name: .long, help: ArgumentHelp("The record with this id (as `run` archived it), instead of a reference.", valueName: "ID"))
    var id: String?

    @Flag(name: .long, help: "With --id: every record with the id, not only the newest.")
    var all = false

    @OptionGroup var archive: ArchiveOption

    func validate() throws {
        if (reference == nil) == (id == nil) { throw ValidationError("give either a reference or --id ID") }
        if id != nil && lines != nil { throw ValidationError("--lines goes with a reference, not with --id") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        var queries: [ReferenceQuery]
        if let id {
            let archive = try self.archive.open(create: false)
            do { queries = try archive.records(withID: id) } catch {
                Console.error(error)
                throw ExitCode(2)
            }
            if queries.isEmpty {
                Console.error(HeadroomError(.reference, id, "no record with this id in the archive at \(archive.path) (ids are indexed by `run`)"))
                throw ExitCode(1)
            }
            if !all { queries = [queries[0]] }
            try retrieve(queries, from: archive)
            return
        }
        var query: ReferenceQuery
        do {
            query = try ReferenceQuery.parse(reference!)
            if let lines {
                guard query.range == nil else {
                    throw HeadroomError(.reference, reference!, "give the range either as :A-B or with --lines, not both")
                }
                query.range = try LineRange.parse(Substring(lines), subject: "--lines \(lines)")
            }
        } catch {
            Console.error(error)
            throw ExitCode(1)
        }
        try retrieve([query], from: try self.archive.open(create: false))
    }

    private func retrieve(_ queries: [ReferenceQuery], from archive: Archive) throws {
        do {
            for query in queries { try archive.retrieve(query) { Console.out($0) } }
            Console.flush()
        } catch let error as HeadroomError {
            Console.flush()
            Console.error(error)
            throw ExitCode(error.code == .reference ? 1 : 2)
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-read every stored reference and check its SHA-256; name each bad one.",
        discussion: "Exits 1 if any reference is damaged or missing bytes, 0 if all are intact.")

    @OptionGroup var archive: ArchiveOption

    @Flag(name: .shortAndLong, help: "Only print problems.")
    var quiet = false

    func run() throws {
        let archive = try self.archive.open(create: false)
        let showProgress = !quiet && Console.stderrIsTerminal
        let result: (checked: Int, failures: [Archive.VerifyFailure])
        do {
            result = try archive.verify { done, total in
                if showProgress && (done % 50 == 0 || done == total) { Console.progress("verifying \(done)/\(total)") }
            }
        } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        if showProgress { Console.clearProgress() }
        for failure in result.failures { Console.note("BAD \(failure.id): \(failure.problem)") }
        if !quiet || !result.failures.isEmpty {
            let verdict = result.failures.isEmpty ? "all intact" : "\(result.failures.count) bad"
            Console.note("verified \(Format.count(result.checked)) references in \(archive.path): \(verdict)")
        }
        if !result.failures.isEmpty { throw ExitCode(1) }
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the archive holds: references, sources, raw and packed bytes, tokens saved.")

    @OptionGroup var archive: ArchiveOption

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let archive = try self.archive.open(create: false)
        let stats: Archive.Stats
        do { stats = try archive.stats() } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        if json {
            Console.out("""
                {"archive":"\(archive.path)","references":\(stats.references),"sources":\(stats.sources),\
                "raw_bytes":\(stats.rawBytes),"packed_bytes":\(stats.packedBytes),"segment_bytes":\(stats.segmentBytes),\
                "tokens_in":\(stats.tokensIn),"bundle_tokens":\(stats.bundleTokens),"tokens_saved":\(stats.tokensSaved),\
                "tokens_exact":\(stats.tokensExact)}\n
                """)
        } else {
            Console.out(stats.text(archive: archive.path))
        }
        Console.flush()
    }
}

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove references not compressed again for a while, and the segments nothing uses.",
        discussion: "Nothing in the archive expires unless you run this. AGE is a number and a unit: 45m, 12h, 30d, 8w.")

    @Option(name: .long, help: ArgumentHelp("Remove references last used longer ago than this.", valueName: "AGE"))
    var olderThan: String

    @OptionGroup var archive: ArchiveOption

    func validate() throws {
        guard parseAge(olderThan) != nil else {
            throw ValidationError("--older-than takes a number and a unit (s, m, h, d, w), e.g. 30d; got '\(olderThan)'")
        }
    }

    func run() throws {
        let archive = try self.archive.open(create: false)
        do {
            let report = try archive.collectGarbage(olderThan: parseAge(olderThan)!)
            Console.note("removed \(Format.count(report.references)) references, \(report.segmentsDeleted) segments, freed \(Format.bytes(report.bytesFreed))")
        } catch {
            Console.error(error)
            throw ExitCode(2)
        }
    }
}

/// "30d" -> seconds.
func parseAge(_ text: String) -> Int? {
    guard let unit = text.last, let value = Int(text.dropLast()), value >= 0 else { return nil }
    switch unit {
    case "s": return value
    case "m": return value * 60
    case "h": return value * 3600
    case "d": return value * 86400
    case "w": return value * 7 * 86400
    default: return nil
    }
}
