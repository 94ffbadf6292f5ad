import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensReport

/// A failure that is not about the command line (a file that cannot be written, an input that
/// cannot be opened): it is said on standard error as `losslens: …`, without the usage text, and
/// the exit status is 2.
struct CommandFailure: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}

/// Standard output and standard error of one command. Writes never trap: a failed write is
/// remembered and turns the exit status into 2 (`exitStatus`), except a reader that went away
/// (`losslens … | head`), which is not an error. Every message goes through the one sanitizer.
///
/// Under GitHub Actions (see `WorkflowCommandFence`) `##[` is neutralized on both streams, every
/// line of text losslens writes is made inert, and log text on standard output sits between
/// `::stop-commands::TOKEN` and `::TOKEN::`; standard error gets such a window only when standard
/// output has none, since the runner shares one command state between the two streams.
final class CommandOutput {
    let standardOutput = OutputChannel.standardOutput()
    let standardError = OutputChannel.standardError()
    let underActions: Bool
    private var outputFence: WorkflowCommandFence?
    private var errorFence: WorkflowCommandFence?
    private var outputWasFenced = false
    private var reportedOutputFailure = false

    /// `outputSyntax`: what standard output carries, which decides how `##[` is written there.
    init(outputSyntax: WorkflowCommandFence.Syntax, environment: [String: String] = ProcessEnvironment.variables) {
        underActions = environment["GITHUB_ACTIONS"] == "true"
        if underActions {
            standardOutput.replacing(WorkflowCommandFence.legacyPrefix, with: WorkflowCommandFence.neutralized(for: outputSyntax))
            standardError.replacing(WorkflowCommandFence.legacyPrefix, with: WorkflowCommandFence.neutralized(for: .text))
        }
    }

    /// Text for a person on standard output (a Markdown or text report): inert under Actions.
    func writeText(_ text: String) {
        standardOutput.write(underActions ? WorkflowCommandFence.inertLines(text) : text)
    }

    /// Starts the stop window of standard output: log text follows.
    func fenceOutput() {
        guard underActions, outputFence == nil else { return }
        let fence = WorkflowCommandFence()
        standardOutput.write(fence.opening)
        outputFence = fence
        outputWasFenced = true
    }

    /// Ends the window, on a line of its own.
    func unfenceOutput(afterPartialLine partial: Bool = false) {
        guard let fence = outputFence else { return }
        standardOutput.write((partial ? "\n" : "") + fence.closing)
        outputFence = nil
    }

    /// `losslens: message` on standard error.
    func message(_ text: String) {
        writeError("losslens: " + HumanText.line(text) + "\n")
    }

    func warning(_ text: String) {
        message("warning: " + text)
    }

    /// Several lines for a person on standard error (the summary of `watch`).
    func writeErrorText(_ text: String) {
        writeError(underActions ? WorkflowCommandFence.inertLines(text) : text)
    }

    /// Lines that must reach the runner as commands (annotations): never inside a window.
    func writeCommands(_ text: String) {
        closeErrorFence()
        standardError.write(text)
    }

    private func writeError(_ text: String) {
        if underActions, !outputWasFenced, errorFence == nil {
            let fence = WorkflowCommandFence()
            standardError.write(fence.opening)
            errorFence = fence
        }
        standardError.write(text)
    }

    private func closeErrorFence() {
        guard let fence = errorFence else { return }
        standardError.write(fence.closing)
        errorFence = nil
    }

    /// Says, once, that standard output failed (when standard error still works).
    func reportOutputFailure(_ what: String = "cannot write to standard output") {
        guard let reason = standardOutput.failureReason, !standardOutput.readerClosed, !reportedOutputFailure else { return }
        reportedOutputFailure = true
        message("\(what): \(reason)")
    }

    /// Whether a write failed in a way the user must be told of by the exit status.
    var writeFailed: Bool {
        (standardOutput.failure != nil && !standardOutput.readerClosed) || (standardError.failure != nil && !standardError.readerClosed)
    }

    /// Ends the windows and gives the status to exit with: 2 when a write failed, else `status`.
    func exitStatus(_ status: Int32) -> Int32 {
        unfenceOutput()
        standardOutput.flush()
        reportOutputFailure()
        closeErrorFence()
        standardError.flush()
        return writeFailed ? 2 : status
    }
}
