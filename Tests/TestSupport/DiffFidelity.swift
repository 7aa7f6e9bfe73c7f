import Foundation

/// The diff fidelity measure: the share of a diff's changed lines (lines starting with a single
/// `+` or `-`, not the `+++ `/`--- ` file headers), stripped of surrounding whitespace and 4 or
/// more bytes long, that appear verbatim somewhere in a bundle body.
public enum DiffFidelity {
    /// The changed lines of `diff` that the measure counts, stripped.
    public static func changedLines(_ diff: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        while start < diff.count {
            var end = start
            while end < diff.count, diff[end] != 10 { end += 1 }
            let line = diff[start..<end]
            start = end + 1
            guard let first = line.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { continue }
            if line.count >= 3, line.dropFirst().first == first, line.dropFirst(2).first == first {
                // `+++`/`---`: a file header (or a line that starts like one), not counted.
                continue
            }
            let stripped = strip(line.dropFirst())
            if stripped.count >= 4 { result.append(Array(stripped)) }
        }
        return result
    }

    /// Share of `changedLines(diff)` found verbatim in `body` (1 when there are none).
    public static func fidelity(diff: [UInt8], body: [UInt8]) -> Double {
        let wanted = changedLines(diff)
        guard !wanted.isEmpty else { return 1 }
        let found = wanted.filter { contains(body, $0) }.count
        return Double(found) / Double(wanted.count)
    }

    /// The changed lines of `diff` missing from `body` (for failure messages).
    public static func missing(diff: [UInt8], body: [UInt8]) -> [String] {
        changedLines(diff).filter { !contains(body, $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    private static func strip(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func blank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 11 || c == 12 }
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi, blank(bytes[lo]) { lo += 1 }
        while hi > lo, blank(bytes[hi - 1]) { hi -= 1 }
        return bytes[lo..<hi]
    }

    /// Substring search: memchr for the first byte, memcmp for the rest.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                guard let hb = h.baseAddress, let nb = n.baseAddress, h.count >= n.count else { return false }
                var offset = 0
                let last = h.count - n.count
                while offset <= last {
                    guard let hit = memchr(hb + offset, Int32(needle[0]), last - offset + 1) else { return false }
                    let at = UnsafeRawPointer(hit) - hb
                    if memcmp(hb + at, nb, n.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}
