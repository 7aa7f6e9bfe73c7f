import ArgumentParser
import HeadroomBatch

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the archived originals for words (full-text, BM25 ranking).",
        discussion: """
            Prints the best-matching chunks (a JSONL record, or a run of up to 20 lines) with their
            reference range, source and a snippet with the words in [brackets]; expand a hit with
            `headroom-batch retrieve` and the range printed.

            The search index lives in search.sqlite beside the archive's index. It is brought up to
            date before each search (new references indexed, removed ones dropped); deleting it is
            safe: it is rebuilt.

            Examples:
              headroom-batch search connection refused db-7
              headroom-batch search --limit 3 --json "date.toordinal"
            """)

    @Argument(help: ArgumentHelp("Words to look for; a chunk matches when it has any of them, rare words weigh more.", valueName: "word"))
    var words: [String]

    @Option(name: .long, help: "Hits shown at most.")
    var limit: Int = 10

    @Flag(name: .long, help: "Print one JSON object (query, hits with reference, source, first, last, snippet, score).")
    var json = false

    @OptionGroup var archive: ArchiveOption

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        guard words.contains(where: { $0.contains { $0.isLetter || $0.isNumber } }) else {
            throw ValidationError("give at least one word to search for")
        }
    }

    func run() throws {
        let archive = try self.archive.open(create: false)
        let query = words.joined(separator: " ")
        let hits: [SearchIndex.Hit]
        do {
            let index = try SearchIndex(archive: archive)
            let showProgress = Console.stderrIsTerminal
            try index.refresh { id in if showProgress { Console.progress("headroom-batch: indexing \(id) for search") } }
            if showProgress { Console.clearProgress() }
            hits = try index.search(query, limit: limit)
        } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        if json {
            Console.out(SearchIndex.manifest(query: query, hits: hits))
        } else if hits.isEmpty {
            Console.out("no match for: \(query)\n")
        } else {
            for (rank, hit) in hits.enumerated() {
                Console.out("\(rank + 1). \(hit.reference) · \(hit.source) · score \(Format.fixed(hit.score, digits: 2))\n   \(hit.snippet)\n")
            }
        }
        Console.flush()
    }
}
