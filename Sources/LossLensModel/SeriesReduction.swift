@_spi(Layers) import LossLensBytes
/// What a step series that was too long to keep whole still knows exactly (see `StepSeriesBuffer`).
public struct SeriesReduction: Hashable, Sendable {
    /// How many points were logged; the series keeps a sample of them.
    public var originalCount: Int
    /// Exact statistics of every logged point with a known epoch, in the order epochs first appeared.
    public var epochs: [EpochStatistics]

    public init(originalCount: Int, epochs: [EpochStatistics]) {
        self.originalCount = originalCount
        self.epochs = epochs
    }
}

/// Exact statistics of the step values of one epoch.
public struct EpochStatistics: Hashable, Sendable {
    public var epoch: Int
    public var count = 0
    /// Summed in logged order, so the mean equals the one computed from all points.
    public var sum = 0.0
    /// Over the finite values; nil when there is none.
    public var minimum: Double?
    public var maximum: Double?
    /// The first NaN or ±inf of the epoch.
    public var firstNonFinite: MetricPoint?
    /// The line of the epoch's last point (the evidence line of its mean).
    public var lastLine = 0

    public init(epoch: Int) {
        self.epoch = epoch
    }

    public var mean: Double { sum / Double(count) }

    /// `add` for a finite value, which needs no point.
    @inline(__always)
    mutating func addFinite(_ value: Double, line: Int) {
        count += 1
        sum += value
        lastLine = line
        minimum = Swift.min(minimum ?? value, value)
        maximum = Swift.max(maximum ?? value, value)
    }

    @_spi(Layers) public mutating func add(_ point: MetricPoint) {
        count += 1
        sum += point.value
        lastLine = point.line
        if point.value.isFinite {
            minimum = Swift.min(minimum ?? point.value, point.value)
            maximum = Swift.max(maximum ?? point.value, point.value)
        } else if firstNonFinite == nil {
            firstNonFinite = point
        }
    }
}
