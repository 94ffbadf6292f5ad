import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// `oscillating`: large swings up and down without a trend.
public struct OscillatingDetector: Detector {
    static let minimumEpochs = 8
    /// The typical epoch-to-epoch move must be at least ±25 %.
    static let typicalSwing = log(1.25)
    static let minimumReversalRate = 0.4
    /// The net trend must explain less than 30 % of the total movement (a converging loss that
    /// bounces at its noise floor has a larger share).
    static let maximumTrendShare = 0.3

    public static let description = RuleDescription(
        id: "oscillating", name: "Loss oscillates", defaultSeverity: .warning,
        summary: "the loss swings ≥ 25 % per epoch, reversing direction, without a trend",
        whatItDetects: "A loss that swings up and down by large factors from epoch to epoch without a clear trend.",
        whyItMatters: "The optimizer bounces around instead of descending: the final weights are a matter of luck.",
        howItDecides: "Needs \(minimumEpochs)+ epochs of positive loss. On log-ratios r = ln(x[i]/x[i-1]): the median |r| is ≥ ln 1.25 "
            + "(the typical epoch moves the loss by 25 % or more), the direction reverses in ≥ 40 % of the moves, and the net "
            + "Theil–Sen trend of ln(loss) over the run is less than 30 % of Σ|r| (swings, not a trend — a trend is `diverging`).",
        fix: "Lower the learning rate (or momentum), use a schedule, and increase the batch size.",
        triggeringExamples: [RuleExample(#"{"loss": [5.49, 7.31, 3.46, 2.99, 0.85, 1.61, 1.22, 0.49, 0.13, 0.14, 0.14, 0.04, 0.26, 1.24, 0.94, 0.40, 0.25, 0.03, 0.19, 14.2, 13.6, 7.9, 11.7, 3.8, 5.6, 0.32, 0.47, 4.2, 0.81, 2.07]}"#,
                                         note: "Adam with lr=1: the loss jumps by orders of magnitude both ways.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [1.26, 0.52, 0.32, 0.28, 0.39, 0.50, 0.43, 0.38, 0.24, 0.19, 0.18, 0.17, 0.17, 0.16, 0.16, 0.15]}"#,
                                            note: "Some early noise, then a steady decrease.")])

    public init() {}

    public func findings(in run: Run) -> [Finding] {
        let curves = RunCurves(run)
        guard curves.isJudgeable else { return [] }
        return curves.losses.compactMap { curve -> Finding? in
            guard curve.count >= Self.minimumEpochs, let ratios = SeriesStatistics.logRatios(curve.values),
                  let typical = SeriesStatistics.median(ratios.map(abs)), typical >= Self.typicalSwing,
                  let reversals = SeriesStatistics.signChangeRate(curve.values), reversals >= Self.minimumReversalRate,
                  let slope = SeriesStatistics.logSlope(curve.values) else { return nil }
            let movement = ratios.map(abs).reduce(0, +)
            let trend = abs(slope) * Double(curve.count - 1)
            guard trend < Self.maximumTrendShare * movement else { return nil }
            let swing = exp(typical)
            return Finding(
                rule: Self.description.id, severity: .warning, confidence: min(1, 0.5 + reversals / 2),
                metric: curve.key, firstEpoch: curve.firstEpoch, lastEpoch: curve.lastEpoch,
                message: "\(curve.key) oscillates: it typically changes by a factor of \(ValueFormat.number(swing)) from one epoch to the next "
                    + "and reverses direction in \(ValueFormat.percent(reversals)) of the epochs, between \(ValueFormat.number(curve.values.min()!)) "
                    + "and \(ValueFormat.number(curve.values.max()!)).",
                evidence: [curve.evidence(curve.indexOfMinimum, note: "lowest value"), curve.evidence(curve.indexOfMaximum, note: "highest value"),
                           curve.evidence(curve.count - 1, note: "last epoch")],
                causes: [
                    Cause("The learning rate is too high: steps overshoot the minimum back and forth.",
                          because: "the loss moves by \(ValueFormat.number(swing))x per epoch in alternating directions with no net trend"),
                    Cause("Momentum is too high (or Adam's betas too aggressive) for this problem.",
                          because: "overshooting that keeps reversing is amplified by momentum"),
                    Cause("Batches are too small or badly shuffled, so gradients are very noisy.",
                          because: "noisy gradients make the epoch loss jump without a trend"),
                ],
                fixes: [FixLibrary.lowerLearningRate, FixLibrary.learningRateSchedule, FixLibrary.clipGradients])
        }
    }
}
