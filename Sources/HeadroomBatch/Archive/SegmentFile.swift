/// One segment file (`segments/<id>.zst`): independent zstd frames appended one after another,
/// so the file as a whole is also a valid multi-frame zstd stream.
///
/// A writer holds an exclusive `flock` on the segment it appends to; committed bytes are
/// recorded in the index, and anything past them (left by a killed writer) is cut off when
/// the next writer takes the segment.
final class SegmentFile {
    let id: Int
    let path: String
    let descriptor: Int32
    /// Current end of the file, including bytes not yet committed.
    private(set) var size: Int

    private init(id: Int, path: String, descriptor: Int32, size: Int) {
        self.id = id
        self.path = path
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    static func path(directory: String, id: Int) -> String { "\(directory)/segments/\(id).zst" }

    /// Opens the segment and takes its writer lock without waiting; nil if another writer has it.
    static func lockForAppend(directory: String, id: Int) throws -> SegmentFile? {
        let path = path(directory: directory, id: id)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HeadroomError(.archive, path, "cannot open segment: \(errnoText(errno))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        var status = stat()
        fstat(fd, &status)
        return SegmentFile(id: id, path: path, descriptor: fd, size: Int(status.st_size))
    }

    /// Appends bytes at the end; returns the offset they start at.
    func append(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        let offset = size
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                try? truncate(to: offset)
                throw HeadroomError(.archive, path, "cannot write segment: \(errnoText(code))")
            }
            done += n
        }
        size += bytes.count
        return offset
    }

    /// Makes every appended byte durable.
    func sync() throws {
        if fdatasync(descriptor) != 0 {
            throw HeadroomError(.archive, path, "cannot sync segment: \(errnoText(errno))")
        }
    }

    /// Cuts the file back to `length` bytes (uncommitted or duplicate frames).
    func truncate(to length: Int) throws {
        if ftruncate(descriptor, off_t(length)) != 0 {
            throw HeadroomError(.archive, path, "cannot truncate segment: \(errnoText(errno))")
        }
        size = length
    }
}

/// Reads whole frames from segment files by offset; keeps descriptors open for reuse.
final class SegmentReader {
    private let directory: String
    private var descriptors: [Int: Int32] = [:]

    init(directory: String) { self.directory = directory }

    deinit { for fd in descriptors.values { close(fd) } }

    /// Reads `count` bytes at `offset` of segment `id` into `buffer`.
    func read(segment id: Int, offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        let fd = try descriptor(id)
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let reason = n == 0 ? "segment is shorter than the index says" : errnoText(errno)
                throw HeadroomError(.archive, SegmentFile.path(directory: directory, id: id), "cannot read block: \(reason)")
            }
            done += n
        }
    }

    private func descriptor(_ id: Int) throws -> Int32 {
        if let fd = descriptors[id] { return fd }
        let path = SegmentFile.path(directory: directory, id: id)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HeadroomError(.archive, path, "cannot open segment: \(errnoText(errno))") }
        descriptors[id] = fd
        return fd
    }
}
