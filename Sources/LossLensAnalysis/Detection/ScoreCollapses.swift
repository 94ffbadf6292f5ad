@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// A held-out score that collapses and recovers: the accuracy or mAP a run is judged by loses most
/// of what it gained and wins it back (`oscillating` when it happens more than once). A detector's
/// summed loss can hide this (its terms trade off, and a term's swings are small beside the sum)
/// while its mAP falls from 0.97 to 0.02 and climbs back: the model is thrown out of its minimum and
/// finds it again, an optimizer overshooting rather than noise of the evaluation.
@_spi(Layers) public enum ScoreCollapses {
    /// A collapse gives back at least this share of the gain over the first value…
    static let collapseShare = 0.75
    /// …and a recovery wins back at least this share of it.
    static let recoveryShare = 0.75
    /// The gain over the first value must be at least this share of the score's scale (1 for a
    /// fraction, 100 for a percentage), so that a score that barely moves, or one stuck near 0, cannot
    /// collapse.
    static let smallestGainShare = 0.2
    static let minimumCollapses = 2

    /// One collapse and its recovery: indices of the best value before it, the lowest value in it
    /// and the first value back.
    struct Collapse {
        var peak: Int
        var low: Int
        var recovered: Int
    }

    /// The held-out accuracy and scores (mAP, F1, IoU, Dice, BLEU …) at the run's granularity.
    static func heldOutScores(_ curves: RunCurves) -> [MetricCurve] {
        let split = curves.heldOutLoss?.series.split ?? curves.heldOutAccuracy?.series.split ?? .validation
        return [curves.heldOutAccuracy].compactMap { $0 } + curves.scoreSeries(of: split).compactMap(MetricCurve.init)
    }

    /// The collapses of a score that were followed by a recovery, in order.
    static func collapses(of values: [Double]) -> [Collapse] {
        guard let first = values.first, first.isFinite else { return [] }
        let scale = (values.filter(\.isFinite).max() ?? 0) > 1 ? 100.0 : 1.0
        var found: [Collapse] = []
        var peak = 0
        var low: Int?
        for index in values.indices.dropFirst() where values[index].isFinite {
            let value = values[index]
            let gain = values[peak] - first
            if let current = low {
                if value < values[current] { low = index }
                if value >= first + recoveryShare * gain {
                    found.append(Collapse(peak: peak, low: current, recovered: index))
                    low = nil
                }
            } else if gain >= smallestGainShare * scale, value <= first + (1 - collapseShare) * gain {
                low = index
            }
            if low == nil, value > values[peak] { peak = index }
        }
        return found
    }
}
