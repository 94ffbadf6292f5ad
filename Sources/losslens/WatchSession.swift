import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// One following of a log by `watch`: passes it through to standard output, keeps it for the live
/// analysis, and says alerts and what happened to the file on standard error.
///
/// A failed write of the pass-through (a full disk, a closed standard output) is said once and
/// the log is still read and analyzed to its end: stopping would leave the training writing into
/// a pipe nobody reads, and kill it. A reader that went away (`| head`) is not an error at all.
struct WatchSession {
    let console: CommandOutput
    let live: LiveAnalysis
    let exitOn: Severity?
    /// Whether the last byte passed through ended a line (`\n` or `\r`); the stop window's last
    /// line must start a line of its own.
    private(set) var partialLine = false
    private(set) var readFailed = false
    /// False once the spool refused bytes (`--max-spool`, a full `$TMPDIR`): the analysis then
    /// covers the log up to there, and the rest is only passed through.
    private var keeping = true
    private var scheduler = AnalysisScheduler()
    /// The first bytes, until there are enough to tell binary data from a log (then nil).
    private var head: Data? = Data()
    private var passedBytes = 0
    static let headLength = 1024

    init(console: CommandOutput, live: LiveAnalysis, exitOn: Severity?) {
        self.console = console
        self.live = live
        self.exitOn = exitOn
    }

    /// Follows until the log ends, a signal stops the follower, or an alert reaches `--exit-on`
    /// (then true).
    mutating func follow(_ follower: LogFollower) -> Bool {
        while let event = follower.next(timeout: scheduler.waitBudget) {
            switch event {
            case let .data(chunk) where !chunk.isEmpty:
                if isBinary(adding: chunk) {
                    console.message("\(live.source): binary data, not a training log; "
                        + (passedBytes == 0 ? "nothing was passed through" : "stopped after passing \(passedBytes) bytes through"))
                    readFailed = true
                    return false
                }
                pass(chunk)
                keep(chunk)
            case .data:
                break
            case let .notice(text, startsOver):
                console.message(text)
                if startsOver { startOver() }
            case let .failed(reason):
                console.message(reason)
                readFailed = true
                return false
            }
            guard live.hasNewLines, scheduler.isDue else { continue }
            let alerts = scheduler.measure {
                defer { Heap.releaseFreedMemory() }
                return live.newAlerts()
            }
            if alert(alerts) { return true }
        }
        return false
    }

    /// Whether the stream's first kilobyte shows binary data (`watch /dev/zero`, a checkpoint piped in
    /// by mistake), which is refused before any of it is passed through, as `analyze` refuses it.
    private mutating func isBinary(adding chunk: Data) -> Bool {
        guard var seen = head else { return false }
        seen.append(chunk.prefix(Self.headLength - seen.count))
        guard seen.count >= Self.headLength else {
            head = seen
            return false
        }
        head = nil
        return BinarySniffer.refusesStream(startingWith: seen)
    }

    /// Says the alerts, up to the first that reaches `--exit-on` (then true).
    @discardableResult
    func alert(_ alerts: [(run: Run, finding: Finding)]) -> Bool {
        for alert in alerts {
            console.message(LossLensCommand.Watch.describe(alert.finding, in: alert.run))
            if let exitOn, alert.finding.severity >= exitOn { return true }
        }
        return false
    }

    private mutating func pass(_ chunk: Data) {
        console.standardOutput.write(chunk)
        passedBytes += chunk.count
        partialLine = chunk.last != UInt8(ascii: "\n") && chunk.last != UInt8(ascii: "\r")
        console.reportOutputFailure("cannot pass the log through to standard output (still watching)")
    }

    private mutating func keep(_ chunk: Data) {
        guard keeping else { return }
        do {
            try live.append(chunk)
        } catch {
            keeping = false
            console.warning("\(live.source): \(error.localizedDescription); the report covers the log up to here")
        }
    }

    /// The file was truncated or replaced: a line left unfinished is ended, in the pass-through
    /// and in the analysis, so it does not run into the new file's first line.
    private mutating func startOver() {
        if partialLine {
            console.standardOutput.write("\n")
            partialLine = false
        }
        if keeping { try? live.startOver() }
    }
}

/// Re-analysis costs grow with the log; analyzing at most every few times its own cost keeps the
/// pass-through fast, while a quiet writer still gets its alert within one wait budget.
struct AnalysisScheduler {
    private var nextDue = Date.distantPast

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
