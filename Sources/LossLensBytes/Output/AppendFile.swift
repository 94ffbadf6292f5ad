import Foundation

/// A file that text is appended to all or nothing (the GitHub Actions job summary): when a write
/// fails, the file is cut back to its length before, so no half-written section stays in it.
@_spi(Layers) public final class AppendFile {
    @_spi(Layers) public let channel: OutputChannel
    private let lengthBefore: off_t

    /// Fails when the file cannot be opened: it does not exist (it is not made), is a folder, is
    /// not writable, or is a FIFO no process reads (it is opened without waiting for one).
    @_spi(Layers) public init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputFileError(path: path, errno: errno) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var status = stat()
        lengthBefore = fstat(descriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFREG ? status.st_size : -1
        channel = OutputChannel(descriptor: descriptor, name: path)
    }

    deinit { close(channel.descriptor) }

    /// How many bytes the file held when it was opened (0 when it is not a regular file).
    @_spi(Layers) public var lengthAtOpen: Int { max(0, Int(lengthBefore)) }

    /// Throws when a write failed, after taking the file back to its length before.
    @_spi(Layers) public func finish() throws {
        channel.flush()
        guard let failure = channel.failure else { return }
        if lengthBefore >= 0 { _ = ftruncate(channel.descriptor, lengthBefore) }
        throw OutputFileError(path: channel.name, errno: failure)
    }
}
