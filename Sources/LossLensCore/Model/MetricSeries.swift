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
public struct MetricSeries: Hashable, Sendable {
    public var name: MetricName
    public var granularity: Granularity
    public var points: [MetricPoint]

    public init(name: MetricName, granularity: Granularity, points: [MetricPoint] = []) {
        self.name = name
        self.granularity = granularity
        self.points = points
    }

    public var values: [Double] { points.map(\.value) }
    public var split: Split { name.split }
    public var kind: MetricKind { name.kind }

    /// The key under which the series is reported: `val_loss` for epoch series, `val_loss@step` for step series.
    public var key: String {
        granularity == .epoch ? name.canonical : name.canonical + "@step"
    }

    /// Collapses a step series to one mean value per epoch; steps without a known epoch are left out.
    /// The evidence line of an epoch is that of its last step.
    public func aggregatedPerEpoch() -> MetricSeries {
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
