/// Stack traces as units: the lines of one trace (as `StackTraceTracker` finds them) are
/// collected, then kept together (its exception lines as failures, its first frames next,
/// the deeper frames lowest) or, when a kept trace had the same lines up to
/// their variables (numbers, addresses, ids), folded into a marker that names it.
extension LogCompressor {
    /// The lines of the trace being collected.
    struct TraceUnit {
        var id: Int32
        var lines: [(line: Line, bytes: [UInt8]?, inTail: Bool)] = []
        /// Hash of what makes two traces the same: the template signatures of their lines (so
        /// traces differing only in numbers, addresses and ids are one).
        var identity: UInt64 = 0xCBF2_9CE4_8422_2325
    }

    /// A trace kept in the bundle: where it starts and how often it occurred.
    struct KeptTrace {
        var firstLine: Int
        var occurrences = 1
        var lastNumber: Int
    }

    /// Frames after the first line kept at `.notable`; deeper frames are `.context`.
    static let tracePriorityFrames = 6

    /// Adds a line of a trace unit (a new unit closes the open one).
    func collect(_ line: Line, owned: [UInt8]?, inTail: Bool, trace: Int32) {
        if let open = openTrace, open.id != trace { closeTrace() }
        if openTrace == nil { openTrace = TraceUnit(id: trace) }
        let bytes = line.hasControl ? nil : owned ?? line.bytes.map { Array($0) }
        openTrace!.identity = TemplateTree.mix(openTrace!.identity, UInt64(bitPattern: Int64(line.signature)))
        openTrace!.lines.append((line, bytes, inTail))
    }

    /// Ends the open trace: folds it into a marker when a kept trace was the same, else
    /// keeps its lines.
    func closeTrace() {
        guard let unit = openTrace else { return }
        openTrace = nil
        previousKept = nil
        let first = unit.lines[0].line.number
        if let earlier = tracesByIdentity[unit.identity] {
            traces[earlier].occurrences += 1
            traces[earlier].lastNumber = first
            let of = traces[earlier].firstLine
            for entry in unit.lines {
                omit(entry.line) { gap in
                    gap.traceRepeatLines += 1
                    if entry.line.number == first {
                        gap.traceRepeatOf = gap.traceRepeats == 0 || gap.traceRepeatOf == of ? of : -1
                        gap.traceRepeats += 1
                    }
                }
            }
            return
        }
        // Past `maxKeptLines`, a new trace is counted in a marker like any other line.
        if kept.count >= options.maxKeptLines && !unit.lines.contains(where: \.inTail) {
            for entry in unit.lines { omit(entry.line) { $0.pastLimit += 1 } }
            return
        }
        let index = traces.count
        traces.append(KeptTrace(firstLine: first, lastNumber: first))
        tracesByIdentity[unit.identity] = index
        for (position, entry) in unit.lines.enumerated() {
            let line = entry.line
            guard let bytes = entry.bytes else {
                omit(line) { gap in
                    if line.hasControl { gap.controlLines += 1 } else { gap.longLines += 1 }
                }
                continue
            }
            // The exception lines rank as failures; the first frames say where, the deeper ones
            // least.
            var priority: Priority = line.priority.map({ $0 >= .failure }) == true ? .failure
                : position <= Self.tracePriorityFrames ? .notable : .context
            if entry.inTail || line.number <= options.headLines { priority = max(priority, .window) }
            var kept = KeptLine(number: line.number, signature: line.signature, bytes: bytes, hash: line.hash, level: line.level,
                                priority: priority, lastNumber: line.number)
            kept.trace = index
            _ = keep(kept)
        }
        contextLeft = options.contextAfter
    }
}
