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

    /// Lines longer than this are mined by their first bytes only.
    static let longestLine = 64 << 10

    /// Reads `input` and mines its lines; `assignments` keeps every line's template too.
    public static func mine(_ input: InputSource, assignments: Bool) throws -> TemplateReport {
        var options = TemplateMiner.Options()
        options.recordAssignments = assignments
        let miner = TemplateMiner(options: options)
        let reader = try SourceReader(input)
        let block = Block()
        var partial: [UInt8] = []  // the start of a line cut by a block boundary
        repeat {
            block.reset()
            reader.fill(block)
            if let error = block.readError { throw error }
            let bytes = block.bytes
            var start = 0
            while start < bytes.count {
                guard let newline = bytes.firstIndex(of: 10, from: start) else {
                    partial.append(contentsOf: bytes[start..<min(bytes.count, start + longestLine - partial.count)])
                    break
                }
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<min(newline, start + longestLine)])
                if partial.isEmpty {
                    miner.add(line)
                } else {
                    partial.append(contentsOf: line.prefix(max(0, longestLine - partial.count)))
                    miner.add(partial)
                    partial.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
        } while !reader.finished
        if !partial.isEmpty { miner.add(partial) }
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
