/// What a record field says about its record, decided once per field from its key (generic
/// API and event conventions, not any one schema).
enum FieldRole: UInt8 {
    case none
    /// `error`, `exception`, …: the record failed when the value is not null, false or empty.
    case error
    /// `status`, `status_code`, …: a number from 400 to 599 is a failure; for `status` a
    /// failure word too (`"failed"`).
    case status
    /// `level`, `severity`, `state`, `conclusion`, …: a failure word (`error`, `failed`, `timed_out`).
    case outcome
    /// `ok`, `success`, …: `false` is a failure.
    case success
    /// A top-level number that measures something (not an id or counter): its largest value
    /// is worth showing.
    case measure
}

enum RecordSignals {
    private static let errorKeys: Set<String> = ["error", "errors", "err", "exception", "failure", "fault", "error_message",
                                                 "errormessage", "error_code", "stacktrace", "stack_trace", "traceback"]
    private static let statusKeys: Set<String> = ["status", "status_code", "statuscode", "http_status", "httpstatus",
                                                  "response_code", "code"]
    private static let outcomeKeys: Set<String> = ["level", "severity", "log_level", "loglevel", "lvl", "state",
                                                   "conclusion", "result", "outcome"]
    private static let successKeys: Set<String> = ["ok", "success", "succeeded", "passed"]
    private static let failedWords: Set<[UInt8]> = Set(["failure", "failed", "fail", "error", "errored", "timed_out",
                                                       "timeout", "crashed", "fatal", "critical", "panic"].map { Array($0.utf8) })

    /// The role of a field whose last key is `key`; `topLevel` for members of the record itself.
    static func role(key: ArraySlice<UInt8>?, topLevel: Bool) -> FieldRole {
        guard let key else { return .none }
        let name = String(decoding: key, as: UTF8.self).lowercased()
        if errorKeys.contains(name) { return .error }
        if statusKeys.contains(name) { return .status }
        if outcomeKeys.contains(name) { return .outcome }
        if successKeys.contains(name) { return .success }
        return topLevel && !isIdentifier(key) ? .measure : .none
    }

    /// Why a value of a field with `role` marks a failed record (e.g. `status=503`), or nil.
    static func failure(_ role: FieldRole, key: UnsafeRawBufferPointer, kind: JSONKind, text: UnsafeRawBufferPointer) -> String? {
        let failed: Bool
        switch role {
        case .none, .measure:
            return nil
        case .error:
            failed = kind != .null && kind != .false && text.count > 2
        case .status:
            if kind == .number, let value = NumberText.value(text) {
                failed = value >= 400 && value < 600 && value == value.rounded()
            } else {
                failed = kind == .string && isFailureWord(text)
            }
        case .outcome:
            failed = kind == .string && isFailureWord(text)
        case .success:
            failed = kind == .false
        }
        guard failed else { return nil }
        let value = text.count > 60 ? String(decoding: text.prefix(57), as: UTF8.self) + "…" : String(decoding: text, as: UTF8.self)
        return "\(String(decoding: key, as: UTF8.self))=\(value)"
    }

    /// A quoted string whose content is a failure word, in any case.
    private static func isFailureWord(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 4, text.count <= 12 else { return false }
        return failedWords.contains(text.dropFirst().dropLast().map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
    }

    /// True for keys that name identifiers or counters rather than measures (`id`, `user_id`,
    /// `userId`, `number`, `index`).
    static func isIdentifier(_ key: ArraySlice<UInt8>) -> Bool {
        let name = String(decoding: key, as: UTF8.self)
        let lower = name.lowercased()
        return ["id", "number", "index", "idx", "seq"].contains(lower) || lower.hasSuffix("_id") || lower.hasSuffix("ids")
            || name.hasSuffix("Id") || lower.hasSuffix("_number") || lower.hasSuffix("_at") || lower.hasSuffix("time")
            || lower.hasSuffix("timestamp") || lower.hasSuffix("date")
    }
}
