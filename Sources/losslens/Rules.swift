import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

extension LossLensCommand {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the detectors (rules) and their ids.")

        func run() throws {
            let console = CommandOutput(outputSyntax: .text)
            console.standardOutput.write(RuleDocumentation.table(DetectorRegistry.all.map { $0.description }))
            console.standardOutput.write("\nRun 'losslens explain RULE' for a rule's documentation.\n")
            throw ExitCode(console.exitStatus(0))
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print the documentation of one rule.")

        @Argument(help: "The rule id, as 'losslens rules' lists it.")
        var rule: String

        func validate() throws {
            guard DetectorRegistry.detector(id: rule) != nil else {
                let known = DetectorRegistry.all.map { $0.description.id }.joined(separator: ", ")
                throw ValidationError("Unknown rule '\(rule)'. Known rules: \(known)")
            }
        }

        /// Markdown when piped (it renders anywhere); laid out for the terminal when on one.
        func run() throws {
            let description = DetectorRegistry.detector(id: rule)!.description
            let console = CommandOutput(outputSyntax: .text)
            if Terminal.standardOutputIsTerminal {
                let colored = ProcessEnvironment.variables["NO_COLOR"] == nil
                console.standardOutput.write(RuleDocumentation.terminal(for: description, width: Terminal.width(), colored: colored))
            } else {
                console.standardOutput.write(RuleDocumentation.markdown(for: description))
            }
            throw ExitCode(console.exitStatus(0))
        }
    }
}
