import ArgumentParser
import LossLensCore

extension LossLensCommand {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the detectors (rules) and their ids.")

        func run() throws {
            for detector in DetectorRegistry.all {
                let rule = detector.description
                print("\(rule.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(rule.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(rule.name)")
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the documentation of one rule.")

        @Argument(help: "The rule id, as 'losslens rules' lists it.")
        var rule: String

        func validate() throws {
            guard DetectorRegistry.detector(id: rule) != nil else {
                let known = DetectorRegistry.all.map { $0.description.id }.joined(separator: ", ")
                throw ValidationError("Unknown rule '\(rule)'. Known rules: \(known)")
            }
        }

        func run() throws {
            print(RuleDocumentation.markdown(for: DetectorRegistry.detector(id: rule)!.description))
        }
    }
}
