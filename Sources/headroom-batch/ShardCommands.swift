import ArgumentParser
import HeadroomBatch

#if canImport(Glibc)
import Glibc
#endif

/// Sharded runs: `plan` cuts the inputs into shards, `run-shard` compresses shards into shard
/// directories, `merge` unions the shard archives and joins the shard bundles in order. Any
/// driver can sit between them (a shell loop, GNU parallel, Spark's `RDD.pipe()`): only shard
/// descriptions (one JSON line each) travel.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cut inputs into shards for run-shard: one JSON line per shard on stdout.",
        discussion: """
            Files are taken in order; small files share a shard up to --shard-bytes, a larger file is
            cut into byte ranges at line ends (compressed files are never cut). Each line names the
            pieces of one shard, e.g.
              {"shard":1,"pieces":[{"path":"logs/a.log","offset":0,"count":1048576,"whole":true,"kind":"log"}]}
            A whole file is compressed as that file; a range is a section of its own titled
            `path [bytes A-B]`. With no file cut, the merged bundle is the bundle `compress` gives for
            the same inputs, byte for byte.
              headroom-batch plan logs/ --shard-bytes 256M > shards.jsonl
            """)

    @Argument(help: ArgumentHelp("Files, directories or glob patterns.", valueName: "input"))
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("Bytes per shard, about (e.g. 268435456, 256M, 1G).", valueName: "SIZE"))
    var shardBytes: String = "256M"

    func run() throws {
        guard let size = parseByteSize(shardBytes), size > 0 else {
            Console.error(HeadroomError(.usage, "--shard-bytes \(shardBytes)", "expected a size such as 268435456, 256M or 1G"))
            throw ExitCode(64)
        }
        let (shards, errors) = ShardPlanner(shardBytes: size).plan(inputs)
        for shard in shards { Console.out(Array((shard.jsonLine + "\n").utf8)) }
        Console.flush()
        for error in errors { Console.error(error) }
        if !errors.isEmpty { throw ExitCode(1) }
    }
}

struct RunShard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-shard",
        abstract: "Compress the shards described on stdin (lines of plan) into shard directories under --out.",
        discussion: """
            For each shard line, writes DIR/shard-NNNNNN/ with its own archive (archive/), its bundle
            (bundle.md) and its description (shard.json), and prints one JSON summary line:
              {"shard":3,"dir":"out/shard-000003","inputs":2,"failed":0,"bytes":1048576,"seconds":0.84}
            A shard already done (its bundle.md exists) is skipped and summarised again, so a failed
            driver can simply be rerun. Compressor options are those of compress; give every
            run-shard of one plan the same ones.
            """)

    @Option(name: .long, help: ArgumentHelp("Directory of the shard directories.", valueName: "DIR"))
    var out: String

    @OptionGroup var compressor: CompressorFlags

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let counter = try compressor.tokenCounter()
        try makeDirectories(out)
        var failedShards = 0
        var input: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            input += chunk[0..<n]
        }
        for line in input.split(separator: 10) where line.contains(where: { $0 != 32 && $0 != 13 }) {
            let shard: ShardDescription
            do { shard = try ShardDescription(jsonLine: Array(line)) } catch {
                Console.error(error)
                failedShards += 1
                continue
            }
            if try !runShard(shard, counter: counter) { failedShards += 1 }
        }
        Console.flush()
        if failedShards > 0 { throw ExitCode(1) }
    }

    /// Compresses one shard; false when any of its inputs failed.
    private func runShard(_ shard: ShardDescription, counter: TokenCounter) throws -> Bool {
        let directory = out + "/" + ShardDirectory.name(shard.shard)
        let bundlePath = directory + "/bundle.md"
        let started = monotonicSeconds()
        if access(bundlePath, F_OK) == 0 {
            Console.out(Array((ShardDirectory.summary(shard, directory: directory, inputs: shard.pieces.count, failed: 0,
                                                      seconds: 0, skipped: true) + "\n").utf8))
            return true
        }
        try makeDirectories(directory)
        let archive: Archive
        do { archive = try Archive(path: directory + "/archive", create: true) } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        let renderer = BundleRenderer(tokenizerName: counter.name)
        var bundle: [UInt8] = []
        var failed = 0
        let run = CompressRun(options: compressor.options, archive: archive, tokenizer: counter)
        _ = run.run(shard.pieces.map(\.input), failed: { error in
            failed += 1
            Console.error(error)
        }, emit: { section in
            bundle += renderer.text(section)
        })
        try writeFile(directory + "/shard.json", Array((shard.jsonLine + "\n").utf8))
        // The bundle last: its presence says the shard is done.
        try writeFile(bundlePath + ".partial", bundle)
        guard rename(bundlePath + ".partial", bundlePath) == 0 else {
            throw HeadroomError(.usage, bundlePath, "cannot write: \(String(cString: strerror(errno)))")
        }
        Console.out(Array((ShardDirectory.summary(shard, directory: directory, inputs: shard.pieces.count, failed: failed,
                                                  seconds: monotonicSeconds() - started, skipped: false) + "\n").utf8))
        Console.flush()
        return failed == 0
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge shard directories (of run-shard) into one archive, and their bundles into one, in shard order.",
        discussion: """
            References and template ids are content hashes, so merging is a union: what the target
            archive already holds is not copied again, and merging twice changes nothing.
              headroom-batch merge out/shard-* --into ~/.local/share/headroom-batch/archive --bundle bundle.md
            """)

    @Argument(help: ArgumentHelp("Shard directories written by run-shard.", valueName: "shard-dir"))
    var shards: [String]

    @Option(name: .long, help: ArgumentHelp("The archive to merge into (created when missing).", valueName: "ARCHIVE"))
    var into: String

    @Option(name: .long, help: ArgumentHelp("Write the shards' bundles, joined in shard order, to FILE (- for stdout).", valueName: "FILE"))
    var bundle: String?

    func run() throws {
        var ordered: [(number: Int, directory: String)] = []
        for directory in shards {
            guard let text = readWholeFile(directory + "/shard.json"),
                  let shard = try? ShardDescription(jsonLine: text.split(separator: 10).first.map(Array.init) ?? []) else {
                Console.error(HeadroomError(.input, directory, "not a shard directory (no shard.json; run-shard writes one)"))
                throw ExitCode(1)
            }
            ordered.append((shard.shard, directory))
        }
        ordered.sort { $0.number < $1.number }
        let target: Archive
        do { target = try Archive(path: into, create: true) } catch {
            Console.error(error)
            throw ExitCode(2)
        }
        var joined: [UInt8] = []
        var copied = 0, present = 0
        for (_, directory) in ordered {
            do {
                let result = try ArchiveMerger(into: target).merge(try Archive(path: directory + "/archive", create: false))
                copied += result.copied
                present += result.present
            } catch {
                Console.error(HeadroomError(.archive, directory, "not merged: \(error)"))
                throw ExitCode(2)
            }
            if bundle != nil {
                guard let text = readWholeFile(directory + "/bundle.md") else {
                    Console.error(HeadroomError(.input, directory, "no bundle.md: the shard did not finish; run it again"))
                    throw ExitCode(1)
                }
                joined += text
            }
        }
        if let bundle {
            if bundle == "-" { Console.out(joined); Console.flush() } else { try writeFile(bundle, joined) }
        }
        Console.note("headroom-batch merge: \(ordered.count) shard\(ordered.count == 1 ? "" : "s") · \(copied) references copied, \(present) already in \(into)")
    }
}

/// Names and summaries of shard directories.
enum ShardDirectory {
    static func name(_ shard: Int) -> String {
        let digits = String(shard)
        return "shard-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    static func summary(_ shard: ShardDescription, directory: String, inputs: Int, failed: Int, seconds: Double, skipped: Bool) -> String {
        let bytes = shard.pieces.reduce(0) { $0 + $1.count }
        return "{\"shard\":\(shard.shard),\"dir\":\"\(directory)\",\"inputs\":\(inputs),\"failed\":\(failed),\"bytes\":\(bytes),"
            + "\"skipped\":\(skipped),\"seconds\":\(Format.fixed(seconds, digits: 3))}"
    }
}

/// `268435456`, `256M`, `1G`, `64K` as bytes.
func parseByteSize(_ text: String) -> Int? {
    var digits = Substring(text.uppercased())
    if digits.hasSuffix("IB") { digits = digits.dropLast(2) } else if digits.hasSuffix("B") { digits = digits.dropLast() }
    var multiplier = 1
    if let last = digits.last, let power = "KMGT".firstIndex(of: last) {
        multiplier = 1 << (10 * ("KMGT".distance(from: "KMGT".startIndex, to: power) + 1))
        digits = digits.dropLast()
    }
    guard let value = Int(digits), value >= 0 else { return nil }
    return value * multiplier
}
