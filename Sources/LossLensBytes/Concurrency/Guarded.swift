import Foundation

/// A value shared by threads behind a lock, which threads can also wait on until the value is the
/// way they need it (a queue with room, a chunk to take). The type that holds one is then `Sendable`
/// without vouching for itself.
///
/// Every access wakes the threads waiting on the value, since it may have changed.
@_spi(Layers) public final class Guarded<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value

    @_spi(Layers) public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` on the value under the lock.
    @_spi(Layers) public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&value)
    }

    /// Waits until `isReady` holds for the value or `deadline` passes, then runs `body` on the
    /// value under the lock; `body` is told whether the wait ended at the deadline (then
    /// `isReady` may not hold).
    @_spi(Layers) public func withLock<Result>(
        when isReady: (Value) -> Bool, before deadline: Date? = nil, _ body: (inout Value, _ timedOut: Bool) throws -> Result
    ) rethrows -> Result {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        var timedOut = false
        while !isReady(value), !timedOut {
            if let deadline {
                timedOut = !condition.wait(until: deadline)
            } else {
                condition.wait()
            }
        }
        return try body(&value, timedOut)
    }
}
