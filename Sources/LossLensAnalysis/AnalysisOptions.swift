@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// What an `Analyzer` reads and reports: the dialect, extra patterns, rule filters, grouping.
public struct AnalysisOptions: Sendable {
    /// Forces one dialect instead of choosing by content.
    public var inputFormat: InputFormat?
    /// Extra pattern files (`--patterns DIR`).
    public var patternsDirectory: String?
    public var ignoredRules: Set<String>
    public var minimumSeverity: Severity
    /// Report the artifacts of one run (console, history, CSV, events) once, from the most exact one.
    public var groupsArtifacts: Bool
    /// `--classes K`: the class count of a classifier, instead of inferring it.
    public var classes: Int?
    /// Runs and series per input (`--max-runs`, `--max-series`).
    public var runLimits = RunLimits()
    /// The most bytes kept of a stream: standard input, a pipe, a FIFO, a device (`--max-spool`).
    public var spoolLimit = ByteSpool.defaultLimit
    /// How long a named pipe, FIFO or device may stay silent before it is given up (`--idle-timeout`).
    public var idleTimeout: Double? = AnalysisOptions.defaultIdleTimeout
    public static let defaultIdleTimeout = 60.0

    public init(
        inputFormat: InputFormat? = nil, patternsDirectory: String? = nil, ignoredRules: Set<String> = [],
        minimumSeverity: Severity = .info, groupsArtifacts: Bool = true, classes: Int? = nil
    ) {
        self.classes = classes
        self.groupsArtifacts = groupsArtifacts
        self.inputFormat = inputFormat
        self.patternsDirectory = patternsDirectory
        self.ignoredRules = ignoredRules
        self.minimumSeverity = minimumSeverity
    }
}
