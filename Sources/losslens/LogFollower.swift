import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// Delivers a log's bytes as they are written: standard input until end of file, or a file that
/// is followed as it grows. A reader thread blocks on the input; `next(timeout:)` returns an empty
/// chunk when nothing arrived in time (so the caller can run overdue work) and nil at the end.
///
/// At most `queueLimit` bytes wait for the caller: past that the reader stops reading until they
/// are taken, so a writer faster than the analysis waits on its pipe, as it would with `tee`,
/// instead of the backlog growing in memory.
final class LogFollower: Sendable {
    static let queueLimit = 4 << 20

    /// What the reader thread delivered and the caller has not taken yet.
    private struct Queue {
        var chunks: [Data] = []
        var queuedBytes = 0
        var ended = false
    }

    private let queue = Guarded(Queue())

    init(path: String, idleTimeout: Double?) throws {
        if path == "-" {
            let handle = FileHandle.standardInput
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    self.deliver(data.isEmpty ? nil : data)
                    if data.isEmpty { return }
                }
            }
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        Thread.detachNewThread { [self] in
            var lastData = Date()
            while true {
                let data = handle.availableData
                if !data.isEmpty {
                    lastData = Date()
                    self.deliver(data)
                    continue
                }
                if let idleTimeout, Date().timeIntervalSince(lastData) >= idleTimeout {
                    self.deliver(nil)
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    private func deliver(_ data: Data?) {
        queue.withLock(when: { $0.queuedBytes < Self.queueLimit }) { queue, _ in
            if let data {
                queue.chunks.append(data)
                queue.queuedBytes += data.count
            } else {
                queue.ended = true
            }
        }
    }

    /// The next chunk; an empty chunk after `timeout` seconds without data; nil once the input ended.
    func next(timeout: TimeInterval) -> Data? {
        let deadline = Date().addingTimeInterval(timeout)
        return queue.withLock(when: { !$0.chunks.isEmpty || $0.ended }, before: deadline) { queue, timedOut in
            if timedOut { return Data() }
            guard !queue.chunks.isEmpty else { return nil }
            let joined = queue.chunks.count == 1 ? queue.chunks[0] : queue.chunks.reduce(into: Data()) { $0.append($1) }
            queue.chunks.removeAll()
            queue.queuedBytes = 0
            return joined
        }
    }
}
