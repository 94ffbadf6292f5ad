@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Joins indented continuation lines into the line before, for dialects that ask for it
/// (`@join-indented`: a progress bar that wraps its postfix onto indented lines).
///
/// Lines pass through one behind, since a line is complete only when the next is not its continuation.
@_spi(Layers) public struct IndentedLineJoiner {
    let isActive: Bool
    private var pending: ScreenLine?

    @_spi(Layers) public init(isActive: Bool) {
        self.isActive = isActive
    }

    /// Inlined, so that a line passes through an inactive joiner without a copy.
    @inline(__always)
    @_spi(Layers) public mutating func add(_ line: ScreenLine, _ emit: (ScreenLine) throws -> Void) rethrows {
        guard isActive else { return try emit(line) }
        try join(line, emit)
    }

    private mutating func join(_ line: ScreenLine, _ emit: (ScreenLine) throws -> Void) rethrows {
        if var previous = pending, isContinuation(line, of: previous) {
            previous.appendToLastSegment(lastSegmentOf: line)
            pending = previous
            return
        }
        if let previous = pending { try emit(previous) }
        pending = line
    }

    @_spi(Layers) public mutating func finish(_ emit: (ScreenLine) throws -> Void) rethrows {
        if let previous = pending { try emit(previous) }
        pending = nil
    }

    /// A short single-state line indented by 8 or more after a line with content. A blank line
    /// (no screen state) ends a wrapped bar: there is nothing to continue.
    private func isContinuation(_ line: ScreenLine, of previous: ScreenLine) -> Bool {
        guard line.stateCount == 1, let text = line.lastSegment, previous.stateCount > 0, line.indent >= 8 else {
            return false
        }
        // Fewer than 200 characters; bytes overcount characters only for non-ASCII text.
        return text.count < 200 || line.string(text).count < 200
    }
}
