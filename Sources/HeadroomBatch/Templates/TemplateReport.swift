/// The templates of one source, for the `templates` command: each template's text with
/// `<*>`, its content-hash id, how many lines it covers, their span and a few examples, and,
/// on request, the template of every line.
public struct TemplateReport {
    /// One mined template.
    public struct Template {
        /// 16 hex digits of the hash of `text`: the same on any machine.
        public var id: String
        public var text: String
        public var count: Int
        /// 1-based numbers of its first and last line.
        public var firstLine: Int
        public var lastLine: Int
        /// Messages of a few of its lines.
        public var examples: [String]
    }

    public var source: String
    public var lines: Int
    public var templates: [Template]
    private var assignments: [TemplateID]

    /// Reads `input` and mines its lines on `jobs` workers (the result does not depend on
    /// `jobs` or `blockSize`, by default `Block.capacity`); `assignments` keeps every line's template too. Lines longer
    /// than `BlockAnalyzer.longLine` are mined by their first bytes.
    public static func mine(_ input: InputSource, assignments: Bool, jobs: Int = 1,
                            blockSize: Int = 4 << 20) throws -> TemplateReport {  // Block.capacity is internal
        var options = TemplateMiner.Options()
        options.recordAssignments = assignments
        let miner = TemplateMiner(options: options)
        var failure: HeadroomError?
        let pipeline = BlockPipeline(jobs: jobs, blockSize: blockSize, hashing: false) { BlockAnalyzer() }
        pipeline.run([input]) { block in
            if let error = block.readError, failure == nil { failure = error }
            guard failure == nil else { return }
            miner.absorb(block.signatures)
        }
        if let failure { throw failure }
        let templates = miner.templates.map {
            Template(id: $0.id.description, text: $0.text, count: $0.count, firstLine: $0.firstLine,
                     lastLine: $0.lastLine, examples: $0.examples)
        }
        return TemplateReport(source: input.description, lines: miner.linesAdded, templates: templates,
                              assignments: assignments ? miner.assignments() : [])
    }

    /// `line_no,template_id` for every line (1-based), after a header row.
    public func assignmentsCSV() -> [UInt8] {
        var out = Array("line_no,template_id\n".utf8)
        out.reserveCapacity(assignments.count * 24)
        for (index, id) in assignments.enumerated() {
            out.append(contentsOf: "\(index + 1),\(id)\n".utf8)
        }
        return out
    }
}
