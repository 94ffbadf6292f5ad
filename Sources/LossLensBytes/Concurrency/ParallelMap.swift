import Foundation

/// Maps over a collection on several cores and returns the results in input order.
@_spi(Layers) public enum ParallelMap {
    /// The worker count: `LOSSLENS_JOBS` when it is a positive number (`LOSSLENS_JOBS=1` measures
    /// the one-core baseline of a batch), otherwise one per active core.
    @_spi(Layers) public static func workerCount(environment: [String: String] = ProcessEnvironment.variables) -> Int {
        if let text = environment["LOSSLENS_JOBS"], let jobs = Int(text), jobs > 0 { return jobs }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    @_spi(Layers) public static func map<Input, Output>(
        _ inputs: [Input], workers: Int = workerCount(), progress: (@Sendable (Int, Int) -> Void)? = nil,
        _ transform: (Input) -> Output
    ) -> [Output] {
        let slots = Slots<Output>(count: inputs.count)
        let workers = max(1, min(workers, inputs.count))
        // Each worker takes the next unclaimed input, so a slow file does not hold up a fixed share.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = slots.claim() {
                let finished = slots.store(transform(inputs[index]), at: index)
                progress?(finished, inputs.count)
            }
        }
        return slots.values()
    }
}

/// Result storage shared by the worker threads; each index is claimed and written once.
private final class Slots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private var claimed = 0
    private var finished = 0
    private let lock = NSLock()

    @_spi(Layers) public init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    /// The next index no worker has taken, or nil when all are taken.
    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard claimed < storage.count else { return nil }
        claimed += 1
        return claimed - 1
    }

    /// Stores a result and returns how many are finished.
    func store(_ value: Value, at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        storage[index] = value
        finished += 1
        return finished
    }

    @_spi(Layers) public func values() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return storage.map { $0! }
    }
}
