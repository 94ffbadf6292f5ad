@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// A run with everything the analysis concluded about it. Renderers only format this: they compute
/// nothing of their own.
public struct AnalyzedRun: Sendable {
    public var run: Run
    public var findings: [Finding]
    /// Where `EarlyStopping` would have stopped; nil without an epoch-level validation loss.
    public var earlyStopping: EarlyStoppingReplay?
    /// First, best and last value of each epoch-level series that has points, in the run's series order.
    public var summaries: [MetricSummary]
    /// The loss curves worth drawing: training and validation loss per epoch.
    public var lossChart: LossChart
    /// What the run trains, as inferred (and why).
    public var task: TaskProfile
    /// What the shape rules judged: epochs, or logged steps and evaluations for a short run.
    public var judgedOn: Granularity

    public var worstSeverity: Severity? { findings.map(\.severity).max() }

    /// `curves` are what the run was judged on (by default: the run judged on its own).
    public init(run: Run, findings: [Finding], curves: RunCurves? = nil, patiences: [Int] = EarlyStoppingReplay.defaultPatiences) {
        let curves = curves ?? RunCurves(run)
        self.run = run
        self.findings = findings
        task = curves.task
        judgedOn = curves.granularity
        earlyStopping = EarlyStoppingReplay(run: run, patiences: patiences)
        // A run judged on its steps is shown by its steps: its epochs are too few to show anything.
        summaries = run.series.filter { $0.granularity == curves.granularity && !$0.points.isEmpty }.map(MetricSummary.init)
        lossChart = LossChart(curves)
    }
}

/// The loss series a report draws: the training and the validation loss, labelled.
public struct LossChart: Sendable {
    public struct Line: Sendable {
        public var label: String
        public var series: MetricSeries
    }

    public var lines: [Line]

    public init(run: Run) {
        lines = [(run.series(.loss, .train), "training"), (run.series(.loss, .validation), "validation")]
            .compactMap { series, label in series.map { Line(label: label, series: $0) } }
    }

    /// The curves the run was judged on: per epoch, or per logged step for a short run.
    public init(_ curves: RunCurves) {
        if curves.granularity == .step {
            self.init(lines: [(curves.trainLoss, "training"), (curves.heldOutLoss, "validation")]
                .compactMap { curve, label in curve.map { Line(label: label, series: $0.series) } })
        } else {
            self.init(run: curves.run)
        }
    }

    public init(lines: [Line]) {
        self.lines = lines
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
