/// The corpus lines of one part as the run's state keeps them: per record its text hash,
/// the text member's span, its pointer and its line, little-endian, one after another.
enum CorpusRecordEncoding {
    static func encode(_ records: [CorpusRecordLine]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(records.reduce(0) { $0 + $1.line.count + $1.pointer.count + 32 })
        for record in records {
            append64(record.textHash.high, to: &out)
            append64(record.textHash.low, to: &out)
            append32(record.line.count, to: &out)
            append32(record.textMember.lowerBound, to: &out)
            append32(record.textMember.upperBound, to: &out)
            append32(record.pointer.count, to: &out)
            out.append(contentsOf: record.line)
            out.append(contentsOf: record.pointer)
        }
        return out
    }

    /// Calls `visit` with each record of `encoded`, in order; stops at a truncated entry.
    static func forEach(_ encoded: [UInt8], _ visit: (CorpusRecordLine) throws -> Void) rethrows {
        var at = 0
        func read64() -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(encoded[at + i]) << (8 * UInt64(i)) }
            at += 8
            return value
        }
        func read32() -> Int {
            var value = 0
            for i in 0..<4 { value |= Int(encoded[at + i]) << (8 * i) }
            at += 4
            return value
        }
        while at + 32 <= encoded.count {
            let hash = CorpusRecordLine.TextHash(high: read64(), low: read64())
            let lineCount = read32(), textStart = read32(), textEnd = read32(), pointerCount = read32()
            guard at + lineCount + pointerCount <= encoded.count, textStart <= textEnd, textEnd <= lineCount else { return }
            let line = Array(encoded[at..<(at + lineCount)])
            let pointer = Array(encoded[(at + lineCount)..<(at + lineCount + pointerCount)])
            at += lineCount + pointerCount
            try visit(CorpusRecordLine(line: line, textMember: textStart..<textEnd, pointer: pointer, textHash: hash))
        }
    }

    private static func append64(_ value: UInt64, to out: inout [UInt8]) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    private static func append32(_ value: Int, to out: inout [UInt8]) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }
}
