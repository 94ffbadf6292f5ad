import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// Where a report goes: standard output, or the file of `--output`, written so that no reader sees
/// half of it and nothing else changes (see `OutputFile`: links stay links, hard links stay
/// linked, devices and FIFOs are written through, a failure leaves the old report). Reports are
/// written in pieces as they are made, so a megabytes-long JSON report is never held whole.
struct ReportDestination {
    /// The file, or nil for standard output.
    let path: String?

    /// Checked before any work, so a mistake costs no analysis (nor hours of `watch`): the path can
    /// take a report, and it is not one of the inputs, which the report would overwrite.
    func check(inputs: [String], readsStandardInput: Bool) throws {
        guard let path else { return }
        let target: OutputTarget
        do {
            target = try OutputTarget.resolve(path)
            try target.checkWritable(as: path)
        } catch {
            throw Self.failure(path, error)
        }
        try refuse(target, ifAmong: inputs, standardInput: readsStandardInput)
    }

    /// Writes what `produce` hands the channel. `sources`: every file the report was made from
    /// (a folder's files too), which the report must not replace.
    func write(to output: CommandOutput, sources: [String], _ produce: (OutputChannel) -> Void) throws {
        guard let path else {
            produce(output.standardOutput)
            output.standardOutput.flush()
            return
        }
        do {
            try refuse(try OutputTarget.resolve(path), ifAmong: sources, standardInput: false)
            let file = try OutputFile(path: path)
            produce(file.channel)
            try file.commit()
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw Self.failure(path, error)
        }
    }

    private func refuse(_ target: OutputTarget, ifAmong inputs: [String], standardInput: Bool) throws {
        guard let path, let identity = target.identity else { return }
        let isInput = inputs.contains { $0 != "-" && FileIdentity(path: $0) == identity }
            || (standardInput && FileIdentity(descriptor: STDIN_FILENO) == identity)
        if isInput {
            throw CommandFailure("--output \(path) is one of the inputs; refusing to overwrite it (choose another file)")
        }
    }

    private static func failure(_ path: String, _ error: Error) -> CommandFailure {
        let reason = (error as? OutputFileError)?.reason ?? error.localizedDescription
        return CommandFailure("cannot write the report to \(path): \(reason)")
    }
}

