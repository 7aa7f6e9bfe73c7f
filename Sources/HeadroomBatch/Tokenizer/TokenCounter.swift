/// Anything that counts tokens of raw bytes. Implementations are immutable and safe to share across threads.
public protocol TokenCounter: Sendable {
    /// Short name shown next to every figure, e.g. "o200k_base" or "estimate (bytes/4)".
    var name: String { get }
    /// False when counts are an approximation; every figure printed from it is then labelled an estimate.
    var isExact: Bool { get }
    /// Number of tokens in `bytes` (any bytes, valid UTF-8 or not).
    func count(_ bytes: UnsafeRawBufferPointer) -> Int
}

extension TokenCounter {
    /// Number of tokens in the UTF-8 bytes of `text`.
    public func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count(UnsafeRawBufferPointer($0)) }
    }

    /// Number of tokens in `bytes`.
    public func count(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { count($0) }
    }
}
