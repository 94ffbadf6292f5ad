import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensReport

/// Publishing to GitHub Actions when running there (`GITHUB_ACTIONS=true`): annotations and the
/// job summary.
enum GitHubActions {
    static func isActive(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["GITHUB_ACTIONS"] == "true"
    }

    /// Annotations go to standard error, which the runner reads for commands as it reads standard
    /// output: on standard output they would follow a JSON or JUnit report and break it. They
    /// come before anything else is written, outside any stop window (see `CommandOutput`).
    static func annotate(_ report: AnalysisReport, on output: CommandOutput) {
        output.writeCommands(GitHubAnnotations.render(report))
    }

    /// Appends the Markdown report to `$GITHUB_STEP_SUMMARY`. A summary file that does not exist
    /// (or is a folder) is only a warning: the analysis's exit status stands. A write that fails
    /// (a full disk) is an error, and the file is cut back to what it held before.
    /// Returns false when the summary could not be written.
    static func appendSummary(_ report: AnalysisReport, on output: CommandOutput,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return true }
        let file: AppendFile
        do {
            file = try AppendFile(path: path)
        } catch {
            output.warning("no job summary: GITHUB_STEP_SUMMARY \((error as? OutputFileError)?.errorDescription ?? "\(error)")")
            return true
        }
        file.channel.write(MarkdownReport.render(report) + "\n")
        do {
            try file.finish()
            return true
        } catch {
            output.message("cannot append the job summary to \((error as? OutputFileError)?.errorDescription ?? "\(error)")")
            return false
        }
    }
}
