import Foundation
import XCTest

/// Where things are: the package root, `../shared/datasets`, and the built executables.
public enum Paths {
    /// The directory holding Package.swift.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    /// `../shared/datasets` beside the checkout; tests fail (not skip) when it is missing.
    public static func dataset(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let base = ProcessInfo.processInfo.environment["HEADROOM_DATASETS"]
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        let path = (base as NSString).appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("dataset missing: \(path) (../shared/datasets must be beside the checkout)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return path
    }

    /// The o200k_base ranks file.
    public static func tokenizer() throws -> String { try dataset("tokenizers/o200k_base.tiktoken") }

    /// A product built next to the test bundle (`headroom-batch`, `hb-loggen`).
    public static func executable(_ name: String) -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path,
            Bundle.main.bundleURL.appendingPathComponent(name).path,
            packageRoot.appendingPathComponent(".build/release/\(name)").path,
            packageRoot.appendingPathComponent(".build/debug/\(name)").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}

/// A fresh directory under /tmp, removed when the object goes away.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        let base = NSTemporaryDirectory() + "hb-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// What a finished process printed and returned.
public struct ProcessResult {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: String
    public var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs an executable to completion, feeding `input` to its stdin.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], input: [UInt8]? = nil,
                       environment: [String: String] = [:]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
    try process.run()
    var out = Data()
    var err = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        err = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if let input {
        inPipe.fileHandleForWriting.write(Data(input))
        try? inPipe.fileHandleForWriting.close()
    }
    process.waitUntilExit()
    group.wait()
    return ProcessResult(status: process.terminationStatus, stdout: Array(out), stderr: String(decoding: err, as: UTF8.self))
}

/// The `headroom-batch` binary with an archive and the o200k tokenizer.
public struct HeadroomCLI {
    public let archive: String
    public let binary = Paths.executable("headroom-batch")

    public init(archive: String) { self.archive = archive }

    @discardableResult
    public func callAsFunction(_ arguments: [String], input: [UInt8]? = nil, tokenizer: Bool = true) throws -> ProcessResult {
        var args = arguments
        if tokenizer && (args.first == nil || args.first == "compress") { args += ["--tokenizer", try Paths.tokenizer()] }
        return try runProcess(binary, args, input: input, environment: ["HEADROOM_ARCHIVE": archive])
    }
}

/// `[... N lines omitted ... · hb_x:A-B ...]` markers of a bundle: the reference range of each.
public func markerRanges(in bundle: String) -> [(reference: String, first: Int, last: Int)] {
    let pattern = try! NSRegularExpression(pattern: "(?m)^\\[\\.\\.\\. .*(hb_[0-9a-f]{16,64}):([0-9]+)-([0-9]+) \\.\\.\\.\\]$")
    let range = NSRange(bundle.startIndex..., in: bundle)
    return pattern.matches(in: bundle, range: range).map { match in
        let text = { (i: Int) in String(bundle[Range(match.range(at: i), in: bundle)!]) }
        return (text(1), Int(text(2))!, Int(text(3))!)
    }
}

/// The template table at the top of a log section: its lines, and per row the label, the
/// reference span and the example line (escape sequences stripped, possibly clipped with `…`).
public func templateTable(in bundle: String)
    -> (lines: Int, rows: [(label: String, reference: String, first: Int, last: Int, example: String)]) {
    let all = bundle.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let title = all.firstIndex(where: { $0.hasPrefix("[omitted lines by template: ") }) else { return (0, []) }
    let row = try! NSRegularExpression(pattern: "^(T[0-9]+) ×[0-9,]+.* · (hb_[0-9a-f]{16,64}):([0-9]+)-([0-9]+) · ")
    var rows: [(label: String, reference: String, first: Int, last: Int, example: String)] = []
    var index = title + 1
    while index < all.count {
        let line = all[index]
        if line.hasPrefix("   e.g. "), !rows.isEmpty {
            rows[rows.count - 1].example = String(line.dropFirst(8))
        } else if let match = row.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) {
            let text = { (i: Int) in String(line[Range(match.range(at: i), in: line)!]) }
            rows.append((text(1), text(2), Int(text(3))!, Int(text(4))!, ""))
        } else {
            break
        }
        index += 1
    }
    return (index - title, rows)
}

/// `bytes` without ANSI escape sequences.
public func strippingEscapes(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        if bytes[i] == 27, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
            var j = i + 2
            while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
            i = j + 1
            continue
        }
        out.append(bytes[i])
        i += 1
    }
    return out
}

/// The lines `first...last` (1-based) of `bytes`, with their newlines, exactly.
public func lines(_ bytes: [UInt8], _ first: Int, _ last: Int) -> [UInt8] {
    var line = 1
    var start: Int?
    var index = 0
    if first == 1 { start = 0 }
    while index < bytes.count {
        if bytes[index] == 10 {
            line += 1
            if line == first { start = index + 1 }
            if line > last { return Array(bytes[(start ?? bytes.count)...index]) }
        }
        index += 1
    }
    return start.map { Array(bytes[$0...]) } ?? []
}

/// A small deterministic random generator (SplitMix64), so generated inputs are the same on
/// every run.
public struct SplitMix64 {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Loghub ground truth: the `EventId` of every line, and grouping accuracy against it.
public enum Loghub {
    /// The systems of `loghub-2k`.
    public static let systems = ["HDFS", "Hadoop", "Spark", "Zookeeper", "BGL", "Linux", "Apache", "OpenSSH"]

    /// GA: a line is correct when its predicted group and its true group hold the same lines.
    public static func groupingAccuracy<P: Hashable, T: Hashable>(predicted: [P], truth: [T]) -> Double {
        precondition(predicted.count == truth.count)
        var pairs: [PairKey<P, T>: Int] = [:]
        var predictedSize: [P: Int] = [:]
        var truthSize: [T: Int] = [:]
        for (p, t) in zip(predicted, truth) {
            pairs[PairKey(p: p, t: t), default: 0] += 1
            predictedSize[p, default: 0] += 1
            truthSize[t, default: 0] += 1
        }
        var correct = 0
        for (pair, n) in pairs where predictedSize[pair.p] == n && truthSize[pair.t] == n { correct += n }
        return Double(correct) / Double(max(1, predicted.count))
    }
    
    struct PairKey<P: Hashable, T: Hashable>: Hashable { let p: P; let t: T }
    
    /// The `EventId` column of a Loghub structured CSV (quoted fields), ordered by `LineId`.
    public static func eventIDs(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var rows = parseCSV(text)
        let header = rows.removeFirst()
        guard let lineColumn = header.firstIndex(of: "LineId"), let eventColumn = header.firstIndex(of: "EventId") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let sorted = rows.filter { $0.count > eventColumn }.sorted { Int($0[lineColumn])! < Int($1[lineColumn])! }
        return sorted.map { $0[eventColumn] }
    }
    
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 1 } else { quoted = false }
                } else { field.append(b) }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self)); field.removeAll()
            } else if b == 0x0A {
                row.append(String(decoding: field, as: UTF8.self)); field.removeAll()
                rows.append(row); row = []
            } else if b != 0x0D {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
        return rows
    }
}
