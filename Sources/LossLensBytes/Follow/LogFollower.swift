import Foundation

/// What a followed log gives next.
@_spi(Layers) public enum FollowEvent: Equatable {
    /// Bytes as they were written; empty when nothing arrived in the time asked for.
    case data(Data)
    /// Something happened to the file (truncated, replaced, removed), said for the user. After a
    /// truncation or a replacement the log `startsOver`: the next bytes are the new file's first.
    case notice(String, startsOver: Bool)
    /// Reading failed; nothing more comes.
    case failed(String)
}

/// Delivers a log's bytes as they are written: standard input, a pipe or a device until it ends,
/// or a file followed by name as it grows, the way `tail -F` does (see `FileFollowing`). A reader
/// thread blocks on the input; `next(timeout:)` returns an empty chunk when nothing arrived in
/// time (so the caller can run overdue work) and nil at the end.
///
/// At most `queueLimit` bytes wait for the caller: past that the reader stops reading until they
/// are taken, so a writer faster than the analysis waits on its pipe, as it would with `tee`,
/// instead of the backlog growing in memory.
@_spi(Layers) public final class LogFollower: @unchecked Sendable {
    @_spi(Layers) public static let queueLimit = 1 << 20
    static let readSize = 256 << 10

    private let condition = NSCondition()
    private var events: [FollowEvent] = []
    private var queuedBytes = 0
    private var ended = false
    private var stopped = false

    /// Opens `path` (`-` for standard input) and starts reading it. Fails, before anything is read,
    /// when it does not exist, is a folder, or cannot be opened: the caller exits with status 2.
    /// `idleTimeout` ends the following after that many seconds without new bytes.
    @_spi(Layers) public init(path: String, idleTimeout: Double?) throws {
        if path == "-" || path == "/dev/stdin" {
            let stream = try ByteStream(descriptor: STDIN_FILENO, name: "-")
            start { self.pump(stream) }
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw OpenFile.failure(path) }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            throw ReadError.unreadable(path: path, reason: String(cString: strerror(EISDIR)))
        case S_IFREG:
            let following = try FileFollowing(path: path, idleTimeout: idleTimeout)
            start { following.run(self) }
        default:
            let stream = try ByteStream(path: path, idleTimeout: idleTimeout)
            start { self.pump(stream) }
        }
    }

    private func start(_ body: @escaping @Sendable () -> Void) {
        Thread.detachNewThread(body)
    }

    /// A stream is read to its end; its idle timeout is an end too, not a failure.
    private func pump(_ stream: ByteStream) {
        var buffer = Data(count: Self.readSize)
        while !isStopped {
            do {
                let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
                if count == 0 { break }
                // A copy of the bytes read: a slice would keep the whole read buffer per chunk.
                deliver(.data(buffer.subdata(in: 0..<count)))
            } catch ReadError.idle {
                break
            } catch {
                deliver(.failed(error.localizedDescription))
                break
            }
        }
        finish()
    }

    /// Hands an event to the caller, waiting while too many bytes are queued.
    func deliver(_ event: FollowEvent) {
        condition.lock()
        while queuedBytes >= Self.queueLimit && !stopped { condition.wait() }
        events.append(event)
        if case let .data(data) = event { queuedBytes += data.count }
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Ends the following (a signal): the next `next` returns nil at once, the reader stops at
    /// its next chance.
    @_spi(Layers) public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next event: runs of bytes are joined into one chunk, an empty chunk after `timeout`
    /// seconds without any; nil once the input ended or `stop` was called.
    @_spi(Layers) public func next(timeout: TimeInterval) -> FollowEvent? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while events.isEmpty && !ended && !stopped {
            if !condition.wait(until: deadline) { return .data(Data()) }
        }
        if stopped { return nil }
        guard !events.isEmpty else { return nil }
        guard case .data = events[0] else { return events.removeFirst() }
        var joined = Data()
        while case let .data(data)? = events.first {
            joined.append(data)
            events.removeFirst()
        }
        queuedBytes = 0
        for event in events { if case let .data(data) = event { queuedBytes += data.count } }
        condition.broadcast()
        return .data(joined)
    }
}
