import Foundation

/// Runs numbered jobs on `workers` threads, at most `limit` ahead of the consumer, and consumes their
/// results one at a time in job order, on the thread that finished the result next in line (or one
/// that finished a later result while it was being consumed).
///
/// Each worker takes the next job itself. An earlier version had the calling thread hand jobs to a
/// dispatch queue: that thread woke for every job, and the queue ran more threads than cores, which
/// the kernel queued on one core while the other sat idle (a fifth of the time on a log of short
/// lines). Consumed by the workers, each core is reading or consuming, and whichever is free does it.
@_spi(Layers) public final class OrderedJobs<Output>: @unchecked Sendable {
    private let count: Int
    private let limit: Int
    private let job: (Int) -> Output
    /// Returns false when it wants no more results (then no further job is started).
    private let consume: (Output) throws -> Bool
    private let condition = NSCondition()
    private var finished: [Int: Output] = [:]
    private var started = 0
    private var consumed = 0
    private var isConsuming = false
    private var stopped = false
    private var failure: Error?

    private init(count: Int, limit: Int, job: @escaping (Int) -> Output, consume: @escaping (Output) throws -> Bool) {
        self.count = count
        self.limit = max(1, limit)
        self.job = job
        self.consume = consume
    }

    /// Runs jobs `0..<count` and consumes their results in order; returns once every started job's
    /// result is consumed, or throws what `consume` threw. Once `consume` returns false or throws, no
    /// further job starts.
    @_spi(Layers) public static func run(
        count: Int, workers: Int, limit: Int, job: @escaping (Int) -> Output, consume: @escaping (Output) throws -> Bool
    ) throws {
        let jobs = OrderedJobs(count: count, limit: limit, job: job, consume: consume)
        // The calling thread is one of the workers. The others run on a queue of its own, which
        // gets threads even when the shared pool is busy (a batch reads other files on every core):
        // `concurrentPerform` nested in the batch's would read a large log on one core.
        let queue = DispatchQueue(label: "losslens.ordered-jobs", qos: .userInitiated, attributes: .concurrent)
        let others = DispatchGroup()
        for _ in 1..<max(1, min(workers, count)) {
            queue.async(group: others) { jobs.work() }
        }
        jobs.work()
        others.wait()
        if let failure = jobs.failure { throw failure }
    }

    /// Runs `read` on the byte ranges of `blockBytes` that cover `0..<size` in order (the last one
    /// shorter), at most two per worker ahead of the consumer, and consumes the results in order
    /// (see `run`): how a large log or table is read on several cores.
    @_spi(Layers) public static func runBlocks(
        size: Int, blockBytes: Int, workers: Int, read: @escaping (Range<Int>) -> Output, consume: @escaping (Output) throws -> Bool
    ) throws {
        try run(count: (size + blockBytes - 1) / blockBytes, workers: workers, limit: 2 * workers,
                job: { index in
                    let start = index * blockBytes
                    return read(start..<Swift.min(size, start + blockBytes))
                },
                consume: consume)
    }

    private func work() {
        while let index = nextJob() {
            deliver(job(index), at: index)
        }
    }

    /// The next job to run, once fewer than `limit` results wait to be consumed; nil when there is
    /// none left or no more are wanted.
    private func nextJob() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while started - consumed >= limit, !stopped, failure == nil { condition.wait() }
        guard started < count, !stopped, failure == nil else { return nil }
        started += 1
        return started - 1
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
