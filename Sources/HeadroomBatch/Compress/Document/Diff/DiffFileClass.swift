/// What a file in a diff is, by its path (and, for generated files, its first lines).
///
/// Lockfiles, generated and vendored files are summarised as one line even in the lossless
/// form (their changes are restorable from the reference, and nobody reads them line by line).
/// The others are all shown; under a budget their changed lines are cut in `cutOrder`:
/// documentation and changelogs first, tests next, configuration and build files after,
/// source code last, since the code and its tests carry what the change does.
enum DiffFileClass: String, Comparable {
    case lockfile
    case generated
    case vendored
    case docs
    case tests
    case config
    case code

    /// Whether the file is shown only as a one-line summary.
    var isSummarised: Bool { self == .lockfile || self == .generated || self == .vendored }

    /// Lower is cut first under a budget.
    var cutOrder: Int {
        switch self {
        case .lockfile, .generated, .vendored: return 0
        case .docs: return 1
        case .tests: return 2
        case .config: return 3
        case .code: return 4
        }
    }

    static func < (a: DiffFileClass, b: DiffFileClass) -> Bool { a.cutOrder < b.cutOrder }

    /// The class of `path`; `head` holds the first added lines of a file that starts in the diff,
    /// to catch "generated" markers.
    static func of(path: String, head: [ArraySlice<UInt8>] = []) -> DiffFileClass {
        let lower = path.lowercased()
        let components = lower.split(separator: "/")
        let name = components.last.map(String.init) ?? lower
        if lockfileNames.contains(name) || name.hasSuffix(".lockfile") { return .lockfile }
        if components.dropLast().contains(where: { vendorDirectories.contains(String($0)) }) { return .vendored }
        if generatedSuffixes.contains(where: { name.hasSuffix($0) }) || name.contains(".generated.")
            || components.dropLast().contains("generated") || head.contains(where: isGeneratedMarker) {
            return .generated
        }
        let directories = components.dropLast().map(String.init)
        if directories.contains(where: { testDirectories.contains($0) }) || name.hasPrefix("test_")
            || name.hasSuffix("_test.go") || name.hasSuffix("_test.py") || name.contains(".test.")
            || name.contains(".spec.") || name.hasSuffix("tests.swift") || name.hasSuffix("test.swift")
            || name.hasSuffix("test.java") || name.hasSuffix("test.kt") || name == "conftest.py" {
            return .tests
        }
        if docExtensions.contains(where: { name.hasSuffix($0) })
            || isDocName(name)
            || directories.contains(where: { docDirectories.contains($0) }) {
            return .docs
        }
        if configExtensions.contains(where: { name.hasSuffix($0) }) || configNames.contains(name) || name.hasPrefix(".") {
            return .config
        }
        return .code
    }

    private static let lockfileNames: Set<String> = [
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock",
        "cargo.lock", "poetry.lock", "pipfile.lock", "pdm.lock", "uv.lock", "go.sum", "gemfile.lock",
        "composer.lock", "podfile.lock", "mix.lock", "pubspec.lock", "flake.lock", "packages.lock.json",
        "package.resolved", "gradle.lockfile", "conan.lock", "deno.lock",
    ]
    private static let vendorDirectories: Set<String> = ["vendor", "node_modules", "third_party", "third-party", "vendored"]
    private static let generatedSuffixes = [
        ".min.js", ".min.css", ".min.mjs", ".js.map", ".css.map", ".pb.go", ".pb.gw.go", "_pb2.py", "_pb2.pyi",
        "_pb2_grpc.py", ".pb.h", ".pb.cc", ".pb.swift", ".grpc.swift", ".g.dart", ".freezed.dart", ".designer.cs",
        "_generated.go", "_gen.go",
    ]
    private static let testDirectories: Set<String> = ["test", "tests", "testing", "__tests__", "spec", "specs", "e2e"]
    private static let docExtensions = [".md", ".rst", ".txt", ".adoc", ".rdoc", ".markdown", ".org", ".tex"]
    private static let docNames = [
        "changelog", "changes", "news", "history", "authors", "contributors", "readme", "license", "copying",
        "notice", "releasenotes", "release-notes",
    ]
    private static let docDirectories: Set<String> = ["doc", "docs", "documentation", "changelog", "changelogs", "man"]
    private static let configExtensions = [
        ".toml", ".yaml", ".yml", ".json", ".ini", ".cfg", ".conf", ".xml", ".gradle", ".properties",
        ".editorconfig", ".mk", ".cmake", ".bazel", ".bzl",
    ]
    private static let configNames: Set<String> = [
        "makefile", "dockerfile", "package.swift", "setup.py", "cmakelists.txt", "build", "workspace",
        "gemfile", "pipfile", "tox.ini",
    ]

    /// `CHANGELOG`, `README.md`, `AUTHORS`…: a known documentation name without a code extension.
    private static func isDocName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", maxSplits: 1)
        guard let base = parts.first, docNames.contains(String(base)) else { return false }
        return parts.count == 1 || docExtensions.contains("." + parts[1])
    }

    /// "@generated", "Code generated … DO NOT EDIT", "<auto-generated", "autogenerated".
    private static func isGeneratedMarker(_ line: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: line.prefix(200), as: UTF8.self).lowercased()
        return text.contains("@generated") || text.contains("do not edit") || text.contains("<auto-generated")
            || text.contains("autogenerated") || text.contains("code generated by")
    }
}
