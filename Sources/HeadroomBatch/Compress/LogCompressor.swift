/// The log compressor: keeps the head and tail windows, every WARN, ERROR and FATAL line and
/// every line that signals a failure, a summary or a source location (first occurrence, with
/// its count) and the lines right after failures; folds exact duplicates; and replaces every
/// other run of lines with a marker naming its levels, its templates and the reference range.
/// The templates of the omitted lines are listed in a table at the top of the section
/// (`TemplateTable`).
///
/// Lossless first: when the kept lines exceed `budget` tokens, the lowest priorities are
/// dropped into the markers (context, then head and tail, then warnings and locations, then
/// failures, summaries last), and the markers say how many lines the budget cost.
///
/// Lines arrive in order through `add`; memory is bounded by `Options` (kept lines, tail)
/// and the miner's signature limit, not by the size of the source. Selection and rendering
/// are in `LogCompressor+Rendering.swift`.
final class LogCompressor {
    struct Options {
        var headLines = 10
        var tailLines = 10
        /// Distinct lines kept verbatim at most; later ones are counted in markers.
        var maxKeptLines = 10_000
        /// Runs of at most this many ordinary lines are printed rather than marked: a marker
        /// would cost as many tokens as the lines.
        var inlineRun = 2
        /// Ordinary lines kept after each failure line.
        var contextAfter = 2
        /// Ordinary lines kept before each failure, summary or location line.
        var contextBefore = 4
        /// Rows of the template table at most (it also takes at most a quarter of the budget,
        /// an eighth at least).
        var templateRows = 40
    }

    /// Why a line is kept; higher survives the budget longer.
    enum Priority: UInt8, Comparable {
        case context = 1, window, notable, failure, summary
        static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
    }

    /// A line as the merge stage hands it over; `bytes` is nil for lines never printed (long),
    /// `hash` and `shape` are 0 for lines without a level of WARN or more or a signal;
    /// `signature` is the line's template signature in the compressor's miner.
    struct Line {
        var number: Int
        var signature: Int32
        var bytes: UnsafeRawBufferPointer?
        var hash: UInt64
        var shape: UInt64
        var level: LineLevel
        var signal: LineSignal
        var hasControl: Bool

        var priority: Priority? {
            if signal.contains(.summary) { return .summary }
            if signal.contains(.failure) || level >= .error { return .failure }
            if level == .warn || signal.contains(.location) { return .notable }
            return nil
        }
    }

    struct KeptLine {
        var number: Int
        var signature: Int32
        var bytes: [UInt8]
        var hash: UInt64
        var level: LineLevel
        var priority: Priority
        var occurrences = 1
        var lastNumber: Int
        /// The kept stack trace this line belongs to (an index in `traces`), or -1.
        var trace = -1
    }

    struct Gap {
        var first: Int
        var last: Int
        var count = 0
        var templates = TemplateTally()
        var levels = [Int](repeating: 0, count: LineLevel.allCases.count)
        var repeatsOfPrevious = 0
        var repeatsOfKept = 0
        var longLines = 0
        var controlLines = 0
        var pastLimit = 0
        /// Lines of stack traces identical to a kept one, how many traces, and the first line
        /// of the kept trace (-1 when they repeat different traces).
        var traceRepeatLines = 0
        var traceRepeats = 0
        var traceRepeatOf = 0
        var overBudget = 0
        /// Copies of the lines while the run is short; `allCaptured` turns false once a line
        /// (an unprintable one, a repeat, or one past `inlineRun`) was not copied.
        var shortRun: [(number: Int, signature: Int32, bytes: [UInt8])] = []
        var shortRunLevels: [LineLevel] = []
        var allCaptured = true
    }

    enum Item {
        case kept(Int)
        case gap(Gap)
    }

    /// A line held back (tail window, context); `line.bytes` points into the block until
    /// `endOfBlock`, which copies them into `owned`. `trace` is the stack trace unit it
    /// belongs to (0 for none).
    struct Pending {
        var line: Line
        var owned: [UInt8]?
        var trace: Int32 = 0
    }

    let options: Options
    var items: [Item] = []
    var openGap: Gap?
    var kept: [KeptLine] = []
    /// Lines by template, for the table and the markers.
    var table: TemplateTable
    private var keptByHash: [UInt64: [Int]] = [:]
    var previousKept: Int?
    var contextLeft = 0
    /// Shapes of the signalled lines kept so far: a later line of a known shape (the same
    /// message with another timestamp or count) is kept at the lowest priority.
    private var keptShapes = Set<UInt64>()
    /// Lines not yet final: the tail window, and at least enough lines for a stack trace
    /// to claim the lines above its first frame (`StackTraceTracker.joinLimit`).
    private var tail: [Pending] = []
    private var tailStart = 0
    private let lookahead: Int
    /// The last ordinary lines of the open run of omitted lines: context for a signal to come.
    private var recent: [Pending] = []
    /// Stack traces: the tracker, the open unit, and the units kept so far.
    private var tracker = StackTraceTracker()
    private var traceUnits: Int32 = 0
    var openTrace: TraceUnit?
    var traces: [KeptTrace] = []
    var tracesByIdentity: [UInt64: Int] = [:]

    private static let longLineStandIn: [UInt8] = Array("[long line]".utf8)

    /// `miner` assigns the signatures of the lines given to `add`.
    init(options: Options = Options(), miner: TemplateMiner) {
        self.options = options
        table = TemplateTable(miner: miner)
        lookahead = max(options.tailLines, StackTraceTracker.joinLimit + 1)
        tail.reserveCapacity(lookahead + 1)
    }

    func add(_ line: Line) {
        table.count(signature: line.signature, level: line.level)
        // A line too long to print is an ordinary line to the tracker, not a blank one.
        let step = line.bytes.map { tracker.next($0) } ?? Self.longLineStandIn.withUnsafeBytes { tracker.next($0) }
        var trace: Int32 = 0
        switch step.role {
        case .start:
            traceUnits += 1
            trace = traceUnits
        case .inside:
            trace = traceUnits
        case .outside:
            break
        }
        // Lines above that turn out to belong to the unit (the exception line above the first
        // frame) are still pending: the lookahead is longer than `joinLimit`.
        if step.joined > 0 {
            for k in max(tailStart, tail.count - step.joined)..<tail.count { tail[k].trace = trace }
        }
        if tail.count - tailStart == lookahead {
            let oldest = tail[tailStart]
            tailStart += 1
            finalize(oldest.line, owned: oldest.owned, inTail: false, trace: oldest.trace)
            if tailStart == tail.count || tailStart >= 64 {
                tail.removeFirst(tailStart)
                tailStart = 0
            }
        }
        tail.append(Pending(line: line, owned: nil, trace: trace))
    }

    /// Copies the tail candidates out of the block before its memory is reused.
    func endOfBlock() {
        for i in tailStart..<tail.count where tail[i].owned == nil {
            if let bytes = tail[i].line.bytes { tail[i].owned = Array(bytes) }
            tail[i].line.bytes = nil
        }
        for i in recent.indices where recent[i].owned == nil {
            recent[i].owned = recent[i].line.bytes.map { Array($0) }
            recent[i].line.bytes = nil
        }
    }

    /// Ends the source: the tail window is final and the last run of omitted lines closes.
    func flush() {
        let pending = tail[tailStart...]
        for (k, line) in pending.enumerated() {
            finalize(line.line, owned: line.owned, inTail: k >= pending.count - options.tailLines, trace: line.trace)
        }
        tail.removeAll()
        tailStart = 0
        closeTrace()
        closeGap()
    }

    private func finalize(_ line: Line, owned: [UInt8]? = nil, inTail: Bool, trace: Int32) {
        if trace != 0 {
            collect(line, owned: owned, inTail: inTail, trace: trace)
            return
        }
        if openTrace != nil { closeTrace() }
        let printable = !line.hasControl && (owned != nil || line.bytes != nil)
        guard printable else {
            previousKept = nil
            omit(line) { gap in
                if line.hasControl { gap.controlLines += 1 } else { gap.longLines += 1 }
            }
            return
        }
        if let previous = previousKept, kept[previous].hash == line.hash, equal(kept[previous].bytes, line, owned) {
            kept[previous].occurrences += 1
            kept[previous].lastNumber = line.number
            omit(line, repeatOfPrevious: true) { $0.repeatsOfPrevious += 1 }
            return
        }
        let signalled = line.priority
        let priority = signalled ?? (inTail || line.number <= options.headLines ? .window : contextLeft > 0 ? .context : nil)
        contextLeft = max(0, contextLeft - 1)
        guard let priority else {
            previousKept = nil
            omit(line, ordinary: true) { gap in
                if gap.allCaptured && gap.count <= options.inlineRun {
                    gap.shortRun.append((line.number, line.signature, owned ?? Array(line.bytes!)))
                    gap.shortRunLevels.append(line.level)
                }
            }
            if options.contextBefore > 0 {
                if recent.count == options.contextBefore { recent.removeFirst() }
                recent.append(Pending(line: line, owned: owned))
            }
            return
        }
        if signalled != nil, !inTail, line.number > options.headLines, let match = findKept(line, owned) {
            kept[match].occurrences += 1
            kept[match].lastNumber = line.number
            previousKept = nil
            omit(line) { $0.repeatsOfKept += 1 }
            return
        }
        guard inTail || kept.count < options.maxKeptLines else {
            previousKept = nil
            omit(line) { $0.pastLimit += 1 }
            return
        }
        let bytes = owned ?? Array(line.bytes!)
        let echo = signalled != nil && !keptShapes.insert(line.shape).inserted
        if signalled != nil && !echo { keepContextBefore() }
        previousKept = keep(KeptLine(number: line.number, signature: line.signature, bytes: bytes, hash: line.hash, level: line.level,
                                     priority: echo ? .context : priority, lastNumber: line.number))
        if signalled != nil { keptByHash[line.hash, default: []].append(previousKept!) }
        if priority >= .failure { contextLeft = options.contextAfter }
    }

    /// Takes the last ordinary lines out of the open run of omitted lines and keeps them as
    /// context for the signalled line that follows.
    private func keepContextBefore() {
        guard !recent.isEmpty, var gap = openGap else { return }
        let pulled = recent
        recent.removeAll()
        gap.count -= pulled.count
        for line in pulled {
            gap.levels[Int(line.line.level.rawValue)] -= 1
            gap.templates.remove(line.line.signature)
        }
        gap.last = pulled[0].line.number - 1
        if gap.count <= gap.shortRun.count {
            // What is left are the first lines of the run, already copied.
            gap.allCaptured = true
            gap.shortRun.removeLast(gap.shortRun.count - gap.count)
            gap.shortRunLevels.removeLast(gap.shortRunLevels.count - gap.count)
        }
        openGap = gap.count > 0 ? gap : nil
        closeGap()
        for line in pulled {
            kept.append(KeptLine(number: line.line.number, signature: line.line.signature,
                                 bytes: line.owned ?? Array(line.line.bytes!), hash: line.line.hash,
                                 level: line.line.level, priority: .context, lastNumber: line.line.number))
            items.append(.kept(kept.count - 1))
        }
    }

    /// Closes the open run of omitted lines and appends a kept line; returns its index.
    func keep(_ line: KeptLine) -> Int {
        recent.removeAll()
        closeGap()
        kept.append(line)
        items.append(.kept(kept.count - 1))
        return kept.count - 1
    }

    /// Ends the run of omitted lines: a short run of ordinary lines is printed, any other
    /// becomes a marker.
    private func closeGap() {
        guard let gap = openGap else { return }
        openGap = nil
        if gap.allCaptured && gap.count <= options.inlineRun {
            for (line, level) in zip(gap.shortRun, gap.shortRunLevels) {
                kept.append(KeptLine(number: line.number, signature: line.signature, bytes: line.bytes, hash: 0, level: level,
                                     priority: .context,
                                     lastNumber: line.number))
                items.append(.kept(kept.count - 1))
            }
        } else {
            items.append(.gap(gap))
        }
    }

    private func findKept(_ line: Line, _ owned: [UInt8]?) -> Int? {
        guard let candidates = keptByHash[line.hash] else { return nil }
        return candidates.first { equal(kept[$0].bytes, line, owned) }
    }

    private func equal(_ stored: [UInt8], _ line: Line, _ owned: [UInt8]?) -> Bool {
        if let owned { return stored == owned }
        guard let bytes = line.bytes, bytes.count == stored.count else { return false }
        if bytes.isEmpty { return true }
        return stored.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }

    /// Adds the line to the run of omitted lines (starting one after a kept line). A run of
    /// repeats of the line above stays a run of its own, marked `×N`.
    func omit(_ line: Line, repeatOfPrevious: Bool = false, ordinary: Bool = false, _ update: (inout Gap) -> Void) {
        if !repeatOfPrevious, let repeats = openGap?.repeatsOfPrevious, repeats == openGap!.count { closeGap() }
        if !ordinary { recent.removeAll() }
        if openGap == nil { openGap = Gap(first: line.number, last: line.number) }
        openGap!.last = line.number
        openGap!.count += 1
        openGap!.levels[Int(line.level.rawValue)] += 1
        openGap!.templates.add(line.signature)
        let before = openGap!.shortRun.count
        update(&openGap!)
        if openGap!.shortRun.count == before { openGap!.allCaptured = false }
    }
}
