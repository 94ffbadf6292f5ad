import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

extension LossLensCommand {
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analyze",
            abstract: "Analyze training logs and report what went wrong (the default command).",
            discussion: """
                Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 for usage \
                errors or when nothing could be read. Under GitHub Actions (GITHUB_ACTIONS=true) the \
                Markdown report is appended to $GITHUB_STEP_SUMMARY and findings become annotations.
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        @Flag(name: .long, help: "Report every file on its own, even when several files hold the same run.")
        var separateArtifacts = false

        func run() throws {
            let analyzer = try input.dialect.makeAnalyzer(
                ignoring: output.ignore, minimumSeverity: output.minSeverity, groupsArtifacts: !separateArtifacts, classes: output.classes)
            let report = input.report(using: analyzer)
            let terminal = output.output == nil && isatty(FileHandle.standardOutput.fileDescriptor) == 1
            let colored = terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            try output.destination.write(report, with: output.format.renderer(failOn: output.failOn.threshold, colored: colored))
            for failure in report.errors {
                FileHandle.standardError.write(Data("losslens: \(TextReport.plain(failure.message))\n".utf8))
            }
            for analyzed in report.runs {
                for damage in analyzed.run.events where damage.kind == .inputDamaged {
                    let warning = "losslens: warning: \(analyzed.run.source): \(damage.text)"
                    FileHandle.standardError.write(Data((TextReport.plain(warning) + "\n").utf8))
                }
            }
            try GitHubActions.publish(report)
            throw ExitCode(ExitStatus.code(for: report, failOn: output.failOn.threshold))
        }
    }
}

/// The exit code contract: 0 clean, 1 findings at or above --fail-on, 2 nothing could be read.
enum ExitStatus {
    static func code(for report: AnalysisReport, failOn threshold: Severity?) -> Int32 {
        if report.runs.isEmpty && !report.errors.isEmpty { return 2 }
        guard let threshold else { return 0 }
        let failing = report.runs.contains { $0.findings.contains { $0.severity >= threshold } }
        return failing ? 1 : 0
    }
}

/// Publishing to GitHub Actions when running there: the job summary and annotations.
enum GitHubActions {
    static func publish(_ report: AnalysisReport) throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["GITHUB_ACTIONS"] == "true" else { return }
        FileHandle.standardOutput.write(Data(GitHubAnnotationsRenderer().render(report).utf8))
        guard let summaryPath = environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: summaryPath) else {
            throw ValidationError("Cannot append to GITHUB_STEP_SUMMARY file \(summaryPath).")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data((MarkdownRenderer().render(report) + "\n").utf8))
    }
}
