import HeadroomBatch

#if canImport(Glibc)
import Glibc
#endif

/// The process environment as a dictionary.
let environment: [String: String] = {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}()

/// Writing to stdout and stderr without Foundation; stdout is buffered in large writes.
enum Console {
    private static var buffer: [UInt8] = []

    static func out(_ bytes: UnsafeRawBufferPointer) {
        if buffer.count + bytes.count > 1 << 20 { flush() }
        if bytes.count > 1 << 20 { writeAll(1, bytes); return }
        buffer.append(contentsOf: bytes)
    }

    static func out(_ bytes: [UInt8]) { bytes.withUnsafeBytes { out($0) } }
    static func out(_ text: String) { out(Array(text.utf8)) }

    static func flush() {
        buffer.withUnsafeBytes { writeAll(1, $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A line on stderr.
    static func note(_ text: String) {
        let line = Array((text + "\n").utf8)
        line.withUnsafeBytes { writeAll(2, $0) }
    }

    static func error(_ error: Error) {
        note("headroom-batch: error: \(error)")
    }

    /// Rewrites a progress line in place on a terminal.
    static func progress(_ text: String) {
        let line = Array(("\r\u{1B}[K" + text).utf8)
        line.withUnsafeBytes { writeAll(2, $0) }
    }

    static func clearProgress() { progress("") }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                if fd == 1 {
                    // The reader went away (e.g. `| head`): the archive is already committed.
                    _exit(errno == EPIPE ? 0 : 1)
                }
                return
            }
            done += n
        }
    }
}
