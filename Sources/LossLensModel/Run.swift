@_spi(Layers) import LossLensBytes
/// The exception a log ends with.
public struct Crash: Hashable, Sendable {
    /// e.g. `RuntimeError`, `ValueError`, `tensorflow.python.framework.errors_impl.InvalidArgumentError`.
    public var exceptionType: String
    public var message: String
    /// 1-based line of the exception line (the last line of the traceback).
    public var line: Int

    public init(exceptionType: String, message: String, line: Int) {
        self.exceptionType = exceptionType
        self.message = message
        self.line = line
    }

    /// Ctrl-C (SIGINT) raises `KeyboardInterrupt` in Python: the user stopped the run, nothing broke.
    public var isUserStop: Bool {
        exceptionType == "KeyboardInterrupt" || exceptionType.hasSuffix(".KeyboardInterrupt")
    }

    /// The stop as a run event, for a run the user stopped.
    public var stopEvent: RunEvent {
        RunEvent(kind: .stoppedByUser, text: "\(exceptionType): the run was stopped by the user (Ctrl-C)", line: line)
    }
}

/// A line the training printed that is not an epoch but says something happened (callbacks, restarts).
public struct RunEvent: Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case earlyStopping, learningRateReduced, checkpoint, restoredWeights, other
        /// Ctrl-C or SIGINT: a stop, not a crash.
        case stoppedByUser
        /// Not printed by the training: the input was damaged (a corrupt or truncated event file, ragged
        /// CSV rows, numbers beyond the range of a Double) and the run holds only what could be read,
        /// or values read in a way the event text says.
        case inputDamaged
    }

    public var kind: Kind
    public var text: String
    public var line: Int
    /// The epoch the event refers to, when it names one.
    public var epoch: Int?

    public init(kind: Kind, text: String, line: Int, epoch: Int? = nil) {
        self.kind = kind
        self.text = text
        self.line = line
        self.epoch = epoch
    }
}

/// An artifact that holds the same run as the source a run was built from.
public struct Companion: Hashable, Sendable {
    public var source: String
    public var format: InputFormat

    public init(source: String, format: InputFormat) {
        self.source = source
        self.format = format
    }
}

/// The lines of a console log that printed a run's epoch values.
public struct PrintedLines: Hashable, Sendable {
    public var source: String
    public var lines: [String: [Int: Int]]

    public init(source: String, lines: [String: [Int: Int]]) {
        self.source = source
        self.lines = lines
    }

    /// The console line of one epoch value, if the console printed it.
    public func line(of metric: String, epoch: Int) -> Int? { lines[metric]?[epoch] }
}

/// One training run found in a source: its metric series and what else the log said about it.
public struct Run: Hashable, Sendable {
    /// The file (or `-` for standard input) the run was read from.
    public var source: String
    public var format: InputFormat
    /// Distinguishes several runs of one source: `run 1`, `run 2`, or a folder name.
    public var name: String
    public var series: [MetricSeries] {
        didSet { epochCount = Self.epochCount(of: series) }
    }
    /// The number of epochs the run logged: the longest epoch series, or the epochs its steps
    /// reach. Kept with the series: detectors and reports ask it often, and a step series of a long
    /// run holds tens of thousands of points.
    public private(set) var epochCount: Int
    /// The epoch count the log announced (`Epoch 3/20` → 20).
    public var plannedEpochs: Int?
    public var events: [RunEvent]
    public var crash: Crash?
    /// Other artifacts of the same run that were read and found to agree with this one
    /// (a console log beside the history.json it printed), with why this source was preferred.
    public var companions: [Companion] = []
    /// Where a companion console printed each epoch value (series key → epoch → line), so evidence can
    /// point at the line a person reads rather than a record of the history file.
    public var printedLines: PrintedLines?
    /// What the reader wants the user to know about how the run was read: that the generic reader
    /// guessed at an unknown print style, that a constant epoch column was ignored, that a file holds
    /// final values only. Reports show them with the run.
    public var notes: [String] = []

    public init(
        source: String, format: InputFormat, name: String, series: [MetricSeries] = [], plannedEpochs: Int? = nil,
        events: [RunEvent] = [], crash: Crash? = nil
    ) {
        self.source = source
        self.format = format
        self.name = name
        self.series = series
        epochCount = Self.epochCount(of: series)
        self.plannedEpochs = plannedEpochs
        self.events = events
        self.crash = crash
    }

    private static func epochCount(of series: [MetricSeries]) -> Int {
        var count = 0
        for one in series {
            if one.granularity == .epoch {
                count = max(count, one.points.count)
            } else {
                for point in one.points { if let epoch = point.epoch, epoch > count { count = epoch } }
            }
        }
        return count
    }

    /// The series with this canonical name and granularity.
    public func series(named canonical: String, granularity: Granularity = .epoch) -> MetricSeries? {
        series.first { $0.name.canonical == canonical && $0.granularity == granularity }
    }

    /// The epoch-level series of a kind and split (e.g. validation loss), if the run has one.
    public func series(_ kind: MetricKind, _ split: Split) -> MetricSeries? {
        Self.preferred(series.filter { $0.kind == kind && $0.split == split && $0.granularity == .epoch }, kind: kind)
    }

    /// The series that stands for a kind among several of it: the plain name (`loss`) over compound
    /// ones (`cls_loss`), and a sum (`loss_total`) over the terms mmdetection and detectron2 print
    /// beside it (`loss_cls`).
    public static func preferred(_ candidates: [MetricSeries], kind: MetricKind) -> MetricSeries? {
        candidates.first { $0.name.base == (kind == .loss ? "loss" : kind == .accuracy ? "acc" : "lr") }
            ?? candidates.first { !$0.name.isPrefixedLossTerm } ?? candidates.first
    }

    /// Adds per-epoch aggregates for step series that have no epoch series of the same name,
    /// so that detectors can always work on epoch series.
    public mutating func addEpochAggregates() {
        // A set, not `series(named:)` per series, and one assignment, not an append per series
        // (each runs `didSet` over every series): with thousands of metric names either made
        // this quadratic (minutes for 20 000 names).
        var epochNames = Set(series.lazy.filter { $0.granularity == .epoch }.map(\.name.canonical))
        var aggregates: [MetricSeries] = []
        for stepSeries in series where stepSeries.granularity == .step {
            guard !epochNames.contains(stepSeries.name.canonical) else { continue }
            let aggregated = stepSeries.aggregatedPerEpoch()
            if !aggregated.points.isEmpty {
                aggregates.append(aggregated)
                epochNames.insert(aggregated.name.canonical)
            }
        }
        if !aggregates.isEmpty { series += aggregates }
    }

    /// Whether the run holds at least one value.
    public var hasMetrics: Bool { series.contains { !$0.points.isEmpty } }
}
