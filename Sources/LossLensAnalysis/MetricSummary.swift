@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// Which way a metric improves, so a report can name its best value.
public enum MetricDirection: Sendable {
    case lowerIsBetter, higherIsBetter

    private static let lowerBases: Set<String> = ["mae", "mse", "rmse", "mape", "msle", "error", "err", "perplexity", "ppl", "wer", "cer"]
    private static let higherBases: Set<String> = ["f1", "auc", "precision", "recall", "iou", "miou", "dice", "bleu", "map", "r2", "top5", "top_5_acc"]

    /// Losses go down, accuracies go up; a few well-known metric names are recognised too. Unknown
    /// metrics (and the learning rate) have no direction: the report shows no best value for them.
    public init?(for name: MetricName) {
        switch name.kind {
        case .loss: self = .lowerIsBetter
        case .accuracy: self = .higherIsBetter
        case .learningRate: return nil
        case .other:
            if Self.lowerBases.contains(name.base) { self = .lowerIsBetter }
            else if Self.higherBases.contains(name.base) { self = .higherIsBetter }
            else { return nil }
        }
    }
}

/// The first, best and last value of a series. Non-finite values never count as the best.
public struct MetricSummary: Sendable {
    /// The series summarized.
    public var series: MetricSeries

    public struct Value: Sendable, Equatable {
        public var value: Double
        public var epoch: Int?
        public var line: Int
        /// For a step-level series: the step.
        public var step: Int? = nil
    }

    public var first: Value?
    public var best: Value?
    public var last: Value?
    public var direction: MetricDirection?

    public init(_ series: MetricSeries) {
        func value(_ point: MetricPoint) -> Value {
            Value(value: point.value, epoch: point.epoch, line: point.line, step: series.granularity == .step ? point.step : nil)
        }
        self.series = series
        first = series.points.first.map(value)
        last = series.points.last.map(value)
        direction = MetricDirection(for: series.name)
        guard let direction else { return }
        // The earliest of equal best values, as EarlyStopping would keep it.
        var bestPoint: MetricPoint?
        for point in series.points where point.value.isFinite {
            guard let current = bestPoint else { bestPoint = point; continue }
            let better = direction == .lowerIsBetter ? point.value < current.value : point.value > current.value
            if better { bestPoint = point }
        }
        best = bestPoint.map(value)
    }
}
