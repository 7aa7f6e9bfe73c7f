/// What a pipeline run would do, for `run --dry-run`: the settings, each input's files and
/// whether they changed since the last run, and the outputs. It reads no file's content and
/// writes nothing.
public struct CorpusPlan {
    let definition: PipelineDefinition
    let archivePath: String

    public init(definition: PipelineDefinition, archivePath: String) {
        self.definition = definition
        self.archivePath = archivePath
    }

    public func text() -> String {
        let d = definition
        var lines = ["pipeline \(d.name) (dry run: nothing is read or written)"]
        let state = try? CorpusState(readingIn: d.outputDirectory)
        var changed = 0
        for (index, input) in d.inputs.enumerated() {
            let (files, errors) = CorpusRun.files(of: input)
            var bytes = 0
            for file in files {
                var status = stat()
                if stat(file, &status) == 0 { bytes += Int(status.st_size) }
            }
            let key = "\(input.format.rawValue) \(input.path)"
            let stamp = CorpusRun.stamp(files) + "\n" + CorpusRun.settings(d, input)
            let previous = (try? state?.input(key)) ?? nil
            let status = files.isEmpty ? "matches no files"
                : previous == nil ? "not run before: would be read"
                : previous!.files == stamp ? "unchanged since the last run: would not be read"
                : "changed since the last run: would be read, unchanged parts reused"
            if files.isEmpty || previous?.files != stamp { changed += 1 }
            lines.append("input \(index + 1): \(input.path) (\(input.format.rawValue)) · \(Format.count(files.count)) file\(files.count == 1 ? "" : "s"), \(Format.bytes(bytes)) · \(status)")
            for error in errors { lines.append("  error: \(error)") }
            if input.format == .jsonl {
                let f = input.fields
                lines.append("  fields: text \(f.text.joined(separator: "|")) · id \(f.id.joined(separator: "|")) · source \(f.source.joined(separator: "|")) · query \(f.query.joined(separator: "|")) · score \(f.score.joined(separator: "|"))")
            }
            if let metadata = input.metadata { lines.append("  carried into corpus.jsonl: the mapped fields and \(metadata.isEmpty ? "nothing else" : metadata.joined(separator: ", "))") }
        }
        let c = d.chunking
        lines.append("chunking (documents): at most \(Format.count(c.maxBytes)) bytes, at least \(Format.count(c.minBytes)), overlap \(Format.count(c.overlapBytes))")
        let near = d.rag.nearDuplicateThreshold > 1 ? "off" : "Jaccard ≥ \(Format.fixed(d.rag.nearDuplicateThreshold, digits: 2))"
        let boilerplate = d.rag.boilerplateMinSources == 0 ? "off" : "lines in ≥ \(d.rag.boilerplateMinSources) sources"
        lines.append("dedup: exact duplicates once · overlapping windows stitched · near-duplicates \(near) · boilerplate \(boilerplate)")
        let budget = d.budget.tokens(forInput: 0) == 0 && d.budget == .tokens(0) ? "no bound (lossless)" : "\(d.budget) tokens per section"
        lines.append("selection: budget \(budget)\(d.query.isEmpty ? "" : " · query \"\(d.query)\"") · extractive \(d.rag.extractive ? "on" : "off")")
        lines.append("parts of about \(Format.bytes(d.partBytes)) · \(d.jobs) job\(d.jobs == 1 ? "" : "s")")
        lines.append("outputs: \(d.outputDirectory)/\(CorpusRun.corpusFile), \(d.outputDirectory)/\(CorpusRun.bundleFile)")
        lines.append("archive: \(archivePath)")
        lines.append(changed == 0 ? "nothing changed: a run would leave the outputs as they are"
                                  : "\(changed) of \(d.inputs.count) input\(d.inputs.count == 1 ? "" : "s") would be read")
        return lines.joined(separator: "\n") + "\n"
    }
}
