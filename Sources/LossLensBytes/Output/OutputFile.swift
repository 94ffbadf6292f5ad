import Foundation

/// Writes a report to a path so that no reader ever sees half of it and nothing but the report's
/// own file changes: `channel` takes the pieces, `commit` puts them in place.
///
/// - A new file, or a regular file with one name, is made whole in a temporary file beside it
///   (same folder, so the same file system) with the old file's mode, owner and group, then
///   renamed over it: until then the old report stays, and on a failure (a full disk) the
///   temporary file is removed and the old report is untouched.
/// - A regular file with hard links, or whose owner cannot be kept, or in a folder losslens may not
///   write, is rewritten in place, so every name keeps seeing it: the report is first made whole
///   in a spool, then the file's room is reserved (`posix_fallocate`) before its bytes are
///   replaced, so a full disk is found before anything is overwritten.
/// - A symbolic link is followed: its target is written and the link stays a link.
/// - FIFOs, devices and `/dev/stdout` are written through as they come.
@_spi(Layers) public final class OutputFile {
    @_spi(Layers) public let path: String
    /// Where the report's pieces go.
    @_spi(Layers) public let channel: OutputChannel
    private let plan: Plan
    private var finished = false

    private enum Plan {
        case direct
        case rename(temporary: String, final: String)
        case rewrite(final: String)
    }

    @_spi(Layers) public init(path: String) throws {
        self.path = path
        let target = try OutputTarget.resolve(path)
        switch target {
        case let .descriptor(descriptor):
            let copy = dup(descriptor)
            guard copy >= 0 else { throw OutputFileError(path: path, errno: errno) }
            channel = OutputChannel(descriptor: copy, name: path)
            plan = .direct
        case let .stream(file):
            let descriptor = open(file, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw OutputFileError(path: path, errno: errno) }
            channel = OutputChannel(descriptor: descriptor, name: path)
            plan = .direct
        case let .create(file):
            let (descriptor, temporary) = try Self.temporaryFile(beside: file, for: path)
            _ = fchmod(descriptor, 0o666 & ~Self.umask())
            channel = OutputChannel(descriptor: descriptor, name: path)
            plan = .rename(temporary: temporary, final: file)
        case let .replace(file, status):
            if let (descriptor, temporary) = try? Self.temporaryFile(beside: file, for: path), Self.keep(status, on: descriptor) {
                channel = OutputChannel(descriptor: descriptor, name: path)
                plan = .rename(temporary: temporary, final: file)
            } else {
                (channel, plan) = try Self.rewriting(file, for: path)
            }
        case let .rewrite(file):
            (channel, plan) = try Self.rewriting(file, for: path)
        }
    }

    deinit {
        if !finished { discard() }
        close(channel.descriptor)
    }

    /// Puts the report in place; throws, leaving the old file as it was, when it cannot be.
    @_spi(Layers) public func commit() throws {
        channel.flush()
        finished = true
        if let failure = channel.failure {
            discard()
            throw OutputFileError(path: path, errno: failure)
        }
        switch plan {
        case .direct:
            return
        case let .rename(temporary, final):
            guard rename(temporary, final) == 0 else {
                let failure = errno
                discard()
                throw OutputFileError(path: path, errno: failure)
            }
            TemporaryFiles.forget(temporary)
        case let .rewrite(final):
            try copyInPlace(to: final)
        }
    }

    /// Leaves everything as it was: the temporary file goes.
    private func discard() {
        if case let .rename(temporary, _) = plan {
            unlink(temporary)
            TemporaryFiles.forget(temporary)
        }
    }

    // MARK: - Replacing

    /// A temporary file in the folder of `file`, named after it and hidden, registered for removal
    /// should the process be stopped by a signal before it is renamed.
    private static func temporaryFile(beside file: String, for path: String) throws -> (Int32, String) {
        let folder = OutputTarget.folder(of: file)
        let name = "." + (file as NSString).lastPathComponent + ".losslens-XXXXXX"
        var template = Array((folder as NSString).appendingPathComponent(name).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFileError(path: path, errno: errno) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        TemporaryFiles.remember(temporary)
        return (descriptor, temporary)
    }

    /// Gives the temporary file the old file's mode, owner and group; false (and the temporary file
    /// removed) when the owner cannot be kept, so the file is rewritten in place instead.
    private static func keep(_ status: stat, on descriptor: Int32) -> Bool {
        if status.st_uid != geteuid() || status.st_gid != getegid() {
            guard fchown(descriptor, status.st_uid, status.st_gid) == 0 else { return false }
        }
        return fchmod(descriptor, status.st_mode & 0o7777) == 0
    }

    private static func umask() -> mode_t {
        let mask = Foundation.umask(0o022)
        _ = Foundation.umask(mask)
        return mask
    }

    // MARK: - Rewriting in place

    /// The report goes to an unnamed spool first; `copyInPlace` moves it into the file.
    private static func rewriting(_ file: String, for path: String) throws -> (OutputChannel, Plan) {
        guard access(file, W_OK) == 0 else { throw OutputFileError(path: path, errno: errno) }
        let spool = try AnonymousFile.make()
        return (OutputChannel(descriptor: spool, name: path), .rewrite(final: file))
    }

    private func copyInPlace(to file: String) throws {
        let size = lseek(channel.descriptor, 0, SEEK_CUR)
        // Read access too where it is allowed: on file systems without `fallocate` (ext2, NFSv3)
        // glibc reserves the room by reading and rewriting a byte of every block.
        var target = open(file, O_RDWR | O_CLOEXEC)
        if target < 0, errno == EACCES { target = open(file, O_WRONLY | O_CLOEXEC) }
        guard size >= 0, target >= 0 else { throw OutputFileError(path: path, errno: errno) }
        defer { close(target) }
        #if os(Linux)
        // Room first: a disk too full for the report fails here, before a byte is overwritten.
        // Where room cannot be reserved (EOPNOTSUPP; EBADF: that emulation on a file open for
        // writing only) the file is written without the reservation.
        let reserved = posix_fallocate(target, 0, size)
        if reserved != 0 && reserved != EOPNOTSUPP && reserved != EINVAL && reserved != EBADF {
            throw OutputFileError(path: path, errno: reserved)
        }
        #endif
        let copy = OutputChannel(descriptor: target, name: path)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while offset < size {
            let count = buffer.withUnsafeMutableBytes { pread(channel.descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw OutputFileError(path: path, errno: count < 0 ? errno : EIO) }
            buffer.withUnsafeBytes { copy.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            if let failure = copy.failure { throw OutputFileError(path: path, errno: failure) }
            offset += off_t(count)
        }
        guard ftruncate(target, size) == 0 else { throw OutputFileError(path: path, errno: errno) }
    }
}

/// A file with no name in `$TMPDIR`: gone when its descriptor is closed, whatever ends the process.
@_spi(Layers) public enum AnonymousFile {
    /// The descriptor, open for reading and writing; the reason when no file can be made there.
    @_spi(Layers) public static func make() throws -> Int32 {
        let folder = NSTemporaryDirectory()
        var template = Array((folder as NSString).appendingPathComponent("losslens-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFileError(path: folder, errno: errno) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }
}
