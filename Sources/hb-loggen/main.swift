// hb-loggen: a fast, deterministic generator of large realistic log files
// (for headroom-batch benchmarks).
//
// Output is produced in blocks of events; block k depends only on (seed, k),
// so worker threads generate blocks in parallel while the main thread writes
// them in order. The thread count never changes the bytes produced.

import Dispatch
import Glibc

let usage = """
    usage: hb-loggen --size SIZE [--seed N] [--format log|jsonl|rag] [--output FILE] [--threads N]

    Generate a realistic mixed-service production log (HTTP gateway, Java
    billing service, Python workers, syslog from storage nodes; Zipf-distributed
    templates, retry loops, Java/Python/Go stack traces, long JSON dumps).

      --size SIZE     amount to generate: bytes, or with a K/M/G/T suffix
                      (binary: 1K = 1024; "KB", "MiB" etc. also accepted).
                      Output stops at the first line boundary at or after SIZE.
      --seed N        random seed (default 1). Same seed => identical output.
      --format F      log (default); jsonl: API-like JSON records, one a line; rag: a RAG
                      corpus (overlapping windows of documents, footers, duplicates) as JSONL
                      (issues with a nested user, labels, statuses, about 3% errors).
      --output FILE   write to FILE instead of standard output.
      --threads N     generator threads (default: number of CPUs, max 8).
                      Does not affect the output.
      --stats         print the template/trace counts to stderr and exit.
      -h, --help      show this help.

    """

func fail(_ msg: String) -> Never {
    fputs("hb-loggen: \(msg)\n", stderr)
    fputs("Try 'hb-loggen --help'.\n", stderr)
    exit(2)
}

func parseSize(_ s: String) -> UInt64? {
    var t = Substring(s.trimmingSpaces().uppercased())
    if t.isEmpty { return nil }
    if t.hasSuffix("IB") { t = t.dropLast(2) } else if t.hasSuffix("B") { t = t.dropLast() }
    var mult: Double = 1
    if let last = t.last, let p = "KMGT".firstIndex(of: last) {
        mult = Double(1 << (10 * ("KMGT".distance(from: "KMGT".startIndex, to: p) + 1)))
        t = t.dropLast()
    }
    guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
        let v = Double(t), v.isFinite, v >= 0
    else { return nil }
    let bytes = v * mult
    guard bytes < 1.0e18 else { return nil }
    return UInt64(bytes.rounded())
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - Arguments

var sizeArg: UInt64? = nil
var seedArg: UInt64 = 1
var outputArg: String? = nil
var threadsArg = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
var statsOnly = false
var formatArg = "log"

var args = Array(CommandLine.arguments.dropFirst())
var ai = 0
func value(_ name: String, _ inline: String?) -> String {
    if let v = inline { return v }
    ai += 1
    guard ai < args.count else { fail("option \(name) needs a value") }
    return args[ai]
}
while ai < args.count {
    let a = args[ai]
    var name = a
    var inline: String? = nil
    if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
        name = String(a[..<eq])
        inline = String(a[a.index(after: eq)...])
    }
    switch name {
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    case "--size", "-s":
        let v = value(name, inline)
        guard let s = parseSize(v) else { fail("invalid size '\(v)' (expected e.g. 500K, 100M, 1G or a byte count)") }
        sizeArg = s
    case "--seed":
        let v = value(name, inline)
        guard let s = UInt64(v) else { fail("invalid seed '\(v)' (expected a non-negative integer)") }
        seedArg = s
    case "--output", "-o":
        let v = value(name, inline)
        guard !v.isEmpty else { fail("empty output path") }
        outputArg = v
    case "--threads":
        let v = value(name, inline)
        guard let t = Int(v), t >= 1, t <= 64 else { fail("invalid thread count '\(v)' (1...64)") }
        threadsArg = t
    case "--format":
        let v = value(name, inline)
        guard v == "log" || v == "jsonl" || v == "rag" else { fail("invalid format '\(v)' (log, jsonl or rag)") }
        formatArg = v
    case "--stats":
        statsOnly = true
    default:
        if a.hasPrefix("-") { fail("unknown option '\(a)'") }
        fail("unexpected argument '\(a)'")
    }
    ai += 1
}

let model = Model()

if statsOnly {
    let main = model.mainCount
    fputs("templates: \(model.templateCount) (main mixture \(main)), stack traces: \(model.traceCount), lists: \(listSpecs.count)\n", stderr)
    let names = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    let total = model.levelShare.reduce(0, +)
    for (i, s) in model.levelShare.enumerated() {
        fputs("  \(names[i]): \(Double(Int(s / total * 100000)) / 1000)%\n", stderr)
    }
    exit(0)
}

guard let targetSize = sizeArg else { fail("missing --size") }

// MARK: - Output

let fd: Int32
if let path = outputArg {
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0 {
        fputs("hb-loggen: cannot open '\(path)': \(String(cString: strerror(errno)))\n", stderr)
        exit(1)
    }
} else {
    fd = 1
}

func writeAll(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) {
    var off = 0
    while off < count {
        let r = write(fd, p + off, count - off)
        if r < 0 {
            if errno == EINTR { continue }
            fputs("hb-loggen: write failed: \(String(cString: strerror(errno)))\n", stderr)
            exit(1)
        }
        off += r
    }
}

if targetSize == 0 { exit(0) }

// MARK: - Pipeline: workers generate blocks, main thread writes in order

final class Pipeline: @unchecked Sendable {
    let workers: Int
    let slots: Int
    let bufs: [ByteBuf]
    let free: [DispatchSemaphore]
    let ready: [DispatchSemaphore]

    init(workers: Int) {
        self.workers = workers
        slots = workers * 2
        bufs = (0..<slots).map { _ in ByteBuf(capacity: 6 << 20) }
        free = (0..<slots).map { _ in DispatchSemaphore(value: 1) }
        ready = (0..<slots).map { _ in DispatchSemaphore(value: 0) }
    }
}

// Blocks needed is unknown in advance for a given size; workers run ahead
// by at most `slots` blocks and the process exits once enough is written.
let pipe = Pipeline(workers: threadsArg)
for w in 0..<pipe.workers {
    let seed = seedArg
    let thread = WorkerThread {
        let gen: BlockGenerator = formatArg == "jsonl" ? RecordGenerator(seed: seed)
            : formatArg == "rag" ? RAGCorpusGenerator(seed: seed) as BlockGenerator : Generator(model: model, seed: seed)
        var k = w
        while true {
            let s = k % pipe.slots
            pipe.free[s].wait()
            gen.generate(block: k, into: pipe.bufs[s])
            pipe.ready[s].signal()
            k += pipe.workers
        }
    }
    thread.start()
}

var written: UInt64 = 0
var block = 0
while written < targetSize {
    let s = block % pipe.slots
    pipe.ready[s].wait()
    let buf = pipe.bufs[s]
    let remaining = targetSize - written
    if UInt64(buf.count) < remaining {
        writeAll(buf.p, buf.count)
        written += UInt64(buf.count)
    } else {
        // Stop at the first newline at or after the SIZE-th byte.
        var end = Int(remaining) - 1
        while end < buf.count && buf.p[end] != 10 { end += 1 }
        let len = min(buf.count, end + 1)
        writeAll(buf.p, len)
        written += UInt64(len)
        break
    }
    pipe.free[s].signal()
    block += 1
}
if fd != 1 { close(fd) }
exit(0)
