@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// A run with what the detectors found in it.
public struct AnalyzedRun: Sendable {
    public var run: Run
    public var findings: [Finding]

    public var worstSeverity: Severity? { findings.map(\.severity).max() }

    public init(run: Run, findings: [Finding]) {
        self.run = run
        self.findings = findings
    }
}

/// A source that could not be read or parsed; the rest of a batch goes on without it.
public struct SourceFailure: Sendable, Hashable {
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
}

/// Everything one invocation produced.
public struct AnalysisReport: Sendable {
    public var runs: [AnalyzedRun]
    public var errors: [SourceFailure]
    /// `--ignore`: rules that were not run, so the report can say so.
    public var ignoredRules: Set<String>
    /// `--min-severity`: findings below it were left out.
    public var minimumSeverity: Severity

    public init(runs: [AnalyzedRun], errors: [SourceFailure], ignoredRules: Set<String> = [], minimumSeverity: Severity = .info) {
        self.runs = runs
        self.errors = errors
        self.ignoredRules = ignoredRules
        self.minimumSeverity = minimumSeverity
    }

    /// An empty report that records the filters `options` apply.
    public init(options: AnalysisOptions) {
        self.init(runs: [], errors: [], ignoredRules: options.ignoredRules, minimumSeverity: options.minimumSeverity)
    }
}
