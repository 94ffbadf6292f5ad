@_spi(Layers) import LossLensBytes
/// One value of a metric and where in the source it came from.
public struct MetricPoint: Hashable, Sendable {
    /// 1-based epoch the value belongs to (for step series: the epoch the step falls in, when known).
    public var epoch: Int?
    /// Global step (0- or 1-based as the log prints it) for step series.
    public var step: Int?
    /// Fractional epoch as the log printed it (Hugging Face prints `'epoch': 0.3125`).
    public var epochProgress: Double?
    /// NaN and ±infinity are kept: they are findings, not parse errors.
    public var value: Double
    /// 1-based line (text sources) or record number (binary sources) of the evidence.
    public var line: Int

    public init(epoch: Int? = nil, step: Int? = nil, epochProgress: Double? = nil, value: Double, line: Int) {
        self.epoch = epoch
        self.step = step
        self.epochProgress = epochProgress
        self.value = value
        self.line = line
    }
}

/// The values of one metric over a run, in the order they were logged.
///
/// A per-step series of more than `StepSeriesBuffer.exactLimit` (50 000) points (a gigabyte log) is reduced
/// while it is read: `points` is then a deterministic sample that keeps the first and last points
/// and the first non-finite values with the point before each, and `reduction` holds the logged
/// count and exact per-epoch statistics of every point, from which the epoch series is computed.
public struct MetricSeries: Hashable, Sendable {
    public var name: MetricName
    public var granularity: Granularity
    public var points: [MetricPoint]
    /// Set when `points` is a sample of a longer series.
    public var reduction: SeriesReduction?

    public init(name: MetricName, granularity: Granularity, points: [MetricPoint] = [], reduction: SeriesReduction? = nil) {
        self.name = name
        self.granularity = granularity
        self.points = points
        self.reduction = reduction
    }

    public var values: [Double] { points.map(\.value) }

    /// Divides every value by `divisor` (accuracies printed as percentages), statistics included.
    @_spi(Layers) public mutating func scale(dividingBy divisor: Double) {
        for index in points.indices { points[index].value /= divisor }
        guard var reduced = reduction else { return }
        for index in reduced.epochs.indices {
            reduced.epochs[index].sum /= divisor
            reduced.epochs[index].minimum = reduced.epochs[index].minimum.map { $0 / divisor }
            reduced.epochs[index].maximum = reduced.epochs[index].maximum.map { $0 / divisor }
        }
        reduction = reduced
    }
    public var split: Split { name.split }
    public var kind: MetricKind { name.kind }

    /// The key under which the series is reported: `val_loss` for epoch series, `val_loss@step` for step series.
    public var key: String {
        granularity == .epoch ? name.canonical : name.canonical + "@step"
    }

    /// Collapses a step series to one mean value per epoch; steps without a known epoch are left out.
    /// The evidence line of an epoch is that of its last step.
    public func aggregatedPerEpoch() -> MetricSeries {
        if let reduction {
            let aggregated = reduction.epochs.map { MetricPoint(epoch: $0.epoch, value: $0.mean, line: $0.lastLine) }
            return MetricSeries(name: name, granularity: .epoch, points: aggregated)
        }
        var order: [Int] = []
        var sums: [Int: (sum: Double, count: Int, line: Int)] = [:]
        for point in points {
            guard let epoch = point.epoch else { continue }
            if sums[epoch] == nil { order.append(epoch) }
            let previous = sums[epoch] ?? (0, 0, point.line)
            sums[epoch] = (previous.sum + point.value, previous.count + 1, point.line)
        }
        let aggregated = order.map { epoch -> MetricPoint in
            let entry = sums[epoch]!
            return MetricPoint(epoch: epoch, value: entry.sum / Double(entry.count), line: entry.line)
        }
        return MetricSeries(name: name, granularity: .epoch, points: aggregated)
    }
}
