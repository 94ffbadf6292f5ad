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
                Markdown report is appended to $GITHUB_STEP_SUMMARY (cut to 1 MiB) and findings become annotations \
                on standard error (at most 10 of each kind; the rest summarized).
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var settingsOptions: SettingsOptions

        @Flag(name: .long, help: "Report every file on its own, even when several files hold the same run.")
        var separateArtifacts = false

        func run() throws {
            let settings = try settingsOptions.load()
            let terminal = output.output == nil && Terminal.standardOutputIsTerminal
            let effective = output.effective(settings, terminal: terminal)
            let analyzer = try input.dialect.makeAnalyzer(
                ignoring: effective.ignore, minimumSeverity: effective.minSeverity, groupsArtifacts: !separateArtifacts,
                classes: effective.classes, settings: settings)
            let report = input.report(using: analyzer)
            let colored = terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let renderer = effective.format.renderer(
                failOn: effective.failOn.threshold, colored: colored, width: terminal ? Terminal.width() : nil)
            try output.destination.write(report, with: renderer)
            for failure in report.errors {
                FileHandle.standardError.write(Data("losslens: \(TextReport.plain(failure.message))\n".utf8))
            }
            for analyzed in report.runs {
                for damage in analyzed.run.events where damage.kind == .inputDamaged {
                    let warning = "losslens: warning: \(analyzed.run.source): \(damage.text)"
                    FileHandle.standardError.write(Data((TextReport.plain(warning) + "\n").utf8))
                }
            }
            try GitHubActions.publish(report, format: effective.format, reportFile: output.output)
            throw ExitCode(ExitStatus.code(for: report, failOn: effective.failOn.threshold))
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
    /// Annotations go to standard error, which the runner reads for workflow commands too, so a
    /// report on standard output stays a valid document; with `--format github` they are the report.
    /// At most 10 of each kind (what GitHub shows for a step); the rest are summarized.
    /// The summary is the Markdown report, cut to what is left of the step's 1 MiB.
    static func publish(_ report: AnalysisReport, format: ReportFormat, reportFile: String?) throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["GITHUB_ACTIONS"] == "true" else { return }
        if format != .github {
            FileHandle.standardError.write(Data(GitHubAnnotationsRenderer().render(report).utf8))
        }
        guard let summaryPath = environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: summaryPath) else {
            throw ValidationError("Cannot append to GITHUB_STEP_SUMMARY file \(summaryPath).")
        }
        defer { try? handle.close() }
        let used = Int(handle.seekToEndOfFile())
        let pointer = reportFile.map { format == .markdown ? "The full report is in `\(Markdown.code($0))`." : "The full findings are in `\(Markdown.code($0))`." }
            ?? "Write the full report with `losslens analyze --format markdown --output losslens.md` and upload it as an artifact."
        let summary = StepSummary.fitted(MarkdownRenderer().render(report) + "\n", budget: StepSummary.limit - used, pointer: pointer)
        handle.write(Data(summary.utf8))
    }
}
