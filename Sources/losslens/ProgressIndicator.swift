import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// "analyzing 12/340" on standard error while a long batch runs, only when standard error is a
/// terminal (never in CI logs or redirected output).
final class ProgressIndicator: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var drawn = false
        /// Writes that fail (a terminal hung up) are dropped: the indicator is only a courtesy.
        let terminal = OutputChannel.standardError()
    }

    private let state = Guarded(State())
    private static let minimumBatch = 10

    static func forTerminal() -> ProgressIndicator? {
        isatty(STDERR_FILENO) == 1 ? ProgressIndicator() : nil
    }

    func update(finished: Int, total: Int) {
        guard total >= Self.minimumBatch else { return }
        state.withLock { state in
            let now = Date()
            guard finished == total || now.timeIntervalSince(state.lastDraw) > 0.1 else { return }
            state.lastDraw = now
            state.drawn = true
            state.terminal.write("\rlosslens: analyzing \(finished)/\(total)")
        }
    }

    /// Erases the indicator so the report starts on a clean line.
    func finish() {
        state.withLock { state in
            if state.drawn { state.terminal.write("\r\u{1B}[2K") }
        }
    }
}
