import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensReport

/// Publishing to GitHub Actions when running there (`GITHUB_ACTIONS=true`): annotations and the
/// job summary.
enum GitHubActions {
    static func isActive(_ environment: [String: String] = ProcessEnvironment.variables) -> Bool {
        environment["GITHUB_ACTIONS"] == "true"
    }

    /// Annotations go to standard error, which the runner reads for commands as it reads standard
    /// output: on standard output they would follow a JSON or JUnit report and break it. They
    /// come before anything else is written, outside any stop window (see `CommandOutput`).
    /// At most 10 of each kind (what GitHub shows for a step); the rest are summarized.
    static func annotate(_ report: AnalysisReport, on output: CommandOutput) {
        output.writeCommands(GitHubAnnotationsRenderer().render(report))
    }

    /// Appends the Markdown report to `$GITHUB_STEP_SUMMARY`, cut to what is left of the step's
    /// 1 MiB (`StepSummary`) with a note pointing at the full report (`reportFile`, `--output`).
    /// A summary file that does not exist (or is a folder) is only a warning: the analysis's exit
    /// status stands. A write that fails (a full disk) is an error, and the file is cut back to
    /// what it held before. Returns false when the summary could not be written.
    static func appendSummary(_ report: AnalysisReport, on output: CommandOutput, format: ReportFormat, reportFile: String?,
                              environment: [String: String] = ProcessEnvironment.variables) -> Bool {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return true }
        // A summary file that is one of the logs read would get the report appended to the log.
        if let summary = FileIdentity(path: path),
           LossLensCommand.Analyze.sources(of: report).contains(where: { $0 != "-" && FileIdentity(path: $0) == summary }) {
            output.warning("no job summary: GITHUB_STEP_SUMMARY \(path) is one of the inputs; it was left as it is")
            return true
        }
        let file: AppendFile
        do {
            file = try AppendFile(path: path)
        } catch {
            output.warning("no job summary: GITHUB_STEP_SUMMARY \((error as? OutputFileError)?.errorDescription ?? "\(error)")")
            return true
        }
        let pointer = reportFile.map {
            format == .markdown ? "The full report is in `\(Markdown.code($0))`." : "The full findings are in `\(Markdown.code($0))`."
        } ?? "Write the full report with `losslens analyze --format markdown --output losslens.md` and upload it as an artifact."
        let markdown = MarkdownRenderer().render(report) + "\n"
        file.channel.write(StepSummary.fitted(markdown, budget: StepSummary.limit - file.lengthAtOpen, pointer: pointer))
        do {
            try file.finish()
            return true
        } catch {
            output.message("cannot append the job summary to \((error as? OutputFileError)?.errorDescription ?? "\(error)")")
            return false
        }
    }
}
