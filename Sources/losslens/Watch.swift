import ArgumentParser
import Dispatch
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

extension LossLensCommand {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Follow a log as it is written, pass it through, and alert as soon as a problem shows.",
            discussion: """
                Reads a file as it grows (like tail -f) or standard input (python train.py 2>&1 | losslens watch), \
                copies the input unchanged to standard output, and prints alerts to standard error as soon \
                as they can be told: a NaN at the epoch it appears, divergence, a spike, a crash. \
                With --exit-on it stops with exit 1 at the first alert at or above that severity, so a \
                wrapper can stop the training. The full report is written at the end (--output, or a \
                summary on standard error).
                """)

        @Argument(help: "The log file to follow, or '-' (the default) for standard input.")
        var path: String = "-"

        @Option(name: .long, help: "Stop with exit 1 at the first alert at or above this severity.")
        var exitOn: Severity?

        @Option(name: .long, help: ArgumentHelp("When following a file: stop after this many seconds without new data.", valueName: "seconds"))
        var idleTimeout: Double?

        @OptionGroup var dialect: DialectOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var settingsOptions: SettingsOptions

        func validate() throws {
            if path == "-" && isatty(FileHandle.standardInput.fileDescriptor) == 1 {
                throw ValidationError("Pipe a training log into 'losslens watch' or give a file to follow.")
            }
            if let idleTimeout, idleTimeout <= 0 {
                throw ValidationError("--idle-timeout must be a positive number of seconds.")
            }
        }

        func run() throws {
            let settings = try settingsOptions.load()
            // The report goes to --output or as a text summary to standard error: never a terminal's default.
            let effective = output.effective(settings, terminal: false)
            let analyzer = try dialect.makeAnalyzer(
                ignoring: effective.ignore, minimumSeverity: effective.minSeverity, classes: effective.classes, settings: settings)
            let live = LiveAnalysis(source: path, analyzer: analyzer)
            let follower = try LogFollower(path: path, idleTimeout: idleTimeout)
            var scheduler = AnalysisScheduler()
            while let chunk = follower.next(timeout: scheduler.waitBudget) {
                if !chunk.isEmpty {
                    FileHandle.standardOutput.write(chunk)
                    live.append(chunk)
                }
                guard live.hasNewLines, scheduler.isDue else { continue }
                let alerts = scheduler.measure { live.newAlerts() }
                for alert in alerts {
                    FileHandle.standardError.write(Data(Self.describe(alert.finding, in: alert.run).utf8))
                    if let exitOn, alert.finding.severity >= exitOn {
                        try finish(live, effective)
                        throw ExitCode(1)
                    }
                }
            }
            for alert in live.newAlerts() {
                FileHandle.standardError.write(Data(Self.describe(alert.finding, in: alert.run).utf8))
            }
            let report = try finish(live, effective)
            throw ExitCode(ExitStatus.code(for: report, failOn: effective.failOn.threshold))
        }

        @discardableResult
        private func finish(_ live: LiveAnalysis, _ effective: EffectiveOutput) throws -> AnalysisReport {
            let report = live.finalReport()
            if output.output != nil {
                try output.destination.write(report, with: effective.format.renderer(failOn: effective.failOn.threshold, colored: false))
            } else {
                let colored = isatty(FileHandle.standardError.fileDescriptor) == 1
                FileHandle.standardError.write(Data(TextRenderer(colored: colored).render(report).utf8))
            }
            return report
        }

        static func describe(_ finding: Finding, in run: Run) -> String {
            let place = finding.firstEpoch.map { " at epoch \($0)" } ?? ""
            let line = finding.evidence.compactMap(\.line).first.map { " (line \($0))" } ?? ""
            return "losslens: \(finding.severity.rawValue): \(finding.rule)\(place)\(line): \(finding.message)\n"
        }
    }
}

/// Re-analysis costs grow with the log; analyzing at most every few times its own cost keeps the
/// pass-through fast, while a quiet writer still gets its alert within one wait budget.
struct AnalysisScheduler {
    private var nextDue = Date.distantPast
    private(set) var pendingSince: Date?

    var isDue: Bool { Date() >= nextDue }

    /// How long the reader may block before an overdue analysis must run.
    var waitBudget: TimeInterval { max(0.05, nextDue.timeIntervalSinceNow) }

    mutating func measure<T>(_ work: () -> T) -> T {
        let start = Date()
        let result = work()
        let cost = Date().timeIntervalSince(start)
        nextDue = Date().addingTimeInterval(max(0.05, cost * 4))
        return result
    }
}
