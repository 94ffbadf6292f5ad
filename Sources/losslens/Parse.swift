import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

extension LossLensCommand {
    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Print the parsed runs and metric series as JSON, without analysis (for debugging a dialect).")

        @OptionGroup var input: InputOptions
        @OptionGroup var settingsOptions: SettingsOptions

        @Option(name: .customLong("output"), help: ArgumentHelp("Write the JSON to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            let destination = ReportDestination(path: output)
            try destination.check(inputs: input.paths, readsStandardInput: input.readsStandardInput)
            // Each file on its own: parse is for checking how one dialect reads.
            let analyzer = try input.makeAnalyzer(groupsArtifacts: false, settings: try settingsOptions.load())
            var report = input.report(using: analyzer)
            for index in report.runs.indices { report.runs[index].findings = [] }
            let console = CommandOutput(outputSyntax: .json)
            var status: Int32 = report.runs.isEmpty && !report.errors.isEmpty ? 2 : 0
            do {
                try destination.write(to: console, sources: Analyze.sources(of: report)) { JSONReport.write(report, to: $0.write) }
            } catch let failure as CommandFailure {
                console.message(failure.message)
                status = 2
            }
            for failure in report.errors {
                console.message(failure.message)
            }
            throw ExitCode(console.exitStatus(status))
        }
    }
}
