import Foundation

/// What `inspect` reports for one input: the section a compress run gives, with its kind and
/// the reason for it, found by compressing into a temporary archive that is removed
/// afterwards (the user's archive is never touched).
public enum Inspection {
    /// The section `input` gives with `options` (`options.kind` overrides the detection).
    public static func inspect(_ input: InputSource, options: CompressOptions, tokenizer: TokenCounter) throws -> Section {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("headroom-inspect-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let archive = try Archive(path: scratch, create: true)
        var section: Section?
        var failure: HeadroomError?
        _ = CompressRun(options: options, archive: archive, tokenizer: tokenizer)
            .run([input], failed: { failure = $0 }, emit: { section = $0 })
        if let failure { throw failure }
        guard let section else { throw HeadroomError(.input, input.description, "produced no section") }
        return section
    }
}
