/// One input to compress: a file path, standard input, or a payload unpacked from a
/// container (a tar member, a tool result of a transcript).
public enum InputSource: Hashable, Sendable, CustomStringConvertible {
    case file(String)
    case standardInput
    case payload(EmbeddedPayload)

    public var description: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "<stdin>"
        case .payload(let payload): return payload.title
        }
    }

    /// The path whose name hints at the kind (a file's path, a tar member's name).
    var pathHint: String? {
        switch self {
        case .file(let path): return path
        case .standardInput: return nil
        case .payload(let payload): return payload.pathHint
        }
    }
}

/// Turns command-line arguments into inputs: files, directories (recursive, sorted), glob
/// patterns (also quoted ones, with `**` for any depth), and `-` or nothing for stdin.
/// Arguments that match nothing become errors; the others are still returned. With
/// `unpacking`, containers (tars, transcripts) are replaced by their payloads
/// (`ContainerUnpacker`).
public enum InputResolver {
    public static func resolve(_ arguments: [String], unpacking: Bool = true) -> (inputs: [InputSource], errors: [HeadroomError]) {
        let (inputs, errors) = resolveFiles(arguments)
        guard unpacking else { return (inputs, errors) }
        let unpacked = ContainerUnpacker.unpack(inputs)
        return (unpacked.inputs, errors + unpacked.errors)
    }

    private static func resolveFiles(_ arguments: [String]) -> (inputs: [InputSource], errors: [HeadroomError]) {
        if arguments.isEmpty { return ([.standardInput], []) }
        var inputs: [InputSource] = []
        var errors: [HeadroomError] = []
        var seen = Set<String>()
        func add(_ path: String) {
            if seen.insert(path).inserted { inputs.append(.file(path)) }
        }
        for argument in arguments {
            if argument == "-" {
                inputs.append(.standardInput)
                continue
            }
            var status = stat()
            if stat(argument, &status) == 0 {
                if (status.st_mode & S_IFMT) == S_IFDIR {
                    walk(argument, into: add)
                } else {
                    add(argument)
                }
            } else if isGlob(argument) {
                let matches = expand(argument)
                if matches.isEmpty {
                    errors.append(HeadroomError(.input, argument, "no files match this pattern"))
                }
                for match in matches { add(match) }
            } else {
                let reason = errno == ENOENT ? "no such file or directory" : errnoText(errno)
                errors.append(HeadroomError(.input, argument, reason))
            }
        }
        return (inputs, errors)
    }

    static func isGlob(_ text: String) -> Bool { text.contains { "*?[".contains($0) } }

    /// Regular files matching a pattern, sorted; `**` matches across directories.
    static func expand(_ pattern: String) -> [String] {
        if pattern.contains("**") {
            let base = String(pattern[..<pattern.range(of: "**")!.lowerBound])
            let root = base.isEmpty ? "." : (base.hasSuffix("/") ? String(base.dropLast()) : base)
            var matches: [String] = []
            walk(root) { path in
                let candidate = base.isEmpty && path.hasPrefix("./") ? String(path.dropFirst(2)) : path
                if fnmatch(pattern.replacingDoubleStar(), candidate, 0) == 0 { matches.append(path) }
            }
            return matches
        }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var matches: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            guard let raw = result.gl_pathv[i] else { continue }
            let path = String(cString: raw)
            var status = stat()
            if stat(path, &status) == 0 {
                if (status.st_mode & S_IFMT) == S_IFDIR { walk(path) { matches.append($0) } } else { matches.append(path) }
            }
        }
        return matches
    }

    /// Every regular file under `directory`, depth first, names sorted bytewise; symlinked
    /// directories are not followed.
    static func walk(_ directory: String, into visit: (String) -> Void) {
        guard let handle = opendir(directory) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names {
            let path = prefix + name
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: walk(path, into: visit)
            case S_IFREG: visit(path)
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG { visit(path) }
            default: continue
            }
        }
    }
}

private extension String {
    /// `a/**/b` means "a/ then anything then b"; fnmatch without FNM_PATHNAME lets `*` cross `/`.
    func replacingDoubleStar() -> String {
        var out = self
        while let range = out.range(of: "**/") { out.replaceSubrange(range, with: "*") }
        while let range = out.range(of: "**") { out.replaceSubrange(range, with: "*") }
        return out
    }
}
