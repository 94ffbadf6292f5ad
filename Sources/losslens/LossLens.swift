import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
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
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
