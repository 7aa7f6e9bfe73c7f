/// The first log compressor: keeps the head and tail windows and every WARN, ERROR and FATAL
/// line verbatim (first occurrence, with its count), folds exact duplicates, and replaces
/// every other run of lines with a marker naming its levels and the reference range.
///
/// Lines arrive in order through `add`; memory is bounded by `Options` (kept lines, tail),
/// not by the size of the source.
final class LogCompressor {
    struct Options {
        var headLines = 10
        var tailLines = 10
        /// Distinct lines kept verbatim at most; later ones are counted in markers.
        var maxKeptLines = 2000
        /// Runs of at most this many ordinary lines are printed rather than marked: a marker
        /// would cost as many tokens as the lines.
        var inlineRun = 2
    }

    /// A line as the merge stage hands it over; `bytes` is nil for lines never printed (long).
    struct Line {
        var number: Int
        var bytes: UnsafeRawBufferPointer?
        var hash: UInt64
        var level: LineLevel
        var hasControl: Bool
    }

    private struct KeptLine {
        var number: Int
        var bytes: [UInt8]
        var hash: UInt64
        var occurrences = 1
        var lastNumber: Int
    }

    private struct Gap {
        var first: Int
        var last: Int
        var count = 0
        var levels = [Int](repeating: 0, count: LineLevel.allCases.count)
        var repeatsOfPrevious = 0
        var repeatsOfKept = 0
        var longLines = 0
        var controlLines = 0
        var pastLimit = 0
        /// Copies of the lines while the run is short; `allCaptured` turns false once a line
        /// (an unprintable one, a repeat, or one past `inlineRun`) was not copied.
        var shortRun: [(number: Int, bytes: [UInt8])] = []
        var allCaptured = true
    }

    private enum Item {
        case kept(Int)
        case gap(Gap)
    }

    /// A tail candidate; `pointer` is valid only until `endOfBlock`, `owned` after.
    private struct Pending {
        var line: Line
        var owned: [UInt8]?
    }

    private let options: Options
    private var items: [Item] = []
    private var openGap: Gap?
    private var kept: [KeptLine] = []
    private var keptByHash: [UInt64: [Int]] = [:]
    private var previousKept: Int?
    private var tail: [Pending] = []
    private var tailStart = 0

    init(options: Options = Options()) {
        self.options = options
        tail.reserveCapacity(options.tailLines + 1)
    }

    func add(_ line: Line) {
        if options.tailLines == 0 {
            finalize(line, inTail: false)
            return
        }
        if tail.count - tailStart == options.tailLines {
            let oldest = tail[tailStart]
            tailStart += 1
            finalize(oldest.line, owned: oldest.owned, inTail: false)
            if tailStart == tail.count || tailStart >= 64 {
                tail.removeFirst(tailStart)
                tailStart = 0
            }
        }
        tail.append(Pending(line: line, owned: nil))
    }

    /// Copies the tail candidates out of the block before its memory is reused.
    func endOfBlock() {
        for i in tailStart..<tail.count where tail[i].owned == nil {
            if let bytes = tail[i].line.bytes { tail[i].owned = Array(bytes) }
            tail[i].line.bytes = nil
        }
    }

    /// Renders the section body once every line has been added.
    func finish(reference: ReferenceID) -> CompressedBody {
        for pending in tail[tailStart...] { finalize(pending.line, owned: pending.owned, inTail: true) }
        tail.removeAll()
        tailStart = 0
        closeGap()
        return render(reference)
    }

    private func finalize(_ line: Line, owned: [UInt8]? = nil, inTail: Bool) {
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
        let wanted = inTail || line.number <= options.headLines || line.level >= .warn
        guard wanted else {
            previousKept = nil
            omit(line) { gap in
                if gap.allCaptured && gap.count <= options.inlineRun {
                    gap.shortRun.append((line.number, owned ?? Array(line.bytes!)))
                }
            }
            return
        }
        if !inTail && line.number > options.headLines, let match = findKept(line, owned) {
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
        previousKept = keep(number: line.number, bytes: bytes, hash: line.hash)
        keptByHash[line.hash, default: []].append(previousKept!)
    }

    /// Closes the open run of omitted lines and appends a kept line; returns its index.
    private func keep(number: Int, bytes: [UInt8], hash: UInt64) -> Int {
        closeGap()
        kept.append(KeptLine(number: number, bytes: bytes, hash: hash, lastNumber: number))
        items.append(.kept(kept.count - 1))
        return kept.count - 1
    }

    /// Ends the run of omitted lines: a short run of ordinary lines is printed, any other
    /// becomes a marker.
    private func closeGap() {
        guard let gap = openGap else { return }
        openGap = nil
        if gap.allCaptured && gap.count <= options.inlineRun {
            for line in gap.shortRun {
                kept.append(KeptLine(number: line.number, bytes: line.bytes, hash: 0, lastNumber: line.number))
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
    private func omit(_ line: Line, repeatOfPrevious: Bool = false, _ update: (inout Gap) -> Void) {
        if let gap = openGap, gap.repeatsOfPrevious == gap.count, !repeatOfPrevious { closeGap() }
        if openGap == nil { openGap = Gap(first: line.number, last: line.number) }
        openGap!.last = line.number
        openGap!.count += 1
        openGap!.levels[Int(line.level.rawValue)] += 1
        let before = openGap!.shortRun.count
        update(&openGap!)
        if openGap!.shortRun.count == before { openGap!.allCaptured = false }
    }

    private func render(_ reference: ReferenceID) -> CompressedBody {
        var text = TextBuffer()
        var omissions: [Omission] = []
        for (position, item) in items.enumerated() {
            switch item {
            case .kept(let index):
                let line = kept[index]
                text.appendLine(stripping: line.bytes)
                let following: Int
                if position + 1 < items.count, case .gap(let gap) = items[position + 1] { following = gap.repeatsOfPrevious } else { following = 0 }
                if line.occurrences > 1 + following {
                    text.append("[↑ ×\(Format.count(line.occurrences)) in all · last at line \(Format.count(line.lastNumber))]")
                    text.newline()
                }
            case .gap(let gap):
                let omission = Omission(unit: "lines", range: LineRange(gap.first, gap.last), count: gap.count,
                                        kinds: describe(gap), reference: reference)
                omissions.append(omission)
                text.append(marker(gap, omission))
                text.newline()
            }
        }
        return CompressedBody(body: text.bytes, omissions: omissions)
    }

    private func describe(_ gap: Gap) -> [(name: String, count: Int)] {
        var kinds: [(name: String, count: Int)] = []
        for level in LineLevel.allCases.reversed() where gap.levels[Int(level.rawValue)] > 0 {
            kinds.append((level.name, gap.levels[Int(level.rawValue)]))
        }
        return kinds
    }

    private func marker(_ gap: Gap, _ omission: Omission) -> String {
        let place = "lines \(omission.range) · \(omission.query)"
        if gap.repeatsOfPrevious == gap.count {
            return "[... ×\(Format.count(gap.count)) identical to the line above · \(place) ...]"
        }
        var details = omission.kinds.map { "\($0.name) \(Format.count($0.count))" }
        if gap.repeatsOfPrevious + gap.repeatsOfKept > 0 {
            details.append("\(Format.count(gap.repeatsOfPrevious + gap.repeatsOfKept)) repeats of shown lines")
        }
        if gap.pastLimit > 0 { details.append("\(Format.count(gap.pastLimit)) past the keep limit") }
        if gap.longLines > 0 { details.append("\(Format.count(gap.longLines)) over \(Format.count(BlockAnalyzer.longLine)) bytes") }
        if gap.controlLines > 0 { details.append("\(Format.count(gap.controlLines)) with control bytes") }
        let noun = gap.count == 1 ? "line" : "lines"
        return "[... \(Format.count(gap.count)) \(noun) omitted (\(details.joined(separator: ", "))) · \(place) ...]"
    }
}
