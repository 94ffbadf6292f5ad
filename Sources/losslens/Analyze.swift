import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
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
                errors, when nothing could be read, or when the report could not be written. Under \
                GitHub Actions (GITHUB_ACTIONS=true) the Markdown report is appended to \
                $GITHUB_STEP_SUMMARY (cut to 1 MiB) and findings become annotations on standard error \
                (at most 10 of each kind; the rest summarized).
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var settingsOptions: SettingsOptions

        @Flag(name: .customLong("separate-artifacts"), help: "Report every file on its own, even when several files hold the same run.")
        var separateArtifacts = false

        func run() throws {
            let destination = output.destination
            try destination.check(inputs: input.paths, readsStandardInput: input.readsStandardInput)
            if destination.path != nil {
                // Only the report's temporary file has a name to remove; spools have none.
                Interruption.handle { Interruption.exitNow(for: $0) }
            }
            let settings = try settingsOptions.load()
            let terminal = destination.path == nil && Terminal.standardOutputIsTerminal
            let effective = output.effective(settings, terminal: terminal)
            let analyzer = try input.makeAnalyzer(
                ignoring: effective.ignore, minimumSeverity: effective.minSeverity, groupsArtifacts: !separateArtifacts,
                classes: effective.classes, settings: settings)
            let report = input.report(using: analyzer)
            let console = CommandOutput(outputSyntax: Self.syntax(of: effective.format))
            var status = ExitStatus.code(for: report, failOn: effective.failOn.threshold)
            // With --format github the annotations are the report itself.
            if console.underActions, effective.format != .github { GitHubActions.annotate(report, on: console) }
            do {
                try write(report, as: effective, terminal: terminal, to: destination, on: console)
            } catch let failure as CommandFailure {
                console.message(failure.message)
                status = 2
            }
            for failure in report.errors {
                console.message(failure.message)
            }
            for analyzed in report.runs {
                for damage in analyzed.run.events where damage.kind == .inputDamaged {
                    console.warning("\(analyzed.run.source): \(damage.text)")
                }
            }
            if console.underActions,
                !GitHubActions.appendSummary(report, on: console, format: effective.format, reportFile: destination.path) {
                status = 2
            }
            throw ExitCode(console.exitStatus(status))
        }

        private func write(
            _ report: AnalysisReport, as effective: EffectiveOutput, terminal: Bool, to destination: ReportDestination,
            on console: CommandOutput
        ) throws {
            let colored = terminal && ProcessEnvironment.variables["NO_COLOR"] == nil
            let toStandardOutput = destination.path == nil
            let renderer = effective.format.renderer(
                failOn: effective.failOn.threshold, colored: colored, width: terminal ? Terminal.width() : nil)
            try destination.write(to: console, sources: Self.sources(of: report)) { channel in
                switch effective.format {
                case .junit where toStandardOutput && console.underActions:
                    // No window in XML: a line of log text that would start with `::` is escaped.
                    channel.write(WorkflowCommandFence.inertLines(renderer.render(report), syntax: .xml))
                case .markdown where toStandardOutput, .text where toStandardOutput:
                    // Log text a person reads: inside the stop window under GitHub Actions.
                    console.fenceOutput()
                    console.writeText(renderer.render(report))
                    console.unfenceOutput()
                default:
                    renderer.writeBytes(report, to: channel.write)
                }
            }
        }

        static func syntax(of format: ReportFormat) -> WorkflowCommandFence.Syntax {
            switch format {
            case .json, .jsonl: return .json
            case .junit: return .xml
            case .markdown, .text, .github: return .text
            }
        }

        /// The files a report was made from, which `--output` must not overwrite.
        static func sources(of report: AnalysisReport) -> [String] {
            report.runs.flatMap { [$0.run.source] + $0.run.companions.map(\.source) } + report.errors.map(\.source)
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
