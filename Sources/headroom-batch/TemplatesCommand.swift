import ArgumentParser
import HeadroomBatch
#if canImport(Glibc)
import Glibc
#endif

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the line templates of logs: text with <*>, count, line span, examples.",
        discussion: """
            Lines are clustered without configuration: the header (timestamp, level, pid, logger)
            is set apart, variables (numbers, ids, IPs, paths, URLs, durations, quoted strings)
            are masked, and the messages are grouped into templates. A template id is a hash of
            its text, the same on any machine.

            Examples:
              headroom-batch templates logs/app.log
              headroom-batch templates --assignments lines.csv HDFS.log   # line_no,template_id
            """)

    @Argument(help: ArgumentHelp("Files, directories, glob patterns, or - for stdin.", valueName: "input"))
    var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write line_no,template_id for every line of the (single) input.", valueName: "CSV"))
    var assignments: String?

    @Option(name: .long, help: "Examples shown per template.")
    var examples: Int = 1

    @Option(name: .shortAndLong, help: "Worker threads (default: the number of CPUs). The templates are identical for any value.")
    var jobs: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() throws {
        let (sources, errors) = InputResolver.resolve(inputs)
        for error in errors { Console.error(error) }
        if assignments != nil && sources.count != 1 {
            throw ValidationError("--assignments takes exactly one input (got \(sources.count))")
        }
        var failed = errors.count
        for source in sources {
            do {
                let report = try TemplateReport.mine(source, assignments: assignments != nil, jobs: jobs)
                Console.out(render(report))
                if let assignments { try writeFile(assignments, report.assignmentsCSV()) }
            } catch {
                Console.error(error)
                failed += 1
            }
        }
        Console.flush()
        if failed > 0 { throw ExitCode(1) }
    }

    private func render(_ report: TemplateReport) -> String {
        var out = "## \(report.source) · \(Format.count(report.lines)) lines · \(Format.count(report.templates.count)) templates\n"
        for template in report.templates.sorted(by: { $0.count > $1.count || ($0.count == $1.count && $0.firstLine < $1.firstLine) }) {
            let span = "lines \(template.firstLine)-\(template.lastLine)"
            out += "\(template.id)  ×\(Format.count(template.count))  \(span)  \(template.text)\n"
            for example in template.examples.prefix(examples) { out += "    e.g. \(example)\n" }
        }
        return out
    }
}
