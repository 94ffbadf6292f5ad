import Foundation

/// Maps over a collection on all cores and returns the results in input order.
enum ParallelMap {
    static func map<Input, Output>(
        _ inputs: [Input], progress: (@Sendable (Int, Int) -> Void)? = nil, _ transform: (Input) -> Output
    ) -> [Output] {
        let slots = Slots<Output>(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            let finished = slots.store(transform(inputs[index]), at: index)
            progress?(finished, inputs.count)
        }
        return slots.values()
    }
}

/// Result storage shared by the worker threads; each index is written once.
private final class Slots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private var finished = 0
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    /// Stores a result and returns how many are finished.
    func store(_ value: Value, at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        storage[index] = value
        finished += 1
        return finished
    }

    func values() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return storage.map { $0! }
    }
}
