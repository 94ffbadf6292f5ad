import ArgumentParser
import Dispatch
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

extension LossLensCommand {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Follow a log as it is written, pass it through, and alert as soon as a problem shows.",
            discussion: """
                Reads a file as it grows (like tail -F: a truncated, rotated or re-created file is followed) \
                or standard input (python train.py 2>&1 | losslens watch), copies the input unchanged to \
                standard output, and prints alerts to standard error as soon as they can be told: a NaN at \
                the epoch it appears, divergence, a spike, a crash. With --exit-on it stops with exit 1 at \
                the first alert at or above that severity, so a wrapper can stop the training. The full \
                report is written at the end (--output, or a summary on standard error), also on SIGINT \
                (exit 130) or SIGTERM (exit 143). Exit 2: the log or --output cannot be used, or a write failed.
                """)

        @Argument(help: "The log file to follow, or '-' (the default) for standard input.")
        var path: String = "-"

        @Option(name: .customLong("exit-on"), help: "Stop with exit 1 at the first alert at or above this severity.")
        var exitOn: Severity?

        @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Stop after this many seconds without new data.", valueName: "seconds"))
        var idleTimeout: Double?

        @OptionGroup var dialect: DialectOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var settingsOptions: SettingsOptions

        func validate() throws {
            if path == "-" && isatty(STDIN_FILENO) == 1 {
                throw ValidationError("Pipe a training log into 'losslens watch' or give a file to follow.")
            }
            if let idleTimeout, !(idleTimeout > 0 && idleTimeout.isFinite) {
                throw ValidationError("--idle-timeout must be a positive number of seconds.")
            }
        }

        func run() throws {
            let destination = output.destination
            try destination.check(inputs: [path], readsStandardInput: path == "-")
            let settings = try settingsOptions.load()
            // The report goes to --output or as a text summary to standard error: never a terminal's default.
            let effective = output.effective(settings, terminal: false)
            let analyzer = try dialect.makeAnalyzer(
                ignoring: effective.ignore, minimumSeverity: effective.minSeverity, classes: effective.classes, settings: settings)
            let follower: LogFollower
            do {
                follower = try LogFollower(path: path, idleTimeout: idleTimeout)
            } catch {
                throw CommandFailure(error.localizedDescription)
            }
            // The first SIGINT or SIGTERM ends the following, and the report is still written.
            Interruption.handle { _ in follower.stop() }
            // The log is analyzed again and again; each analysis must leave the heap as it found it.
            Heap.mapLargeBlocksApart()
            let console = CommandOutput(outputSyntax: .text)
            var session = WatchSession(console: console, live: LiveAnalysis(source: path, analyzer: analyzer), exitOn: exitOn)
            console.fenceOutput()
            let stoppedByAlert = session.follow(follower)
            let interrupted = Interruption.received
            if !stoppedByAlert, interrupted == nil { session.alert(session.live.newAlerts()) }
            let (report, written) = finish(session.live, as: effective, on: console, partialLine: session.partialLine)
            var status = stoppedByAlert ? 1 : ExitStatus.code(for: report, failOn: effective.failOn.threshold)
            if !written || session.readFailed { status = 2 }
            status = console.exitStatus(status)
            throw ExitCode(interrupted.map(Interruption.exitStatus(for:)) ?? status)
        }

        /// The report at the end: to `--output`, or a text summary on standard error; whether it
        /// could be written.
        private func finish(
            _ live: LiveAnalysis, as effective: EffectiveOutput, on console: CommandOutput, partialLine: Bool
        ) -> (AnalysisReport, Bool) {
            let report = live.finalReport()
            var written = true
            if output.output != nil {
                do {
                    let renderer = effective.format.renderer(failOn: effective.failOn.threshold, colored: false)
                    try output.destination.write(to: console, sources: [path]) { channel in
                        renderer.writeBytes(report, to: channel.write)
                    }
                } catch let failure as CommandFailure {
                    console.message(failure.message)
                    written = false
                } catch {
                    console.message(error.localizedDescription)
                    written = false
                }
            } else {
                // Inside the pass-through's stop window, which closes after it.
                console.writeErrorText(TextRenderer(colored: isatty(STDERR_FILENO) == 1).render(report))
            }
            console.unfenceOutput(afterPartialLine: partialLine)
            return (report, written)
        }

        static func describe(_ finding: Finding, in run: Run) -> String {
            let place = finding.firstEpoch.map { " at epoch \($0)" } ?? ""
            let line = finding.evidence.compactMap(\.line).first.map { " (line \($0))" } ?? ""
            return "\(finding.severity.rawValue): \(finding.rule)\(place)\(line): \(finding.message)"
        }
    }
}
