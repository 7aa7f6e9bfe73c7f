/// Finds the tokenizer for token figures: `--tokenizer FILE`, else `$HEADROOM_TOKENIZER`, else
/// `o200k_base.tiktoken` in the data directory (`$XDG_DATA_HOME/headroom-batch` or
/// `~/.local/share/headroom-batch`). Without a ranks file, an estimate that says so.
public enum TokenizerLocation {
    public static func load(explicit: String?, environment: [String: String]) throws -> TokenCounter {
        if let explicit, !explicit.isEmpty { return try BPETokenizer(ranksFile: explicit) }
        if let path = environment["HEADROOM_TOKENIZER"], !path.isEmpty { return try BPETokenizer(ranksFile: path) }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? ".") + "/.local/share"
        let fallback = dataHome + "/headroom-batch/o200k_base.tiktoken"
        if access(fallback, R_OK) == 0 { return try BPETokenizer(ranksFile: fallback) }
        return EstimatedTokenCounter()
    }
}
