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
struct RedrawnStates: ScreenStates {
    /// Lines shorter than this are loaded into a `ScreenLine`: they hold few redraws.
    static let minimumBytes = 4096

    private var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The raw bytes of each state that is not blank, between `\r`s.
    private var raws: [Range<Int>] = []
    /// Per state: whether its raw digit shape may differ from the state before it.
    private var opensShape: [Bool] = []
    /// Two cleaned states, so that neighbours (one even, one odd) can be compared.
    private var cleaned = [CleanedState(), CleanedState()]

    private struct CleanedState {
        var index = -1
        var bytes: [UInt8] = []
        var trimmed: Range<Int>?
    }

    var count: Int { raws.count }

    /// Finds the states of `line` (valid until the next `load`); false when the line must be
    /// loaded into a `ScreenLine` instead.
    mutating func load(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return false }
        self.line = line
        raws.removeAll(keepingCapacity: true)
        opensShape.removeAll(keepingCapacity: true)
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
            let slot = raws.count & 1
            let isBlank = Self.clean(first, into: &cleaned[slot]) == nil
            cleaned[slot].index = isBlank ? -1 : raws.count
            if !isBlank {
                raws.append(start..<stop)
                opensShape.append(true)
            }
            if stop == end { return true }
            // The redraws after it with its raw shape: `period` bytes on, each ends where it ends.
            let period = stop - start + 1
            var next = stop + 1
            while next + period - 1 <= end {
                let nextStop = next + period - 1
                guard nextStop == end || base[nextStop] == 0x0D,
                      DigitShape.equal(UnsafeBufferPointer(rebasing: line[next..<nextStop]), first) else { break }
                if !isBlank {
                    raws.append(next..<nextStop)
                    opensShape.append(false)
                }
                if nextStop == end { return true }
                next += period
            }
            start = next
        }
    }

    mutating func sameShapeAsPrevious(_ index: Int) -> Bool {
        guard opensShape[index] else { return true }
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

    mutating func withState<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        clean(index)
        let state = cleaned[index & 1]
        return try state.bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[state.trimmed!])) }
    }

    /// Cleans state `index` into its slot, unless it is there already.
    private mutating func clean(_ index: Int) {
        let slot = index & 1
        guard cleaned[slot].index != index else { return }
        Self.clean(UnsafeBufferPointer(rebasing: line[raws[index]]), into: &cleaned[slot])
        cleaned[slot].index = index
    }

    /// Cleans `raw` as `ScreenLine` cleans a state; nil when it is blank.
    @discardableResult
    private static func clean(_ raw: UnsafeBufferPointer<UInt8>, into state: inout CleanedState) -> Range<Int>? {
        state.bytes.removeAll(keepingCapacity: true)
        TerminalBytes.appendCleaned(raw, to: &state.bytes)
        state.trimmed = state.bytes.withUnsafeBufferPointer { TerminalBytes.trimmedState($0, $0.indices)?.0 }
        return state.trimmed
    }
}
