import Foundation

/// The screen states of a long progress-bar line (thousands of `\r` redraws, each with its escape
/// sequences and backspaces), found on the raw bytes: only the few states that are read get cleaned.
///
/// Cleaning keeps the digit shape: escape sequences end at a byte that is no digit, and backspaces
/// and invalid UTF-8 are told apart from digits. So two raw states of the same digit shape give
/// cleaned states of the same digit shape, and a redraw that repeats the raw shape of the state
/// before it is found with one comparison of raw bytes. States where the raw shape changes are
/// cleaned and compared as `ScreenLine` would.
///
/// `load` refuses a line whose states cannot be cleaned one by one as the whole line would be (an
/// escape sequence left open at a `\r`, which cleaning the whole line would swallow): such a line
/// is loaded into a `ScreenLine`.
@_spi(Layers) public struct RedrawnStates: ScreenStates {
    @_spi(Layers) public init() {}

    /// Lines shorter than this are loaded into a `ScreenLine`: they hold few redraws.
    @_spi(Layers) public static let minimumBytes = 4096

    private var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Runs of states that are not blank, between `\r`s, each state with the raw shape of the one
    /// before it; a run's first state may differ from the state before it.
    private var runs: [StateRun] = []
    @_spi(Layers) public private(set) var count = 0
    /// The run of the state asked for last: the states are asked for in order.
    private var cursor = 0
    /// Two cleaned states, so that neighbours (one even, one odd) can be compared.
    private var cleaned = [CleanedState(), CleanedState()]

    /// `count` states of `period` bytes each (with the `\r` after it; the line's last state may
    /// lack it), the first at `start`, numbered from `firstIndex`.
    private struct StateRun {
        @_spi(Layers) public var start: Int
        var period: Int
        @_spi(Layers) public var count: Int
        @_spi(Layers) public var firstIndex: Int
        @_spi(Layers) public var endIndex: Int { firstIndex + count }
    }

    private struct CleanedState {
        @_spi(Layers) public var index = -1
        @_spi(Layers) public var bytes: [UInt8] = []
        @_spi(Layers) public var trimmed: Range<Int>?
        /// Leading blanks before the trimmed state (a tab counts as 8).
        @_spi(Layers) public var indent = 0
    }

    /// Finds the states of `line` (valid until the next `load`); false when the line must be
    /// loaded into a `ScreenLine` instead.
    @_spi(Layers) public mutating func load(_ line: ByteView) -> Bool {
        load(line.buffer)
    }

    mutating func load(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return false }
        self.line = line
        runs.removeAll(keepingCapacity: true)
        count = 0
        cursor = 0
        cleaned[0].index = -1
        cleaned[1].index = -1
        let end = line.count
        var start = 0
        while true {
            let stop = memchr(base + start, 0x0D, end - start).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? end
            let first = UnsafeBufferPointer(rebasing: line[start..<stop])
            guard TerminalBytes.escapesEnd(in: first) else { return false }
            // Blank or not, every state of this raw shape is alike. The cleaned state stays in its
            // slot: a state that opens a shape is compared with the one before it.
            let slot = count & 1
            let isBlank = Self.clean(first, into: &cleaned[slot]) == nil
            cleaned[slot].index = isBlank ? -1 : count
            if stop == end {
                if !isBlank { appendRun(start: start, period: end - start + 1, count: 1) }
                return true
            }
            // The redraws after it with its raw shape: each is `period` bytes on, so one comparison
            // of the line with itself shifted by `period` finds where the shape changes.
            let period = stop - start + 1
            let matched = DigitShape.firstDifference(base, from: stop + 1, to: end, shift: period)
            // Whole states up to the first difference, and the line's last state when it matches
            // up to the end of the line and only lacks its `\r`.
            var states = (matched - start) / period
            if matched == end, end - (start + states * period) == period - 1 { states += 1 }
            if !isBlank { appendRun(start: start, period: period, count: states) }
            let next = start + states * period
            if next >= end { return true }
            start = next
        }
    }

    private mutating func appendRun(start: Int, period: Int, count states: Int) {
        runs.append(StateRun(start: start, period: period, count: states, firstIndex: count))
        count += states
    }

    @_spi(Layers) public mutating func sameShapeAsPrevious(_ index: Int) -> Bool {
        guard index == run(of: index).firstIndex else { return true }
        clean(index - 1)
        clean(index)
        let previous = cleaned[(index - 1) & 1], current = cleaned[index & 1]
        return previous.bytes.withUnsafeBufferPointer { previousBytes in
            current.bytes.withUnsafeBufferPointer { currentBytes in
                DigitShape.equal(UnsafeBufferPointer(rebasing: previousBytes[previous.trimmed!]),
                                 UnsafeBufferPointer(rebasing: currentBytes[current.trimmed!]))
            }
        }
    }

    /// Past the states of one raw run without looking at them: they share the shape of its first.
    @_spi(Layers) public mutating func lastOfSameShape(from index: Int) -> Int {
        var last = index
        while true {
            last = run(of: last).endIndex - 1
            guard last + 1 < count, sameShapeAsPrevious(last + 1) else { return last }
            last += 1
        }
    }

    @_spi(Layers) public mutating func withState<Result>(_ index: Int, _ body: (ByteView) throws -> Result) rethrows -> Result {
        clean(index)
        let state = cleaned[index & 1]
        return try state.bytes.withByteView { try body($0[state.trimmed!]) }
    }

    /// Leading blanks of the last state, as `ScreenLine.indent` counts them.
    mutating func indentOfLastState() -> Int {
        clean(count - 1)
        return cleaned[(count - 1) & 1].indent
    }

    /// The run that holds state `index`, found from the one asked for last.
    private mutating func run(of index: Int) -> StateRun {
        if index < runs[cursor].firstIndex { cursor = 0 }
        while index >= runs[cursor].endIndex { cursor += 1 }
        return runs[cursor]
    }

    /// The raw bytes of state `index`, without its `\r`.
    private mutating func raw(_ index: Int) -> Range<Int> {
        let run = run(of: index)
        let start = run.start + (index - run.firstIndex) * run.period
        return start..<Swift.min(line.count, start + run.period - 1)
    }

    /// Cleans state `index` into its slot, unless it is there already.
    private mutating func clean(_ index: Int) {
        let slot = index & 1
        guard cleaned[slot].index != index else { return }
        Self.clean(UnsafeBufferPointer(rebasing: line[raw(index)]), into: &cleaned[slot])
        cleaned[slot].index = index
    }

    /// Cleans `raw` as `ScreenLine` cleans a state; nil when it is blank.
    @discardableResult
    private static func clean(_ raw: UnsafeBufferPointer<UInt8>, into state: inout CleanedState) -> Range<Int>? {
        state.bytes.removeAll(keepingCapacity: true)
        TerminalBytes.appendCleaned(raw, to: &state.bytes)
        let trimmed = state.bytes.withUnsafeBufferPointer { TerminalBytes.trimmedState($0, $0.indices) }
        state.trimmed = trimmed?.0
        state.indent = trimmed?.1 ?? 0
        return state.trimmed
    }
}
