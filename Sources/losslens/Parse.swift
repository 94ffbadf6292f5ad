import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
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

        @Option(name: .long, help: ArgumentHelp("Write the JSON to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            // Each file on its own: parse is for checking how one dialect reads.
            let analyzer = try input.dialect.makeAnalyzer(groupsArtifacts: false, settings: try settingsOptions.load())
            var report = input.report(using: analyzer)
            for index in report.runs.indices { report.runs[index].findings = [] }
            try ReportDestination(path: output).write(report, with: JSONRenderer())
            for failure in report.errors {
                FileHandle.standardError.write(Data("losslens: \(failure.message)\n".utf8))
            }
            if report.runs.isEmpty && !report.errors.isEmpty { throw ExitCode(2) }
        }
    }
}
