import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Analysis of a log while it is being written (`losslens watch`): bytes are appended as they
/// arrive (past 8 MB into a temporary file, see `ByteSpool`), complete lines are re-analyzed, and
/// each finding of a live rule is reported once.
///
/// Only rules that can be judged on an unfinished run raise alerts (a NaN, divergence, a crash, a
/// spike); the others wait for the final report, where the whole run is known.
public final class LiveAnalysis {
    public static let liveRules = Set(DetectorRegistry.all.compactMap { $0.description.isLive ? $0.description.id : nil })

    public let source: String
    private let analyzer: Analyzer
    private let received: ByteSpool
    /// Bytes up to the last line end: a partial last line is not analyzed until it is complete.
    private var completeLength = 0
    private var analyzedLength = 0
    private var alerted = Set<String>()

    /// The last byte kept, to tell whether the log stands at the start of a line.
    private var lastByte: UInt8?

    public init(source: String, analyzer: Analyzer, memoryLimit: Int = ByteSpool.defaultMemoryLimit) {
        self.source = source
        self.analyzer = analyzer
        received = ByteSpool(memoryLimit: memoryLimit, limit: analyzer.options.spoolLimit)
    }

    /// Keeps a chunk for the analysis. Throws (`SpoolError`) when it cannot be kept, past
    /// `--max-spool` or on a full `$TMPDIR`: the analysis then covers what came before.
    public func append(_ chunk: Data) throws {
        guard let final = chunk.last else { return }
        let start = received.count
        try received.append(chunk)
        lastByte = final
        if let last = chunk.lastIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            completeLength = start + (last - chunk.startIndex) + 1
        }
    }

    /// The log starts over (its file was truncated or replaced): a line left unfinished is ended
    /// here, so it does not run into the first line of what follows.
    public func startOver() throws {
        if let lastByte, lastByte != UInt8(ascii: "\n"), lastByte != UInt8(ascii: "\r") {
            try append(Data([UInt8(ascii: "\n")]))
        }
    }

    /// Whether complete lines arrived since the last analysis.
    public var hasNewLines: Bool {
        completeLength > analyzedLength
    }

    /// Findings of live rules that were not reported before, for the complete lines so far.
    public func newAlerts() -> [(run: Run, finding: Finding)] {
        let length = completeLength
        guard length > analyzedLength else { return [] }
        analyzedLength = length
        let input = LogInput(source: source, content: received.content(upTo: length))
        guard let runs = try? analyzer.parse(input) else { return [] }
        var alerts: [(run: Run, finding: Finding)] = []
        for (index, run) in runs.enumerated() {
            for finding in analyzer.findings(for: run) where Self.liveRules.contains(finding.rule) {
                // One alert per run, rule and metric: a NaN that persists is not news every epoch.
                let key = "\(index)|\(finding.rule)|\(finding.metric ?? "")"
                if alerted.insert(key).inserted { alerts.append((run, finding)) }
            }
        }
        return alerts
    }

    /// The full analysis of everything received, for the report at the end.
    public func finalReport() -> AnalysisReport {
        do {
            let runs = try analyzer.analyze(LogInput(source: source, content: received.content(upTo: received.count)))
            return AnalysisReport(runs: runs, errors: [])
        } catch {
            return AnalysisReport(runs: [], errors: [SourceFailure(source: source, message: error.localizedDescription)])
        }
    }
}
