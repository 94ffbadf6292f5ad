/// Values computed per index (the cells of a table row), each at most once until `forgetAll`.
///
/// The values live in memory of the memo's own rather than in arrays: an array checks on every
/// write that no copy shares its memory, and the cells of a large table are asked for several
/// times each. Here asking checks only the index. Forgetting is one increment: each value is
/// stamped with the round it was computed in, and values of earlier rounds count as unknown.
@_spi(Layers) public final class IndexMemo<Value: BitwiseCopyable> {
    /// Per index, the round its value was computed in (0: never).
    private var rounds: UnsafeMutablePointer<UInt32>
    private var values: UnsafeMutablePointer<Value>
    private var capacity: Int
    private var round: UInt32 = 1

    @_spi(Layers) public init(capacity: Int = 16) {
        self.capacity = Swift.max(1, capacity)
        rounds = .allocate(capacity: self.capacity)
        rounds.initialize(repeating: 0, count: self.capacity)
        values = .allocate(capacity: self.capacity)
    }

    deinit {
        rounds.deallocate()
        values.deallocate()
    }

    /// Forgets every value.
    @_spi(Layers) public func forgetAll() {
        round &+= 1
        if round == 0 {
            // After 2^32 rounds the stamps start over.
            rounds.update(repeating: 0, count: capacity)
            round = 1
        }
    }

    /// The value at `index`, made by `compute` the first time it is asked for.
    @inline(__always)
    @_spi(Layers) public func value(at index: Int, _ compute: () -> Value) -> Value {
        // A negative index is past the capacity too, as an unsigned number: `grow` refuses it.
        if UInt(bitPattern: index) >= UInt(bitPattern: capacity) { grow(to: index + 1) }
        if rounds[index] == round { return values[index] }
        let value = compute()
        // `compute` may have asked for other indices and moved the memory: the pointers are read again.
        values[index] = value
        rounds[index] = round
        return value
    }

    /// Makes room for `count` indices, the new ones unknown.
    private func grow(to count: Int) {
        precondition(count > 0, "index out of range")
        let grown = Swift.max(count, 2 * capacity)
        let newRounds = UnsafeMutablePointer<UInt32>.allocate(capacity: grown)
        let newValues = UnsafeMutablePointer<Value>.allocate(capacity: grown)
        newRounds.initialize(from: rounds, count: capacity)
        (newRounds + capacity).initialize(repeating: 0, count: grown - capacity)
        newValues.initialize(from: values, count: capacity)
        rounds.deallocate()
        values.deallocate()
        rounds = newRounds
        values = newValues
        capacity = grown
    }
}
