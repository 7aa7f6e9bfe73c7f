/// Where the archive lives: `--archive`, else `$HEADROOM_ARCHIVE`, else
/// `$XDG_DATA_HOME/headroom-batch/archive`, else `~/.local/share/headroom-batch/archive`.
public enum ArchiveLocation {
    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["HEADROOM_ARCHIVE"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let dataHome = environment["XDG_DATA_HOME"], !dataHome.isEmpty {
            return dataHome + "/headroom-batch/archive"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return home + "/.local/share/headroom-batch/archive"
    }
}
