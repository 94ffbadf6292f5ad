import Foundation

/// An input that is not a regular file and is read once, to its end, as it arrives: standard
/// input, a pipe (`<(cmd)`), a named FIFO, a terminal, a device. Its size is unknown, so whoever
/// reads it keeps what it needs (`ByteSpool`) instead of loading it whole.
@_spi(Layers) public final class ByteStream {
    @_spi(Layers) public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// How long to wait for bytes before giving up; nil waits as long as it takes.
    private let idleTimeout: Double?

    /// A descriptor the caller keeps open, read with blocking reads: standard input is waited
    /// for like `cat` waits for it.
    @_spi(Layers) public init(descriptor: Int32 = STDIN_FILENO, name: String = "-") throws {
        guard descriptor != STDIN_FILENO || !StandardStreams.inputWasClosed else {
            throw ReadError.unreadable(path: name, reason: "standard input is closed")
        }
        self.name = name
        self.descriptor = descriptor
        ownsDescriptor = false
        idleTimeout = nil
    }

    /// A named FIFO or device. It is opened without blocking: `open` of a FIFO that no process
    /// writes to would otherwise wait for a writer forever. Reads wait at most `idleTimeout`.
    @_spi(Layers) public init(path: String, idleTimeout: Double?) throws {
        name = path
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw OpenFile.failure(path) }
        ownsDescriptor = true
        self.idleTimeout = idleTimeout
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Whether `path` is something to read as a stream rather than as a file of known size.
    @_spi(Layers) public static func isStream(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFCHR || type == S_IFBLK || type == S_IFSOCK
    }

    /// Reads what has arrived, waiting for it; 0 at the end of the stream.
    @_spi(Layers) public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if ownsDescriptor { try waitForBytes() }
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
            throw OpenFile.failure(name)
        }
    }

    /// Waits until a read will not block. A FIFO that no writer has opened yet is not readable
    /// (Linux reports the hang-up only after a writer came and went), so it is waited for too.
    private func waitForBytes() throws {
        let deadline = idleTimeout.map { Date().addingTimeInterval($0) }
        while true {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            // A deadline that is not a number (a NaN timeout from a library caller) waits not at all, never traps.
            let remaining = deadline.map { deadline -> Int32 in
                let milliseconds = deadline.timeIntervalSinceNow * 1000
                return milliseconds.isNaN ? 0 : Int32(min(max(milliseconds, 0), 3_600_000).rounded(.up))
            } ?? -1
            let result = poll(&ready, 1, remaining)
            if result > 0 { return }
            if result < 0, errno == EINTR { continue }
            if result < 0 { throw OpenFile.failure(name) }
            if let idleTimeout, let deadline, deadline.timeIntervalSinceNow <= 0 {
                throw ReadError.idle(path: name, seconds: idleTimeout)
            }
        }
    }
}
