@_spi(Layers) import LossLensBytes
/// How bad a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A value from the log that supports a finding, with where it stands in the source.
public struct Evidence: Hashable, Sendable {
    public var metric: String
    public var epoch: Int?
    public var step: Int?
    public var value: Double?
    /// 1-based line (or record) in the run's source, or in `source` when set.
    public var line: Int?
    /// The file `line` is in when it is not the run's source: the console log that printed the value
    /// of a run read from its history file.
    public var source: String?
    /// What this value shows, in a few words ("minimum", "first NaN", "last value before").
    public var note: String

    public init(metric: String, epoch: Int? = nil, step: Int? = nil, value: Double? = nil, line: Int? = nil, note: String) {
        self.metric = metric
        self.epoch = epoch
        self.step = step
        self.value = value
        self.line = line
        self.note = note
    }

    /// Evidence for one point of a series.
    public init(_ series: MetricSeries, at index: Int, note: String) {
        let point = series.points[index]
        self.init(metric: series.key, epoch: point.epoch, step: series.granularity == .step ? point.step : nil,
                  value: point.value, line: point.line, note: note)
    }
}

/// A likely cause, with the evidence in this run that makes it likely.
public struct Cause: Hashable, Sendable {
    public var text: String
    /// Why this cause ranks where it does, in terms of this run's evidence.
    public var because: String
    /// Whether `because` cites something this run's log shows (values, epochs, steps, an exception).
    /// A cause the log cannot show (unnormalized inputs, a missing `optimizer.step()`) ranks below
    /// every cause the log shows, and says so.
    public var isSeenInLog: Bool

    public init(_ text: String, because: String) {
        self.text = text
        self.because = because
        isSeenInLog = true
    }

    /// A cause this log cannot show: `reason` says why it is still worth checking.
    public init(_ text: String, notInLog reason: String) {
        self.text = text
        because = "nothing in this log shows it; " + reason
        isSeenInLog = false
    }
}

/// A concrete change, with code where the framework matters.
public struct Fix: Hashable, Sendable {
    public var text: String
    public var keras: String?
    public var pytorch: String?
    /// The setting the fix turns and which way, so that a report never tells one run to turn a
    /// setting both ways (lower and raise the learning rate).
    public var adjustment: Adjustment?

    public init(_ text: String, keras: String? = nil, pytorch: String? = nil, adjustment: Adjustment? = nil) {
        self.text = text
        self.keras = keras
        self.pytorch = pytorch
        self.adjustment = adjustment
    }
}

/// A training setting a fix turns, and the direction.
public struct Adjustment: Hashable, Sendable {
    public enum Setting: String, Sendable {
        case learningRate = "learning rate"
        case regularization
        case modelCapacity = "model capacity"
    }

    public enum Direction: Sendable {
        case down, up
    }

    public var setting: Setting
    public var direction: Direction

    public init(_ setting: Setting, _ direction: Direction) {
        self.setting = setting
        self.direction = direction
    }

    /// Whether two fixes would turn the same setting opposite ways.
    public func contradicts(_ other: Adjustment) -> Bool {
        setting == other.setting && direction != other.direction
    }
}

/// A symptom that a finding explains: reported as supporting evidence of the finding, not as a
/// finding of its own (the metrics of a run that turned NaN are flat and at chance because of the NaN).
public struct Explanation: Hashable, Sendable {
    public var rule: String
    public var metric: String?
    public var firstEpoch: Int?
    public var lastEpoch: Int?
    public var message: String

    public init(rule: String, metric: String?, firstEpoch: Int?, lastEpoch: Int?, message: String) {
        self.rule = rule
        self.metric = metric
        self.firstEpoch = firstEpoch
        self.lastEpoch = lastEpoch
        self.message = message
    }

    public init(_ finding: Finding) {
        self.init(rule: finding.rule, metric: finding.metric, firstEpoch: finding.firstEpoch, lastEpoch: finding.lastEpoch,
                  message: finding.message)
    }
}

/// What a detector concluded about a run. Every detector reports through this one type.
public struct Finding: Hashable, Sendable {
    /// The detector's stable id (`flat`, `non-finite`, …).
    public var rule: String
    public var severity: Severity
    /// How sure the detector is, in [0, 1].
    public var confidence: Double
    /// The key of the series the finding is about (`val_loss`), if it is about one.
    public var metric: String?
    public var firstEpoch: Int?
    public var lastEpoch: Int?
    public var message: String
    public var evidence: [Evidence]
    /// Ranked, most likely first.
    public var causes: [Cause]
    public var fixes: [Fix]
    /// The symptoms this finding explains (set by the diagnosis step): a finding in a report is a
    /// diagnosis, and what follows from it is its evidence, not another finding.
    public var explains: [Explanation] = []

    public init(
        rule: String, severity: Severity, confidence: Double, metric: String? = nil, firstEpoch: Int? = nil,
        lastEpoch: Int? = nil, message: String, evidence: [Evidence] = [], causes: [Cause] = [], fixes: [Fix] = []
    ) {
        self.rule = rule
        self.severity = severity
        self.confidence = min(1, max(0, confidence))
        self.metric = metric
        self.firstEpoch = firstEpoch
        self.lastEpoch = lastEpoch
        self.message = message
        self.evidence = evidence
        self.causes = causes
        self.fixes = fixes
    }
}
