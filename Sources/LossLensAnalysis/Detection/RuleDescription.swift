@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// A tiny log that documents a rule and is run as its test: a triggering example must make the
/// rule report, a non-triggering one must not.
public struct RuleExample: Sendable {
    /// The log text, in any dialect losslens reads (Keras history JSON is the most compact).
    public var log: String
    /// What the example shows.
    public var note: String

    public init(_ log: String, note: String) {
        self.log = log
        self.note = note
    }
}

/// The static description of a detector: its documentation (`losslens explain`) and its test.
public struct RuleDescription: Sendable {
    /// Stable kebab-case id: a public contract (JSON output, `--ignore`, docs).
    public var id: String
    public var name: String
    public var defaultSeverity: Severity
    /// When the rule fires, in one line: the README's rule table.
    public var summary: String
    /// Whether the rule can tell on an unfinished run, so `watch` alerts with it while training runs.
    public var isLive: Bool
    public var whatItDetects: String
    public var whyItMatters: String
    /// How the detector decides, with its thresholds (they are scale-free).
    public var howItDecides: String
    public var fix: String
    public var triggeringExamples: [RuleExample]
    public var nonTriggeringExamples: [RuleExample]

    public init(
        id: String, name: String, defaultSeverity: Severity, summary: String, isLive: Bool = false,
        whatItDetects: String, whyItMatters: String,
        howItDecides: String, fix: String, triggeringExamples: [RuleExample], nonTriggeringExamples: [RuleExample]
    ) {
        self.id = id
        self.name = name
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.isLive = isLive
        self.whatItDetects = whatItDetects
        self.whyItMatters = whyItMatters
        self.howItDecides = howItDecides
        self.fix = fix
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}

/// One rule: looks at a run's curves and reports findings (symptoms: the diagnosis step groups
/// them). One detector per file under `Detectors/`.
public protocol Detector: Sendable {
    static var description: RuleDescription { get }
    init()
    func findings(in curves: RunCurves) -> [Finding]
}

extension Detector {
    /// The findings for a run judged on its own, with the task inferred from it.
    public func findings(in run: Run) -> [Finding] {
        findings(in: RunCurves(run))
    }
}
