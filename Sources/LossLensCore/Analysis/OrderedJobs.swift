import Foundation

/// Runs jobs on other threads, a bounded number at a time, and consumes their results one at a time
/// in the order the jobs were submitted, on the thread that finished the result next in line (or
/// one that finished a later result while it was being consumed).
///
/// The submitting thread only hands out work and waits. Consuming on the submitting thread made it a
/// third busy thread on two cores, sharing them with the workers while every result waited for it;
/// consumed by the workers, each core is reading or consuming, and whichever is free does it.
final class OrderedJobs<Output>: @unchecked Sendable {
    private let limit: Int
    /// Returns false when it wants no more results (then no further job is started).
    private let consume: (Output) throws -> Bool
    private let condition = NSCondition()
    private let queue = DispatchQueue(label: "losslens.ordered-jobs", qos: .userInitiated, attributes: .concurrent)
    private let running = DispatchGroup()
    private var finished: [Int: Output] = [:]
    private var submitted = 0
    private var consumed = 0
    private var isConsuming = false
    private var stopped = false
    private var failure: Error?

    init(limit: Int, consume: @escaping (Output) throws -> Bool) {
        self.limit = max(1, limit)
        self.consume = consume
    }

    /// Starts `job` once fewer than `limit` results are waiting to be consumed. Returns false, and
    /// starts nothing, once `consume` wants no more; throws what `consume` threw.
    func submit(_ job: @escaping () -> Output) throws -> Bool {
        condition.lock()
        while submitted - consumed >= limit, !stopped, failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        guard !stopped else {
            condition.unlock()
            return false
        }
        let index = submitted
        submitted += 1
        condition.unlock()
        running.enter()
        queue.async { [self] in
            deliver(job(), at: index)
            running.leave()
        }
        return true
    }

    /// Waits until every job has ended and its result has been consumed; throws what `consume` threw.
    func finish() throws {
        running.wait()
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
    }

    /// Waits for the jobs still running, whose results are not wanted (the caller gave up early).
    func abandon() {
        condition.lock()
        stopped = true
        condition.unlock()
        running.wait()
    }

    private func deliver(_ output: Output, at index: Int) {
        condition.lock()
        defer { condition.unlock() }
        finished[index] = output
        // Another thread is consuming: it takes this result too when its turn comes.
        guard !isConsuming else { return }
        isConsuming = true
        while let next = finished.removeValue(forKey: consumed) {
            let wanted = !stopped && failure == nil
            condition.unlock()
            var outcome: Result<Bool, Error> = .success(true)
            if wanted { outcome = Result { try consume(next) } }
            condition.lock()
            consumed += 1
            switch outcome {
            case .success(let more): if !more { stopped = true }
            case .failure(let error): if failure == nil { failure = error }
            }
            condition.broadcast()
        }
        isConsuming = false
    }
}
