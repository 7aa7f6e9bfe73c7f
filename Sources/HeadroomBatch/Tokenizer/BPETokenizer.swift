import Foundation

/// Exact tiktoken-compatible byte-pair encoder (e.g. `o200k_base`) over raw bytes.
///
/// Loads a `.tiktoken` ranks file once; afterwards immutable and safe to share across threads.
/// Invalid UTF-8 never fails: each invalid byte is one "other" character and is encoded by its bytes.
public final class BPETokenizer: TokenCounter {
    /// Vocabulary name, e.g. "o200k_base".
    public let name: String
    /// The pre-tokenization pattern in use.
    public let pattern: BPEPattern
    let rankTable: BPERankTable

    /// Always true: counts are exact for the loaded vocabulary.
    public var isExact: Bool { true }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { rankTable.tokenCount }

    /// Loads `path` (lines of `base64(token) rank`). `name` defaults to the file name without
    /// extension; `pattern` to the one that goes with the vocabulary (`BPEPattern.forVocabulary`).
    /// - Throws: `TokenizerError` naming the file and the problem.
    public init(ranksFile path: String, name: String? = nil, pattern: BPEPattern? = nil) throws {
        let name = name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let table = try BPERankTable(contentsOf: path)
        self.name = name
        self.rankTable = table
        self.pattern = pattern ?? BPEPattern.forVocabulary(named: name, size: table.tokenCount)
    }

    /// Token ids of `bytes`.
    public func encode(_ bytes: UnsafeRawBufferPointer) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(bytes.count / 4 + 1)
        let table = rankTable
        run(bytes) { piece, length, limit, starts, pairRanks in
            if length == 1 {
                ids.append(Int(table.byteRank[Int(piece[0])]))
                return
            }
            let whole = table.rank(piece, length, limit)
            if whole != BPERankTable.absent {
                ids.append(Int(whole))
            } else if length <= BPERankTable.smallPieceLimit {
                let parts = table.mergeSmall(piece, length, limit, starts: starts, pairRanks: pairRanks)
                for k in 0..<parts {
                    let s = Int(starts[k])
                    ids.append(Int(table.rank(piece + s, Int(starts[k + 1]) - s, limit)))
                }
            } else {
                let bounds = table.mergeLarge(piece, length, limit)
                for k in 0..<(bounds.count - 1) {
                    let s = Int(bounds[k])
                    ids.append(Int(table.rank(piece + s, Int(bounds[k + 1]) - s, limit)))
                }
            }
        }
        return ids
    }

    /// Token ids of the UTF-8 bytes of `text`.
    public func encode(_ text: String) -> [Int] {
        var text = text
        return text.withUTF8 { encode(UnsafeRawBufferPointer($0)) }
    }

    /// Number of tokens in `bytes`; same as `encode(bytes).count`, without building the ids.
    public func count(_ bytes: UnsafeRawBufferPointer) -> Int {
        var total = 0
        let table = rankTable
        run(bytes) { piece, length, limit, starts, pairRanks in
            if length == 1 || table.rank(piece, length, limit) != BPERankTable.absent {
                total += 1
            } else if length <= BPERankTable.smallPieceLimit {
                total += table.mergeSmall(piece, length, limit, starts: starts, pairRanks: pairRanks)
            } else {
                total += table.mergeLarge(piece, length, limit).count - 1
            }
        }
        return total
    }

    /// Bytes of the tokens `ids`, concatenated; ids outside the vocabulary are skipped.
    public func decode(_ ids: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            if let token = rankTable.bytes(ofRank: id) { bytes.append(contentsOf: token) }
        }
        return bytes
    }

    /// Calls `body` for each pre-token piece with its start, length, the end of the input and
    /// scratch space for `BPERankTable.mergeSmall`, allocated once per call on the stack.
    @inline(__always)
    private func run(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (UnsafePointer<UInt8>, Int, UnsafePointer<UInt8>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UInt32>) -> Void
    ) {
        let n = bytes.count
        guard n > 0, let raw = bytes.baseAddress else { return }
        let base = UnsafePointer(raw.assumingMemoryBound(to: UInt8.self))
        let limit = base + n
        let splitter = BPEPretokenizer(base, n, pattern: pattern)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: BPERankTable.smallPieceLimit + 1) { starts in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: BPERankTable.smallPieceLimit) { pairRanks in
                let starts = starts.baseAddress!
                let pairRanks = pairRanks.baseAddress!
                var i = 0
                while i < n {
                    let end = splitter.pieceEnd(at: i)
                    body(base + i, end - i, limit, starts, pairRanks)
                    i = end
                }
            }
        }
    }
}
