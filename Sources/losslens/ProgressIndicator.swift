import Foundation
@_spi(Layers) import LossLensAnalysis
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

    static func forTerminal() -> ProgressIndicator? {
        isatty(FileHandle.standardError.fileDescriptor) == 1 ? ProgressIndicator() : nil
    }

    func update(finished: Int, total: Int) {
        guard total >= Self.minimumBatch else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard finished == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data("\rlosslens: analyzing \(finished)/\(total)".utf8))
    }

    /// Erases the indicator so the report starts on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
