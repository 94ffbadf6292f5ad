import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Where a loss curve bottomed out and how far it climbed since: the shared measurement behind
/// `diverging`, `overfitting` and `metric-mismatch`.
@_spi(Layers) public struct LossTrend {
    /// Index of the lowest 3-epoch rolling median (the smoothed minimum).
    let minimumIndex: Int
    let minimumLevel: Double
    /// Median of the last window.
    let tailLevel: Double
    /// `tailLevel / minimumLevel`.
    let riseFactor: Double

    /// `smoothing` is the rolling median's length: 3 for epoch means; a curve of single samples
    /// (a GAN's per-iteration losses) needs its window, or one lucky sample becomes its minimum.
    @_spi(Layers) public init?(_ curve: MetricCurve, smoothing: Int = 3) {
        guard curve.count >= RunCurves.minimumEpochs, curve.values.allSatisfy({ $0 > 0 }) else { return nil }
        let smoothed = SeriesStatistics.rollingMedians(curve.values, length: min(smoothing, curve.count))
        guard let lowest = smoothed.indices.min(by: { smoothed[$0] < smoothed[$1] }) else { return nil }
        minimumIndex = lowest + smoothing / 2
        minimumLevel = smoothed[lowest]
        tailLevel = curve.tailMedian
        riseFactor = tailLevel / minimumLevel
    }

    /// Theil–Sen slope of ln(loss) from the minimum to the end (log growth per epoch). Asked for
    /// only when the rest of a finding holds: over a long run it pairs a thousand values.
    func logSlopeSinceMinimum(_ curve: MetricCurve) -> Double? {
        SeriesStatistics.logSlope(Array(curve.values[minimumIndex...]))
    }

    /// Epochs from the minimum to the end.
    func epochsSinceMinimum(_ curve: MetricCurve) -> Int { curve.count - 1 - minimumIndex }
}
