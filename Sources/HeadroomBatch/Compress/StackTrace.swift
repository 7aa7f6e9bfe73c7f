/// Tracks stack traces in a stream of log lines: which consecutive lines form one trace unit
/// (a Java exception with its `Caused by:` chain, a Python traceback with its chained
/// tracebacks and final `ValueError: msg`, a Go panic with its goroutines, a Rust panic with
/// its backtrace, a Node, .NET or Swift trace, a pytest traceback).
///
/// Frames are recognised by shape, not per tool: an indented `at symbol(location)` or
/// `at location:N`, a `File "…", line N` frame, a `path:N: in name` frame, a numbered frame
/// with a hex address, `goroutine N [state]:`, `thread '…' panicked at`, and the lines that
/// introduce or chain traces (`Traceback (most recent call last):`, `stack backtrace:`,
/// `Caused by:`, `... 12 more`, `--- End of inner exception stack trace ---`).
///
/// Lines are classified one at a time, in order, after a CI timestamp prefix
/// (`2026-04-22T16:11:56.9997008Z `), ANSI colour codes and indentation. The exception line
/// above Java, Node or .NET frames is only known as part of the trace once the first frame
/// arrives, and a Python traceback chained after a blank line only once the chain sentence
/// arrives: the step of such a line says how many of the lines just before it, reported
/// `.outside`, belong to its unit (`joined`, at most `joinLimit`).
///
/// Cost: an ordinary line outside a trace is rejected on its first content byte (plus its
/// first word when it starts at column 0); no allocation, no `String`. State is a few
/// integers; a unit is cut at `unitLimit` lines.
struct StackTraceTracker {
    enum Role: Equatable {
        /// Not part of a trace.
        case outside
        /// Opens a new unit; any unit open before ends at the line before (or before the
        /// `joined` lines).
        case start
        /// Continues the open unit.
        case inside
    }

    /// What one line is.
    struct Step: Equatable {
        var role: Role
        /// The last `joined` lines, reported `.outside`, belong to this line's unit. With
        /// `.start` the unit begins `joined` lines earlier (the exception line above the first
        /// frame); with `.inside` the unit that ended right before those lines continues over
        /// them (a chained Python traceback, the next goroutine of a Go panic).
        var joined: Int

        static let outside = Step(role: .outside, joined: 0)
        static let inside = Step(role: .inside, joined: 0)
    }

    /// Lines a unit holds at most; the line after the limit opens a new unit.
    static let unitLimit = 2_000
    /// Lines `joined` reaches back at most; a unit is final once this many lines followed it
    /// outside any unit, or once another unit starts.
    static let joinLimit = 4

    private enum Kind: UInt8 {
        case none
        /// `at` frames: Java, Node, .NET.
        case calls
        /// The `{ … }` properties printed by Node after the last frame of an error.
        case object
        /// A Python traceback, whose lines are indented past `baseIndent` until the final line.
        case python
        /// After a chain sentence, waiting for the next `Traceback`.
        case pythonChain
        case go
        /// The message lines of a Rust panic, before its backtrace or `note:`.
        case rust
        /// Numbered frames after `stack backtrace:`, `Current stack trace:` or `Stack dump:`.
        case frames
        case pytest
    }

    private var kind = Kind.none
    /// Lines of the open unit so far.
    private var unitLines = 0
    /// Python: indent of the `Traceback` line; Node object: indent of the frame holding `{`;
    /// frames: indent of the introduction or first frame.
    private var baseIndent = 0
    /// Python: inside an exception group (`+ Exception Group Traceback`, `| ` lines).
    private var group = false
    /// Rust: message lines seen; after a Python chain sentence: blank lines seen.
    private var messageLines = 0
    /// The unit that ended `sinceClose` lines ago (blank lines only since), which a chain
    /// sentence or a goroutine header may continue.
    private var closedKind = Kind.none
    private var sinceClose = 0
    /// Trailing outside lines that an `at` frame or a trace introduction would take as the
    /// unit's first lines (an exception line and its ` ---> ` inner exceptions), and the
    /// indent of the first of them.
    private var headerRun = 0
    private var headerIndent = 0
    /// Trailing outside lines from a `panic: ` / `fatal error: ` line, through blank lines,
    /// that a `goroutine N [...]:` line takes as the unit's first lines.
    private var panicRun = 0

    init() {}

    /// The step of the next line (without its newline).
    mutating func next(_ line: UnsafeRawBufferPointer) -> Step {
        let view = LineView(line)
        if kind != .none {
            switch continuation(view) {
            case .inside:
                return countInside()
            case .last:
                let step = countInside()
                close(reopenable: kind == .python ? .python : .none)
                return step
            case .end:
                close(reopenable: view.isBlank && kind == .go ? .go : .none)
                if view.isBlank {
                    noteOutside(view)
                    return .outside
                }
            }
        }
        return outside(view)
    }

    // MARK: - Lines inside a unit

    private enum Continuation { case inside, last, end }

    private mutating func countInside() -> Step {
        headerRun = 0
        panicRun = 0
        unitLines += 1
        if unitLines > Self.unitLimit {
            unitLines = 1
            return Step(role: .start, joined: 0)
        }
        return .inside
    }

    /// Ends the unit; `reopenable` is the kind a later line may continue after blank lines.
    private mutating func close(reopenable: Kind) {
        kind = .none
        closedKind = reopenable
        sinceClose = 0
    }

    /// Whether `v` continues the open unit, ends it as its last line, or is past its end.
    private mutating func continuation(_ v: LineView) -> Continuation {
        if v.isBlank {
            guard kind == .pythonChain else { return .end }
            messageLines += 1
            return messageLines <= 2 ? .inside : .end
        }
        switch kind {
        case .none:
            return .end
        case .calls:
            if v.indent > 0 && v.has("at ") {
                if v.endsWithOpenBrace {
                    kind = .object
                    baseIndent = v.indent
                }
                return .inside
            }
            return v.continuesException ? .inside : .end
        case .object:
            // Properties are indented past the error line, frames by 4: `}` closes at its indent.
            guard v.indent + 2 < baseIndent else { return .inside }
            return v.first == UInt8(ascii: "}") ? .last : .end
        case .python:
            let first = v.first
            if group && (first == UInt8(ascii: "|") || first == UInt8(ascii: "+")) { return .inside }
            if v.indent > baseIndent { return .inside }
            if group { return .end }
            if v.has("Traceback (") { return .inside }
            if v.isChainSentence {
                kind = .pythonChain
                messageLines = 0
                return .inside
            }
            return .last
        case .pythonChain:
            guard v.has("Traceback (") else { return .end }
            kind = .python
            baseIndent = v.indent
            return .inside
        case .go:
            if v.indent > 0 || v.has("goroutine ") || v.has("created by ") || v.has("...")
                || v.has("[originating from") || v.isCallLine { return .inside }
            return .end
        case .rust:
            if v.has("stack backtrace:") {
                kind = .frames
                baseIndent = v.indent
                return .inside
            }
            if v.has("note: ") { return .last }
            messageLines += 1
            return messageLines <= 16 ? .inside : .end
        case .frames:
            if v.has("note: ") { return .last }
            if v.indent > baseIndent || v.isNumbered || v.isIntroduction { return .inside }
            return .end
        case .pytest:
            let first = v.first
            if v.indent > 0 || first == UInt8(ascii: ">") || v.has("_ _") { return .inside }
            if first == UInt8(ascii: "E") && (v.count == 1 || v[v.start + 1] == 32) { return .inside }
            switch v.pytestLocation() {
            case .frame?, .entry?: return .inside
            case .terminal?: return .last
            case nil: return .end
            }
        }
    }

    // MARK: - Lines outside a unit

    /// Classifies a line outside any unit: a trace that starts here (perhaps taking lines
    /// above it), the continuation of the unit that just ended, or an ordinary line.
    private mutating func outside(_ v: LineView) -> Step {
        if v.isBlank {
            noteOutside(v)
            return .outside
        }
        if closedKind != .none {
            let reopen = (closedKind == .python && v.isChainSentence) || (closedKind == .go && v.isGoroutineHeader)
            if reopen && sinceClose + unitLines < Self.unitLimit {
                let joined = sinceClose
                kind = closedKind == .python ? .pythonChain : .go
                closedKind = .none
                messageLines = 0
                headerRun = 0
                panicRun = 0
                unitLines += joined + 1
                return Step(role: .inside, joined: joined)
            }
        }
        let first = v.first
        var opened = Kind.none
        var joined = 0
        switch first {
        case UInt8(ascii: "a"):
            if v.indent > 0 && v.isCallFrame {
                opened = v.endsWithOpenBrace ? .object : .calls
                baseIndent = v.indent
                if headerRun > 0 && headerIndent < v.indent { joined = headerRun }
            }
        case UInt8(ascii: "T"):
            if v.has("Traceback (") {
                opened = .python
                baseIndent = v.indent
                group = false
            }
        case UInt8(ascii: "+"):
            if v.has("+ Exception Group Traceback") {
                opened = .python
                baseIndent = v.indent
                group = true
            }
        case UInt8(ascii: "F"):
            if v.indent > 0 && v.isPythonFrame {
                opened = .python
                baseIndent = v.indent - 1
                group = false
            }
        case UInt8(ascii: "t"):
            if v.isRustPanic {
                opened = .rust
                messageLines = 0
            }
        case UInt8(ascii: "g"):
            if v.isGoroutineHeader {
                opened = .go
                joined = panicRun
            }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "#"):
            if v.isAddressFrame {
                opened = .frames
                baseIndent = v.indent
            }
        default:
            break
        }
        if opened == .none && v.isIntroduction {
            opened = .frames
            baseIndent = v.indent
            if headerRun > 0 && headerIndent <= v.indent { joined = headerRun }
        }
        if opened == .none && v.indent == 0, case .frame? = v.pytestLocation() {
            opened = .pytest
        }
        guard opened != .none else {
            noteOutside(v)
            return .outside
        }
        kind = opened
        closedKind = .none
        headerRun = 0
        panicRun = 0
        unitLines = joined + 1
        return Step(role: .start, joined: joined)
    }

    /// Updates the header runs and the reopenable unit after an ordinary outside line.
    private mutating func noteOutside(_ v: LineView) {
        if v.isBlank {
            headerRun = 0
            if closedKind != .none {
                sinceClose += 1
                if sinceClose >= Self.joinLimit { closedKind = .none }
            }
            panicRun = panicRun > 0 && panicRun < Self.joinLimit ? panicRun + 1 : 0
            return
        }
        closedKind = .none
        if v.has("---> ") && headerRun > 0 && headerRun < Self.joinLimit {
            headerRun += 1
        } else {
            headerRun = 1
            headerIndent = v.indent
        }
        if v.indent == 0 && (v.has("panic: ") || v.has("fatal error: ")) {
            panicRun = 1
        } else if panicRun > 0 && panicRun < Self.joinLimit && (v.has("[signal ") || (v.indent > 0 && v.has("panic: "))) {
            panicRun += 1
        } else {
            panicRun = 0
        }
    }
}

/// One line as the tracker sees it: the content after the timestamp prefix, colour codes and
/// indentation, up to the end without trailing spaces and colour codes.
private struct LineView {
    let bytes: UnsafeRawBufferPointer
    /// First content byte.
    let start: Int
    /// One past the last content byte.
    let end: Int
    /// Width of the indentation (a tab counts 4).
    let indent: Int

    init(_ line: UnsafeRawBufferPointer) {
        bytes = line
        var i = line.ciTimestampEnd()
        var width = 0
        while i < line.count {
            let b = line[i]
            if b == 32 {
                width += 1
                i += 1
            } else if b == 9 {
                width += 4
                i += 1
            } else if b == 27, let after = Self.colourEnd(line, i) {
                i = after
            } else {
                break
            }
        }
        var stop = line.count
        while stop > i {
            let b = line[stop - 1]
            if b == 32 || b == 9 || b == 13 {
                stop -= 1
            } else if b == UInt8(ascii: "m"), let begin = Self.colourStart(line, stop - 1, floor: i) {
                stop = begin
            } else {
                break
            }
        }
        start = i
        end = stop
        indent = width
    }

    var count: Int { end - start }
    var isBlank: Bool { end <= start }
    var first: UInt8 { start < end ? bytes[start] : 0 }
    subscript(_ i: Int) -> UInt8 { i < end ? bytes[i] : 0 }

    /// The content starts with `literal`.
    func has(_ literal: StaticString) -> Bool { has(literal, at: start) }

    func has(_ literal: StaticString, at index: Int) -> Bool {
        UnsafeRawBufferPointer(rebasing: bytes[..<end]).starts(with: literal, at: index)
    }

    /// Index of the first `literal` in `from..<limit`, or nil.
    func find(_ literal: StaticString, from: Int, limit: Int) -> Int? {
        let n = literal.utf8CodeUnitCount
        let head = literal.utf8Start[0]
        var i = from
        let last = min(limit, end) - n
        while i <= last {
            if bytes[i] == head && has(literal, at: i) { return i }
            i += 1
        }
        return nil
    }

    // MARK: Prefixes

    /// End of the colour code (`ESC [ 31;1 m`) at `i`, or nil.
    static func colourEnd(_ line: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        guard i + 2 < line.count, line[i + 1] == 91 else { return nil }
        var k = i + 2
        while k < line.count && k < i + 20 {
            let c = line[k]
            if c == 109 { return k + 1 }
            guard isDigit(c) || c == 59 else { return nil }
            k += 1
        }
        return nil
    }

    /// Start of the colour code whose `m` is at `m`, not before `floor`, or nil.
    static func colourStart(_ line: UnsafeRawBufferPointer, _ m: Int, floor: Int) -> Int? {
        var k = m - 1
        while k > floor && k > m - 20 {
            let c = line[k]
            if c == 91 { return line[k - 1] == 27 ? k - 1 : nil }
            guard isDigit(c) || c == 59 else { return nil }
            k -= 1
        }
        return nil
    }

    // MARK: Shapes

    /// `at symbol(…)`, `at name (location)`, `at location:N`, with `async ` or `new ` allowed:
    /// Java, Node, .NET and Rust frames.
    var isCallFrame: Bool {
        guard has("at ") else { return false }
        var p = start + 3
        if has("async ", at: p) { p += 6 } else if has("new ", at: p) { p += 4 }
        let symbol = p
        guard p < end, !isDigit(bytes[p]) else { return false }
        var location = false
        while p < end {
            let b = bytes[p]
            if b == 32 || b == 40 { break }
            if b == 58 && p + 1 < end && isDigit(bytes[p + 1]) { location = true }
            p += 1
        }
        guard p > symbol else { return false }
        if p == end { return location }
        var close = end
        if endsWithOpenBrace { close = end - 2 }
        if bytes[p] == 40 {
            return find(")", from: p, limit: end) != nil          // pkg.Class.m(File.java:12) ~[x.jar]
        }
        return self[p + 1] == 40 && close > p && bytes[close - 1] == 41   // name (file:1:2)
    }

    /// The line ends with ` {` (Node prints an error's properties after its last frame).
    var endsWithOpenBrace: Bool { count >= 2 && bytes[end - 1] == 123 && bytes[end - 2] == 32 }

    /// `Caused by:`, `Suppressed:`, `... 12 more`, `--- End of inner exception stack trace ---`,
    /// ` ---> System.X: inner`: lines that chain exceptions inside an `at` trace.
    var continuesException: Bool {
        switch first {
        case UInt8(ascii: "C"): return has("Caused by:")
        case UInt8(ascii: "S"): return has("Suppressed:")
        case UInt8(ascii: "W"): return has("Wrapped by:")
        case UInt8(ascii: "."): return has("... ") && isDigit(self[start + 4])
        case UInt8(ascii: "-"): return has("--- End of") || has("---> ")
        default: return false
        }
    }

    /// `File "x.py", line 3, in f`.
    var isPythonFrame: Bool {
        guard has("File \"") else { return false }
        guard let quote = find("\", line ", from: start + 6, limit: end) else { return false }
        return isDigit(self[quote + 8])
    }

    var isChainSentence: Bool {
        has("During handling of the above exception") || has("The above exception was the direct cause")
    }

    /// `thread 'main' panicked at src/main.rs:3:5:` (also `thread 'x' (25975) panicked at`).
    var isRustPanic: Bool {
        has("thread '") && find(" panicked at", from: start + 8, limit: min(end, start + 400)) != nil
    }

    /// `goroutine 1 [running]:`.
    var isGoroutineHeader: Bool { has("goroutine ") && isDigit(self[start + 10]) && bytes[end - 1] == 58 }

    /// `main.f(0x1, ...)`: a symbol without spaces, then arguments to the end of the line.
    var isCallLine: Bool {
        let b = first
        guard isLetter(b) || b == 95 else { return false }
        var p = start
        while p < end && bytes[p] != 40 {
            if bytes[p] == 32 { return false }
            p += 1
        }
        return p < end && bytes[end - 1] == 41
    }

    /// A trace introduction line: `stack backtrace:`, `Current stack trace:`, `Stack dump:`,
    /// `Stack trace:`, `Backtrace:`.
    var isIntroduction: Bool {
        guard count <= 22, bytes[end - 1] == 58 else { return false }
        switch first {
        case UInt8(ascii: "s"): return has("stack backtrace:") || has("stack trace:")
        case UInt8(ascii: "S"): return has("Stack dump:") || has("Stack trace:") || has("Stack backtrace:")
        case UInt8(ascii: "C"): return has("Current stack trace:") || has("Call stack:")
        case UInt8(ascii: "B"): return has("Backtrace:")
        default: return false
        }
    }

    /// `12: symbol`, `0.\tProgram arguments`, `#3 0x…`, `0    libswiftCore.so …`: a numbered
    /// line inside a trace.
    var isNumbered: Bool {
        var p = start
        if self[p] == 35 { p += 1 }
        let digits = p
        while p < end && p - digits < 6 && isDigit(bytes[p]) { p += 1 }
        guard p > digits else { return false }
        let b = self[p]
        return b == 58 || b == 46 || b == 32 || b == 9
    }

    /// A numbered frame with a hex address as its second or third field:
    /// `0  libswiftCore.so 0x00007f… $s… + 52`, `#1 0x000055d5c1f6e0a7 in main () at x.c:3`.
    var isAddressFrame: Bool {
        var p = start
        if self[p] == 35 { p += 1 }
        let digits = p
        while p < end && p - digits < 6 && isDigit(bytes[p]) { p += 1 }
        guard p > digits, self[p] == 32 else { return false }
        for field in 0..<2 {
            while p < end && bytes[p] == 32 { p += 1 }
            if has("0x", at: p) {
                var q = p + 2
                while q < end && isHex(bytes[q]) { q += 1 }
                return q - p - 2 >= 8
            }
            guard field == 0 else { return false }
            let token = p
            while p < end && bytes[p] != 32 { p += 1 }
            guard p > token else { return false }
        }
        return false
    }

    enum PytestLocation { case frame, entry, terminal }

    /// A pytest traceback line starting with `path.py:12:`: a frame (`: in name`), an entry
    /// with nothing after the colon, or the terminal line naming the exception
    /// (`path.py:412: DeprecationWarning`). Nil for anything else.
    func pytestLocation() -> PytestLocation? {
        let b = first
        guard isLetter(b) || b == 46 || b == 47 || b == 95 else { return nil }
        var p = start
        var dot = false
        let limit = min(end, start + 300)
        while p < limit && bytes[p] != 32 {
            if bytes[p] == 46 { dot = true }
            p += 1
        }
        // The first word is `path:digits:`.
        guard dot, p - start >= 4, bytes[p - 1] == 58 else { return nil }
        var q = p - 2
        while q > start && isDigit(bytes[q]) { q -= 1 }
        guard q < p - 2, bytes[q] == 58, q > start else { return nil }
        if p == end { return .entry }
        if has(" in ", at: p) { return .frame }
        return isLetter(self[p + 1]) ? .terminal : nil
    }
}

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
@inline(__always) private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 }
@inline(__always) private func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 97 < 6 }
