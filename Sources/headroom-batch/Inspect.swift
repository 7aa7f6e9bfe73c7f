import ArgumentParser
import HeadroomBatch

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what each input is detected as, why, and what compressing it would give.",
        discussion: """
            Nothing is written to the archive: each input is compressed into a temporary archive
            that is removed afterwards. Takes the same options as compress (--kind overrides the
            detection, --budget, --head, ...).

            Examples:
              headroom-batch inspect tool-outputs/
              headroom-batch inspect --kind json response.txt
            """)

    @Argument(help: ArgumentHelp("Files, directories, glob patterns, or - for stdin.", valueName: "input"))
    var inputs: [String] = []

    @Flag(name: .long, help: "Print one JSON manifest (kind, kind_reason, tokens, omissions) instead of text.")
    var json = false

    @OptionGroup var compressor: CompressorFlags

    func run() throws {
        let counter = try compressor.tokenCounter()
        let (sources, errors) = InputResolver.resolve(inputs, unpacking: compressor.unpack)
        for error in errors { Console.error(error) }
        var failed = errors
        var sections: [Section] = []
        let renderer = BundleRenderer(tokenizerName: counter.name)
        for source in sources {
            do {
                let section = try Inspection.inspect(source, options: compressor.options, tokenizer: counter)
                if json { sections.append(section) } else { Console.out(describe(section, tokenizer: counter.name)) }
            } catch {
                let error = (error as? HeadroomError) ?? HeadroomError(.input, source.description, "\(error)")
                Console.error(error)
                failed.append(error)
            }
        }
        if json { Console.out(renderer.manifest(sections, errors: failed, includeText: false)) }
        Console.flush()
        if !failed.isEmpty { throw ExitCode(1) }
    }

    private func describe(_ section: Section, tokenizer: String) -> String {
        let kind = ContentKind(rawValue: section.kind)
        let approximate = section.tokensInExact ? "" : "≈"
        let ratio = section.bundleTokens > 0 ? Double(section.tokensIn) / Double(section.bundleTokens) : 0
        var omitted: [String: Int] = [:]
        for omission in section.omissions { omitted[omission.unit, default: 0] += omission.count }
        let what = omitted.isEmpty ? "nothing omitted"
            : omitted.sorted { $0.key < $1.key }.map { "\(Format.count($0.value)) omitted \($0.key)" }.joined(separator: ", ")
        var out = "## \(section.source)\n"
        out += "kind: \(section.kind) (\(section.kindReason))\n"
        out += "compressor: \(kind?.compressor ?? "none: the bytes are archived and not shown")\n"
        out += "size: \(Format.count(section.lines)) lines, \(Format.bytes(section.bytes)), \(approximate)\(Format.count(section.tokensIn)) tokens (\(tokenizer))\n"
        out += "bundle: \(Format.count(section.bundleTokens)) tokens (\(Format.fixed(ratio, digits: 1))× smaller), "
        out += "\(Format.count(section.omissions.count)) markers: \(what)\n"
        return out
    }
}
