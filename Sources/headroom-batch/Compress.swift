import ArgumentParser
import HeadroomBatch

#if canImport(Glibc)
import Glibc
#endif

struct Compress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compress inputs into a context bundle and archive their originals (the default command).",
        discussion: """
            Inputs are files, directories (read recursively), glob patterns (quoted ones too, `**`
            for any depth), or `-`; with no input, stdin is read. zstd, lz4 and gzip content is
            recognised by its magic bytes and decompressed as it streams.

            The bundle goes to stdout (or one file per input with --out-dir); a one-line summary
            goes to stderr. Every omitted run of lines is replaced by a marker such as
              [... 1,204 lines omitted (INFO 1,100, DEBUG 104, T1 ×1,000) · lines 121-1324 · hb_3f9a1c0d2e7b4a51:121-1324 ...]
            and `headroom-batch retrieve hb_3f9a1c0d2e7b4a51:121-1324` prints those lines exactly.
            A log section opens with the templates of its omitted lines (T1, T2, …: count, level,
            span, the text with number ranges and frequent words, an example). Stack traces are
            kept as units; a trace seen before becomes a marker naming it.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("Files, directories, glob patterns, or - for stdin.", valueName: "input"))
    var inputs: [String] = []

    @OptionGroup var archive: ArchiveOption

    @Option(name: .long, help: ArgumentHelp("Write <input>.bundle.md and <input>.manifest.json per input into DIR instead of stdout.", valueName: "DIR"))
    var outDir: String?

    @Option(name: .long, help: "text: the bundle; json: a manifest of sections, references, ranges and token counts, with each section's text.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Print the summary on stderr as one JSON object, for scripts.")
    var jsonSummary = false

    @Flag(name: .shortAndLong, help: "No summary and no progress on stderr (errors are still printed).")
    var quiet = false

    @OptionGroup var compressor: CompressorFlags

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        let counter = try compressor.tokenCounter()
        let archive = try self.archive.open(create: true)
        if let outDir { try makeOutputDirectory(outDir) }

        let (sources, resolveErrors) = InputResolver.resolve(inputs, unpacking: compressor.unpack)
        var errors = resolveErrors
        for error in resolveErrors { Console.error(error) }

        let options = compressor.options
        let renderer = BundleRenderer(tokenizerName: counter.name)
        let showProgress = !quiet && Console.stderrIsTerminal
        var lastProgress = 0.0
        var sections: [Section] = []
        var outputFailures = 0
        let run = CompressRun(options: options, archive: archive, tokenizer: counter)
        var summary = run.run(
            sources,
            progress: { bytes, source in
                guard showProgress else { return }
                let now = monotonicSeconds()
                if now - lastProgress < 0.25 { return }
                lastProgress = now
                Console.progress("headroom-batch: \(source) · \(Format.bytes(bytes)) read")
            },
            failed: { error in
                if showProgress { Console.clearProgress() }
                errors.append(error)
                Console.error(error)
            },
            emit: { section in
                if let outDir {
                    do { try write(section, renderer: renderer, to: outDir) } catch {
                        outputFailures += 1
                        Console.error(error)
                    }
                } else if format == .text {
                    Console.out(renderer.text(section))
                } else {
                    sections.append(section)
                }
            })
        if showProgress { Console.clearProgress() }
        if outDir == nil && format == .json {
            Console.out(renderer.manifest(sections, errors: errors, includeText: true))
        }
        Console.flush()
        summary.failed += resolveErrors.count + outputFailures
        summary.inputs += resolveErrors.count
        if !quiet { Console.note(jsonSummary ? summaryJSON(summary, counter) : summaryLine(summary, counter)) }
        if summary.failed > 0 { throw ExitCode(1) }
    }

    private func write(_ section: Section, renderer: BundleRenderer, to directory: String) throws {
        let base = directory + "/" + outputName(section.source)
        try writeFile(base + ".bundle.md", renderer.text(section))
        try writeFile(base + ".manifest.json", renderer.manifest([section], errors: [], includeText: false))
    }

    private func summaryLine(_ s: RunSummary, _ counter: TokenCounter) -> String {
        let approx = s.tokensInExact && counter.isExact ? "" : "≈"
        let ratio = s.bundleTokens > 0 ? Double(s.tokensIn) / Double(s.bundleTokens) : 0
        let rate = s.seconds > 0 ? Double(s.bytes) / s.seconds / 1e6 : 0
        var parts = ["headroom-batch: \(s.inputs) input\(s.inputs == 1 ? "" : "s")"]
        if s.failed > 0 { parts[0] += " (\(s.failed) failed)" }
        parts.append(Format.bytes(s.bytes))
        parts.append("\(approx)\(Format.count(s.tokensIn)) → \(Format.count(s.bundleTokens)) tokens (\(counter.name))")
        parts.append("ratio \(Format.fixed(ratio, digits: 1))×")
        parts.append("\(Format.fixed(s.seconds, digits: 2)) s")
        parts.append("\(Format.fixed(rate, digits: 0)) MB/s")
        return parts.joined(separator: " · ")
    }

    private func summaryJSON(_ s: RunSummary, _ counter: TokenCounter) -> String {
        let rate = s.seconds > 0 ? Double(s.bytes) / s.seconds / 1e6 : 0
        return """
            {"inputs":\(s.inputs),"failed":\(s.failed),"bytes":\(s.bytes),"tokens_in":\(s.tokensIn),\
            "tokens_in_exact":\(s.tokensInExact && counter.isExact),"bundle_tokens":\(s.bundleTokens),\
            "tokenizer":"\(counter.name)","seconds":\(Format.fixed(s.seconds, digits: 3)),"mb_per_s":\(Format.fixed(rate, digits: 1))}
            """
    }
}

/// `logs/app.log` -> `logs_app.log`; stdin -> `stdin`.
func outputName(_ source: String) -> String {
    if source == "<stdin>" { return "stdin" }
    var name = Substring(source)
    while name.hasPrefix("./") { name = name.dropFirst(2) }
    while name.hasPrefix("/") { name = name.dropFirst() }
    return name.replacingOccurrences(of: "/", with: "_")
}

func makeOutputDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
        Console.error(HeadroomError(.usage, path, "cannot create output directory: \(String(cString: strerror(errno)))"))
        throw ExitCode(2)
    }
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw HeadroomError(.usage, path, "cannot write: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var done = 0
    try bytes.withUnsafeBytes { raw in
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw HeadroomError(.usage, path, "cannot write: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}

extension Substring {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
