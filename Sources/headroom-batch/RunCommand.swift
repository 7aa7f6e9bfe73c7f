import ArgumentParser
import HeadroomBatch

#if canImport(Glibc)
import Glibc
#endif

struct RunPipeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: the nightly pre-compression of a RAG corpus.",
        discussion: """
            A pipeline file (TOML; see pipelines/nightly-rag.toml) names the inputs (JSONL records with
            a field mapping, or directories of .md/.txt/.rst/.html documents to chunk), the chunking,
            the deduplication thresholds, the budget, and where the outputs and the archive go.
            Relative paths in it are taken from the file's directory.

            The run writes, in the output directory:
              corpus.jsonl   every record with the same keys and ids, plus hb_ref (its original in the
                             archive); a record whose text an earlier record has is written without it,
                             with hb_same_text_as naming that record
              bundle.md      the corpus compressed for reading: duplicates once, overlapping windows
                             stitched, near-duplicates as differences, boilerplate stated once
              state.sqlite   what was done, so the next run does only what changed

            Every record is archived byte-exact: `retrieve REF` expands its hb_ref, `retrieve --id ID`
            finds it by its id. Run it again and only what changed is read and processed: unchanged
            files are not read, unchanged parts are taken from the state, and when nothing changed
            the outputs are left alone.

            Exit codes: 0 success · 1 some input failed (the others were processed) · 2 the archive
            cannot be used · 64 the pipeline file is wrong (the error names the line and the key).
            """)

    @Argument(help: ArgumentHelp("The pipeline file (.toml).", valueName: "PIPELINE"))
    var pipeline: String

    @Flag(name: .long, help: "Print what the run would read and write, and what changed since the last run; do nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp(
        "Archive directory, instead of the pipeline's [output] archive.",
        discussion: "Default: the pipeline's archive, else $HEADROOM_ARCHIVE, else $XDG_DATA_HOME/headroom-batch/archive, else ~/.local/share/headroom-batch/archive.",
        valueName: "DIR"))
    var archive: String?

    @Option(name: .shortAndLong, help: "Worker threads, instead of the pipeline's [run] jobs.")
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp(
        "BPE ranks file (.tiktoken) for exact token counts.",
        discussion: "Default: $HEADROOM_TOKENIZER, else o200k_base.tiktoken in the data directory; without one, counts are estimates and say so.",
        valueName: "FILE"))
    var tokenizer: String?

    @Flag(name: .long, help: "Print the summary on stderr as one JSON object, for scripts.")
    var jsonSummary = false

    @Flag(name: .shortAndLong, help: "No summary and no progress on stderr (errors are still printed).")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        var definition: PipelineDefinition
        do { definition = try PipelineDefinitionParser.load(pipeline) } catch {
            Console.error(error)
            throw ExitCode(64)
        }
        if let jobs { definition.jobs = jobs }
        let archivePath = ArchiveLocation.resolve(explicit: archive ?? definition.archivePath, environment: environment)
        if dryRun {
            Console.out(Array(CorpusPlan(definition: definition, archivePath: archivePath).text().utf8))
            Console.flush()
            return
        }
        let counter: TokenCounter
        do { counter = try TokenizerLocation.load(explicit: tokenizer, environment: environment) } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        let store: Archive
        do { store = try Archive(path: archivePath, create: true) } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        let showProgress = !quiet && Console.stderrIsTerminal
        var lastProgress = 0.0
        let run = CorpusRun(definition: definition, archive: store, tokenizer: counter)
        let summary: CorpusRunSummary
        do {
            summary = try run.run(
                progress: { message in
                    guard showProgress else { return }
                    let now = monotonicSeconds()
                    if now - lastProgress < 0.25 { return }
                    lastProgress = now
                    Console.progress("headroom-batch run \(definition.name): \(message)")
                },
                failed: { error in
                    if showProgress { Console.clearProgress() }
                    Console.error(error)
                })
        } catch {
            if showProgress { Console.clearProgress() }
            Console.error(error)
            throw ExitCode((error as? HeadroomError)?.code == .usage ? 1 : 2)
        }
        if showProgress { Console.clearProgress() }
        if !quiet { Console.note(jsonSummary ? summaryJSON(summary, definition) : summaryLine(summary, definition, counter)) }
        if summary.failed > 0 { throw ExitCode(1) }
    }

    private func summaryLine(_ s: CorpusRunSummary, _ definition: PipelineDefinition, _ counter: TokenCounter) -> String {
        let approx = s.tokensInExact && counter.isExact ? "" : "≈"
        var parts = ["headroom-batch run \(definition.name): \(Format.count(s.records)) records in \(Format.count(s.files)) file\(s.files == 1 ? "" : "s")"]
        if s.failed > 0 { parts[0] += " (\(s.failed) failed)" }
        parts.append(s.partsProcessed == s.parts ? "all processed (\(s.parts) part\(s.parts == 1 ? "" : "s"))"
            : "\(Format.count(s.recordsProcessed)) processed (\(s.partsProcessed) of \(s.parts) parts), the rest unchanged")
        if s.outputsWritten { parts.append("\(Format.count(s.duplicateRecords)) records point to an earlier record's text") }
        parts.append("\(approx)\(Format.count(s.tokensIn)) → \(Format.count(s.bundleTokens)) tokens (\(counter.name))")
        parts.append(s.outputsWritten ? "outputs written to \(definition.outputDirectory)" : "outputs unchanged")
        parts.append("\(Format.fixed(s.seconds, digits: 2)) s")
        return parts.joined(separator: " · ")
    }

    private func summaryJSON(_ s: CorpusRunSummary, _ definition: PipelineDefinition) -> String {
        """
        {"pipeline":"\(definition.name)","inputs":\(s.inputs),"failed":\(s.failed),"unchanged_inputs":\(s.unchangedInputs),\
        "files":\(s.files),"parts":\(s.parts),"parts_processed":\(s.partsProcessed),"records":\(s.records),\
        "records_processed":\(s.recordsProcessed),"duplicate_records":\(s.duplicateRecords),"bytes":\(s.bytes),\
        "bytes_processed":\(s.bytesProcessed),"tokens_in":\(s.tokensIn),"bundle_tokens":\(s.bundleTokens),\
        "outputs_written":\(s.outputsWritten),"seconds":\(Format.fixed(s.seconds, digits: 3))}
        """
    }
}
