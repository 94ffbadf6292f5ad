import Foundation

/// Runs jobs on other threads, a bounded number at a time, and hands their results back on the
/// calling thread in the order the jobs were submitted.
///
/// The caller consumes results while it submits, so reading, working and consuming overlap, and at
/// most `limit` results wait in memory.
final class OrderedJobs<Output>: @unchecked Sendable {
    private let limit: Int
    private let condition = NSCondition()
    private let queue = DispatchQueue(label: "losslens.ordered-jobs", qos: .userInitiated, attributes: .concurrent)
    private let running = DispatchGroup()
    private var finished: [Int: Output] = [:]
    private var submitted = 0
    private var delivered = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Starts `job`; first consumes results in order while `limit` jobs are outstanding, then any
    /// that are already done.
    func submit(_ job: @escaping () -> Output, consume: (Output) throws -> Void) rethrows {
        while submitted - delivered >= limit { try consume(next(waiting: true)!) }
        let index = submitted
        submitted += 1
        running.enter()
        queue.async { [self] in
            let output = job()
            condition.lock()
            finished[index] = output
            condition.broadcast()
            condition.unlock()
            running.leave()
        }
        while let ready = next(waiting: false) { try consume(ready) }
    }

    /// Consumes the remaining results in order.
    func finish(consume: (Output) throws -> Void) rethrows {
        while delivered < submitted { try consume(next(waiting: true)!) }
    }

    /// Waits for the jobs still running, whose results are not wanted (the caller gave up early).
    func abandon() {
        running.wait()
    }

    private func next(waiting: Bool) -> Output? {
        condition.lock()
        defer { condition.unlock() }
        guard delivered < submitted else { return nil }
        while finished[delivered] == nil {
            guard waiting else { return nil }
            condition.wait()
        }
        let output = finished.removeValue(forKey: delivered)
        delivered += 1
        return output
    }
}
