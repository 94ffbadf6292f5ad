import ArgumentParser
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

extension LossLensCommand {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the detectors (rules) and their ids.")

        func run() throws {
            print(RuleDocumentation.table(DetectorRegistry.all.map { $0.description }), terminator: "")
            print("\nRun 'losslens explain RULE' for a rule's documentation.")
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

        func run() throws {
            print(RuleDocumentation.markdown(for: DetectorRegistry.detector(id: rule)!.description), terminator: "")
        }
    }
}
