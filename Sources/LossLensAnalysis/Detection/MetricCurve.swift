@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// The finite values of one epoch series, as detectors read them: NaN and ±inf are the
/// `non-finite` detector's business, every other detector works on what remains.
public struct MetricCurve: Sendable {
    public let series: MetricSeries
    /// Positions in `series.points` of the finite values, in order.
    public let positions: [Int]
    public let values: [Double]

    public init?(_ series: MetricSeries?) {
        guard let series else { return nil }
        let positions = series.points.indices.filter { series.points[$0].value.isFinite }
        guard !positions.isEmpty else { return nil }
        self.series = series
        self.positions = positions
        values = positions.map { series.points[$0].value }
    }

    public var key: String { series.key }
    public var count: Int { values.count }
    public var window: Int { SeriesStatistics.windowLength(forCount: count) }

    /// The epoch of the i-th finite value.
    public func epoch(_ index: Int) -> Int? { series.points[positions[index]].epoch }
    public var firstEpoch: Int? { epoch(0) }
    public var lastEpoch: Int? { epoch(count - 1) }

    public func evidence(_ index: Int, note: String) -> Evidence {
        Evidence(series, at: positions[index], note: note)
    }

    public var head: [Double] { Array(values.prefix(window)) }
    public var tail: [Double] { Array(values.suffix(window)) }
    public var headMedian: Double { SeriesStatistics.median(head)! }
    public var tailMedian: Double { SeriesStatistics.median(tail)! }
    /// Values from the second epoch on: the first epoch of a training metric is averaged over a
    /// model that changes during the epoch, so it is often far from the rest.
    public var afterFirst: [Double] { Array(values.dropFirst()) }

    public var indexOfMinimum: Int { values.indices.min { values[$0] < values[$1] }! }
    public var indexOfMaximum: Int { values.indices.max { values[$0] < values[$1] }! }
}

extension MetricCurve {
    /// Where the i-th finite value sits, as a report says it: `epoch 5`, or `step 1200` for a
    /// step-level curve.
    public func place(_ index: Int) -> String {
        let point = series.points[positions[index]]
        if series.granularity == .step, let step = point.step { return "step \(step)" }
        return point.epoch.map { "epoch \($0)" } ?? "point \(index + 1)"
    }

    /// `epochs 2–20` or `steps 100–2400`.
    public func span(from first: Int, to last: Int) -> String {
        guard first != last else { return place(first) }
        let unit = series.granularity == .step ? "steps" : "epochs"
        let number = { (index: Int) -> String in
            let point = series.points[positions[index]]
            return (series.granularity == .step ? point.step : point.epoch).map(String.init) ?? "?"
        }
        return "\(unit) \(number(first))–\(number(last))"
    }
}

extension MetricCurve {
    /// The epoch of the i-th finite value, or its step for a step-level curve: what aligns a
    /// training curve with a held-out one.
    public func coordinate(_ index: Int) -> Int? {
        let point = series.points[positions[index]]
        return series.granularity == .step ? point.step : point.epoch
    }
}
