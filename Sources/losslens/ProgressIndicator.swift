import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// "analyzing 12/340" on standard error while a long batch runs, only when standard error is a
/// terminal (never in CI logs or redirected output).
final class ProgressIndicator: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private static let minimumBatch = 10
    /// Writes that fail (a terminal hung up) are dropped: the indicator is only a courtesy.
    private let terminal = OutputChannel.standardError()

    static func forTerminal() -> ProgressIndicator? {
        isatty(STDERR_FILENO) == 1 ? ProgressIndicator() : nil
    }

    func update(finished: Int, total: Int) {
        guard total >= Self.minimumBatch else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard finished == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        terminal.write("\rlosslens: analyzing \(finished)/\(total)")
    }

    /// Erases the indicator so the report starts on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { terminal.write("\r\u{1B}[2K") }
    }
}
