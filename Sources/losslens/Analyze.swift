import ArgumentParser
import Foundation
import LossLensCore

extension LossLensCommand {
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyze training logs and report what went wrong (the default command).")

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let analyzer = try input.makeAnalyzer(ignoring: output.ignore, minimumSeverity: output.minSeverity)
            let report = input.report(using: analyzer)
            switch output.format {
            case .markdown: try output.write(MarkdownReport.render(report))
            case .json: try output.write(JSONReport.render(report))
            }
            for failure in report.errors {
                FileHandle.standardError.write(Data("losslens: \(failure.message)\n".utf8))
            }
            throw ExitCode(ExitStatus.code(for: report, failOn: output.failOn.threshold))
        }
    }
}

/// The exit code contract: 0 clean, 1 findings at or above --fail-on, 2 nothing could be read.
enum ExitStatus {
    static func code(for report: AnalysisReport, failOn threshold: Severity?) -> Int32 {
        if report.runs.isEmpty && !report.errors.isEmpty { return 2 }
        if let threshold, report.runs.contains(where: { ($0.worstSeverity ?? .info) >= threshold && !$0.findings.isEmpty }) {
            return 1
        }
        return 0
    }
}
