import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

@main
struct LossLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "losslens",
        abstract: "Reads deep-learning training logs and tells you what went wrong and how to fix it.",
        discussion: """
            Reads Keras, PyTorch, Lightning and Hugging Face logs (console output, history JSON, CSV, \
            trainer_state.json, TensorBoard event files, notebooks), splits them into runs and metric \
            series, and reports stuck, diverging, leaking or crashed trainings with causes and fixes.
            """,
        version: LossLens.version,
        subcommands: [Analyze.self, Watch.self, Parse.self, Rules.self, Explain.self],
        defaultSubcommand: Analyze.self
    )

    /// Usage errors exit with 2, as input errors do, so CI can tell them from findings (exit 1).
    /// Other failures (a file that cannot be written or read) say why, without the usage text.
    static func main() {
        StandardStreams.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as CommandFailure {
            fail("losslens: " + HumanText.line(failure.message))
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                let output = OutputChannel.standardOutput()
                output.write(fullMessage(for: error) + "\n")
                Foundation.exit(output.failure == nil || output.readerClosed ? 0 : 2)
            }
            // ArgumentParser gives unknown errors (not about the command line) the status 1.
            let isUsage = code == .validationFailure
            fail(isUsage ? fullMessage(for: error) : "losslens: " + HumanText.line(error.localizedDescription))
        }
    }

    private static func fail(_ message: String) -> Never {
        OutputChannel.standardError().write(message + "\n")
        Foundation.exit(2)
    }
}
