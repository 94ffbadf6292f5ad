import Foundation
import LossLensCore

/// Delivers a log's bytes as they are written: standard input until end of file, or a file that
/// is followed as it grows. A reader thread blocks on the input; `next(timeout:)` returns an empty
/// chunk when nothing arrived in time (so the caller can run overdue work) and nil at the end.
final class LogFollower: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Data] = []
    private var ended = false

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
            throw LossLensError.unreadable(path: path, reason: "no such file, or permission denied")
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
        condition.lock()
        if let data { chunks.append(data) } else { ended = true }
        condition.signal()
        condition.unlock()
    }

    /// The next chunk; an empty chunk after `timeout` seconds without data; nil once the input ended.
    func next(timeout: TimeInterval) -> Data? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while chunks.isEmpty && !ended {
            if !condition.wait(until: deadline) { return Data() }
        }
        if !chunks.isEmpty {
            let joined = chunks.reduce(into: Data()) { $0.append($1) }
            chunks.removeAll()
            return joined
        }
        return nil
    }
}
