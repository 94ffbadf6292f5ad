import Foundation

/// A log file followed by name, as `tail -F` follows it, on the reader thread of a `LogFollower`.
///
/// At the end of what is there it looks every `pollInterval` at the open file and at the name:
/// - the file got shorter than what was read (truncated in place, as logrotate's `copytruncate`
///   does): it is read again from its start;
/// - the name leads to another file (renamed away by a rotation, or deleted and made again): the
///   old file is read to its end, then the new one from its start;
/// - the name leads nowhere (deleted, or renamed and not made again yet): the old file is still
///   read, as its writer may still be writing it, until the name comes back.
/// Each is said once on standard error by the caller. A writer that truncates the file and writes
/// past the old length within one interval cannot be told from one that only appended, by `tail`
/// or by this: the lines before the old length are then missed.
final class FileFollowing: @unchecked Sendable {
    static let pollInterval = 0.1

    private let path: String
    private let idleTimeout: Double?
    private var file: OpenFile
    private var identity: FileIdentity?
    private var position = 0
    private var missing = false

    init(path: String, idleTimeout: Double?) throws {
        self.path = path
        self.idleTimeout = idleTimeout
        file = try OpenFile(path: path)
        identity = FileIdentity(descriptor: file.descriptor)
    }

    func run(_ follower: LogFollower) {
        var buffer = Data(count: LogFollower.readSize)
        var lastData = Date()
        while !follower.isStopped {
            let count = buffer.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, $0.count, off_t(position)) }
            if count > 0 {
                position += count
                lastData = Date()
                // A copy of the bytes read: a slice would keep the whole read buffer per chunk.
                follower.deliver(.data(buffer.subdata(in: 0..<count)))
                continue
            }
            if count < 0 {
                if errno == EINTR { continue }
                follower.deliver(.failed(OpenFile.failure(path).localizedDescription))
                break
            }
            if let event = change() {
                follower.deliver(event)
                lastData = Date()
                continue
            }
            if let idleTimeout, Date().timeIntervalSince(lastData) >= idleTimeout { break }
            Thread.sleep(forTimeInterval: Self.pollInterval)
        }
        follower.finish()
    }

    /// What changed once the open file has nothing more to give, if anything did.
    private func change() -> FollowEvent? {
        var opened = stat()
        if fstat(file.descriptor, &opened) == 0, Int(opened.st_size) < position {
            position = 0
            return .notice("\(path): file truncated; reading it again from the start", startsOver: true)
        }
        guard let named = FileIdentity(path: path) else {
            if missing || errno != ENOENT { return nil }
            missing = true
            return .notice("\(path): removed; still reading the open file until a new one appears", startsOver: false)
        }
        guard named != identity, let next = try? OpenFile(path: path) else {
            missing = false
            return nil
        }
        let appeared = missing
        file = next
        identity = FileIdentity(descriptor: next.descriptor)
        position = 0
        missing = false
        let what = appeared ? "appeared again" : "replaced by a new file"
        return .notice("\(path): \(what); following it from its start", startsOver: true)
    }
}
