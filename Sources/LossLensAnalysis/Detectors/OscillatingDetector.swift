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
    /// A step-level curve's typical move must span this share of its range.
    static let stepSwingOfRange = 0.25
    /// Large moves in at least this share of the epochs, turning back at least this often, make an
    /// epoch-level curve oscillate whatever its typical move.
    static let largeMoveShare = 0.25
    /// A second half below this share of the first is progress.
    static let progressRatio = 0.9
    static let minimumLargeReversals = 3
    /// A large move must also be this share of the curve's scale.
    static let materialMove = 0.05
    /// A component of a summed loss is judged when it carries at least this share of the sum.
    static let smallestJudgedShare = 0.1

    public static let description = RuleDescription(
        id: "oscillating", name: "Loss oscillates", defaultSeverity: .warning,
        summary: "the loss swings ≥ 25 % per epoch, reversing direction, without a trend",
        whatItDetects: "A loss that swings up and down by large factors from epoch to epoch without a clear trend.",
        whyItMatters: "The optimizer bounces around instead of descending: the final weights are a matter of luck.",
        howItDecides: "Needs \(minimumEpochs)+ epochs of positive loss. On log-ratios r = ln(x[i]/x[i-1]): the median |r| is ≥ ln 1.25 "
            + "(the typical epoch moves the loss by 25 % or more) — or, for a training loss per epoch, a quarter of the moves are ≥ 25 % and ≥ 5 % of the "
            + "curve's scale (its first value, or a tenth of its largest) and turn back at least 3 times while the median of its second half is "
            + "≥ 90 % of its first half's (after epoch 1) — the direction reverses in ≥ 40 % of the moves, and the net "
            + "Theil–Sen trend of ln(loss) over the run is less than 30 % of Σ|r| (swings, not a trend — a trend is `diverging`). "
            + "A term of a detector's summed loss (`loss_rpn_cls`, `box_loss`) is judged only when its median is ≥ 10 % of the sum's. "
            + "When no loss oscillates, a held-out accuracy or score (mAP, F1, IoU, Dice, BLEU) over \(minimumEpochs)+ epochs that twice or more "
            + "gives back ≥ 75 % of its gain over its first value (a gain of ≥ 0.2, or 20 points on a percent scale) and then wins back ≥ 75 % of it oscillates too.",
        fix: "Lower the learning rate (or momentum), use a schedule, and increase the batch size.",
        triggeringExamples: [RuleExample(#"{"loss": [5.49, 7.31, 3.46, 2.99, 0.85, 1.61, 1.22, 0.49, 0.13, 0.14, 0.14, 0.04, 0.26, 1.24, 0.94, 0.40, 0.25, 0.03, 0.19, 14.2, 13.6, 7.9, 11.7, 3.8, 5.6, 0.32, 0.47, 4.2, 0.81, 2.07]}"#,
                                         note: "Adam with lr=1: the loss jumps by orders of magnitude both ways."),
                             RuleExample(#"{"loss": [0.1435, 0.0733, 0.0702, 0.0685, 0.0766, 0.1121, 0.0775, 0.0579, 0.0532, 0.0526, 0.0466, 0.0711, 0.103, 0.0487, 0.0467, 0.0743, 0.0792, 0.0714, 0.0634, 0.079, 0.0553, 0.0489, 0.0503, 0.0449, 0.0659, 0.1005, 0.0797, 0.0774, 0.0812, 0.0791]}"#,
                                         note: "Adam with lr=0.3 on a linear model: the loss gains nothing after epoch 2 and keeps jumping by half and falling back."),
                             RuleExample(#"{"loss": [2.94, 2.44, 1.8, 1.47, 1.24, 1.23, 1.16, 1.2, 1.16, 1.12, 1.04, 0.95, 0.98, 0.94, 1.01, 1.03, 0.99, 0.88, 0.95, 0.97, 0.87, 0.86, 0.84, 0.81, 0.74], "val_map50": [0.32, 0.73, 0.75, 0.9, 0.94, 0.97, 0.88, 0.14, 0.38, 0.75, 0.62, 0.45, 0.03, 0.02, 0.18, 0.39, 0.85, 0.9, 0.87, 0.42, 0.34, 0.55, 0.83, 0.91, 0.99]}"#,
                                         note: "A detector's mAP collapses from 0.97 to 0.02 and comes back, twice, while its loss descends.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [1.26, 0.52, 0.32, 0.28, 0.39, 0.50, 0.43, 0.38, 0.24, 0.19, 0.18, 0.17, 0.17, 0.16, 0.16, 0.15]}"#,
                                            note: "Some early noise, then a steady decrease."),
                                 RuleExample(#"{"loss": [2.31, 2.2, 2.12, 2.05, 1.99, 1.94, 1.9, 1.86, 1.83, 1.8], "loss_bbox": [0.02, 0.05, 0.015, 0.06, 0.02, 0.07, 0.018, 0.05, 0.02, 0.06]}"#,
                                            note: "A detector's box term bounces at 2 % of the summed loss, which descends steadily."),
                                 RuleExample(#"{"loss": [0.975, 0.862, 0.983, 0.577, 0.698, 0.467, 0.678, 0.546, 0.589, 0.42, 0.444, 0.378, 0.335, 0.36, 0.283, 0.308, 0.345, 0.305, 0.278, 0.391, 0.284, 0.255, 0.279, 0.25, 0.252, 0.251, 0.348, 0.261, 0.265, 0.283]}"#,
                                            note: "Jumps of a quarter and back, but the loss falls 3.5x: noise around a descent.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable else { return [] }
        // A term that carries a small share of the summed loss (an RPN's objectness loss at 0.005
        // beside a total of 0.5) barely steers the optimizer: its relative swings are noise.
        let judged = curves.allLosses.filter {
            curves.task.judgesShape(of: $0.series) && curves.shareOfSummedLoss($0) >= Self.smallestJudgedShare
        }
        let oscillating = judged.compactMap { curve in swings(curve).map { (curve, $0) } }
        let trainSwings = oscillating.contains { $0.0.series.split == .train }
        let findings = oscillating.map { curve, swing in finding(curve, swing: swing, trainSmooth: curve.series.split != .train && !trainSwings) }
        return findings.isEmpty ? [scoreCollapseFinding(curves)].compactMap { $0 } : findings
    }

    /// How a curve swings: its typical move as a factor, how often it reverses direction, and how
    /// many times its large moves (see `largeMoves`) turned back.
    struct Swing {
        var factor: Double
        var reversals: Double
        var largeReversals: Int
    }

    /// The swing of a curve that oscillates without a trend.
    private func swings(_ curve: MetricCurve) -> Swing? {
        guard curve.count >= Self.minimumEpochs, let ratios = SeriesStatistics.logRatios(curve.values),
              let typical = SeriesStatistics.median(ratios.map(abs)) else { return nil }
        // Only a training loss per epoch: it averages over many batches, while a held-out loss is
        // often measured on a set small enough to jump by a quarter in a healthy run.
        let averaged = curve.series.granularity == .epoch && curve.series.split == .train
        let large = averaged ? Self.largeMoves(curve.values) : (count: 0, reversals: 0)
        let oftenLarge = large.reversals >= Self.minimumLargeReversals && Double(large.count) >= Self.largeMoveShare * Double(ratios.count)
            && Self.gainsNothing(curve.values)
        guard typical >= Self.typicalSwing || oftenLarge,
              let reversals = SeriesStatistics.signChangeRate(curve.values), reversals >= Self.minimumReversalRate,
              let slope = SeriesStatistics.logSlope(curve.values) else { return nil }
        let movement = ratios.map(abs).reduce(0, +)
        let trend = abs(slope) * Double(curve.count - 1)
        guard trend < Self.maximumTrendShare * movement else { return nil }
        if curve.series.granularity == .step {
            // Minibatch noise near the end of training is large relative to a small loss, small
            // relative to the curve: a step-level curve oscillates when its swings span its range.
            guard let low = curve.values.min(), let high = curve.values.max(), high > low,
                  let step = SeriesStatistics.median(SeriesStatistics.differences(curve.values).map(abs)),
                  step >= Self.stepSwingOfRange * (high - low) else { return nil }
        }
        return Swing(factor: exp(typical), reversals: reversals, largeReversals: large.reversals)
    }

    /// Whether a loss made no progress after its first epoch: the median of the second half of the
    /// rest is not below 90 % of the first half's. Large moves around a descent are the noise of a
    /// loss that still learns; around a level they are all it does.
    static func gainsNothing(_ values: [Double]) -> Bool {
        let rest = Array(values.dropFirst())
        let half = rest.count / 2
        guard half >= 2, let early = SeriesStatistics.median(Array(rest.prefix(half))),
              let late = SeriesStatistics.median(Array(rest.suffix(half))) else { return false }
        return late >= Self.progressRatio * early
    }

    /// The curve's large moves, and how many times they turn back: moves of ≥ 25 % that are also
    /// ≥ 5 % of the curve's scale (its first value, or a tenth of its largest), so that noise around
    /// a small, converged value does not count. An epoch's mean averages over many batches: a loss
    /// that jumps by a quarter and falls back in a quarter of its epochs, while it gains nothing
    /// over the run, is overshooting even when most of its epochs move less.
    static func largeMoves(_ values: [Double]) -> (count: Int, reversals: Int) {
        guard let first = values.first, let largest = values.max() else { return (0, 0) }
        let scale = max(abs(first), 0.1 * abs(largest))
        var directions: [Bool] = []
        for (before, after) in zip(values, values.dropFirst()) where before > 0 && after > 0 {
            guard abs(log(after / before)) >= typicalSwing, abs(after - before) >= materialMove * scale else { continue }
            directions.append(after > before)
        }
        return (directions.count, zip(directions, directions.dropFirst()).filter { $0 != $1 }.count)
    }

    private func finding(_ curve: MetricCurve, swing: Swing, trainSmooth: Bool) -> Finding {
        let unit = curve.series.granularity == .step ? "logged point" : "epoch"
        let typicallyLarge = swing.factor >= exp(Self.typicalSwing)
        let moves = typicallyLarge
            ? "it typically changes by a factor of \(ValueFormat.number(swing.factor)) from one \(unit) to the next"
            : "it jumps by 25 % or more and back \(swing.largeReversals) times while its second half is no lower than its first"
        let learningRate = Cause("The learning rate is too high: steps overshoot the minimum back and forth.",
                                 because: typicallyLarge
                                    ? "the loss moves by \(ValueFormat.number(swing.factor))x per \(unit) in alternating directions with no net trend"
                                    : "the loss jumps by 25 % or more and turns back \(swing.largeReversals) times with no net trend over the run")
        let momentum = Cause("Momentum is too high (or Adam's betas too aggressive) for this problem.",
                             notInLog: "overshooting that keeps reversing is amplified by momentum")
        let noise = Cause("Batches are too small or badly shuffled, so gradients are very noisy.",
                          notInLog: "noisy gradients make the loss jump without a trend")
        let heldOut = Cause("The held-out set is small or the evaluation is unstable (batch-norm statistics, augmentation or dropout left on), "
                                + "so each evaluation is a noisy sample of the model.",
                            because: "\(curve.key) swings while the training loss does not")
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: min(1, 0.5 + swing.reversals / 2),
            metric: curve.key, firstEpoch: curve.firstEpoch, lastEpoch: curve.lastEpoch,
            message: "\(curve.key) oscillates: \(moves), "
                + "reversing direction in \(ValueFormat.percent(swing.reversals)) of its moves, between \(ValueFormat.number(curve.values.min()!)) "
                + "and \(ValueFormat.number(curve.values.max()!)).",
            evidence: [curve.evidence(curve.indexOfMinimum, note: "lowest value"), curve.evidence(curve.indexOfMaximum, note: "highest value"),
                       curve.evidence(curve.count - 1, note: curve.series.granularity == .step ? "last value" : "last epoch")],
            causes: trainSmooth ? [heldOut, learningRate, momentum] : [learningRate, momentum, noise],
            fixes: [FixLibrary.lowerLearningRate, FixLibrary.learningRateSchedule, FixLibrary.clipGradients])
    }

    /// A held-out score that collapses and recovers twice or more (`ScoreCollapses`): the model is thrown
    /// out of a good solution and finds it again.
    private func scoreCollapseFinding(_ curves: RunCurves) -> Finding? {
        for score in ScoreCollapses.heldOutScores(curves) where score.count >= Self.minimumEpochs {
            let found = ScoreCollapses.collapses(of: score.values)
            guard found.count >= ScoreCollapses.minimumCollapses, let worst = found.min(by: { score.values[$0.low] < score.values[$1.low] }) else { continue }
            let unit = score.series.granularity == .step ? "logged points" : "epochs"
            let episodes = found.map { "\(ValueFormat.number(score.values[$0.peak])) → \(ValueFormat.number(score.values[$0.low])) (\(score.place($0.low))) → "
                + "\(ValueFormat.number(score.values[$0.recovered])) (\(score.place($0.recovered)))" }
            return Finding(
                rule: Self.description.id, severity: .warning, confidence: 0.8, metric: score.key,
                firstEpoch: score.epoch(found[0].peak), lastEpoch: score.epoch(found[found.count - 1].recovered),
                message: "\(score.key) collapses and recovers \(found.count) times, each time losing at least three quarters of what it had gained: "
                    + episodes.joined(separator: "; ") + ". The model is thrown out of a good solution and finds it again.",
                evidence: [score.evidence(worst.peak, note: "before the worst collapse"), score.evidence(worst.low, note: "collapsed"),
                           score.evidence(worst.recovered, note: "recovered")],
                causes: [
                    Cause("The learning rate is too high (or its warm-up ends too steeply): updates throw the weights out of the minimum they found.",
                          because: "\(score.key) falls from \(ValueFormat.number(score.values[worst.peak])) to \(ValueFormat.number(score.values[worst.low])) "
                              + "and climbs back \(found.count) times over \(score.count) \(unit)"),
                    Cause("Momentum is too high (or Adam's betas too aggressive) for this problem.",
                          notInLog: "overshooting that keeps reversing is amplified by momentum"),
                    Cause("The evaluation is unstable (batch-norm statistics, augmentation or dropout left on, an EMA model swapped in).",
                          notInLog: "how the held-out set is evaluated is not printed"),
                ],
                fixes: [FixLibrary.lowerLearningRate, FixLibrary.learningRateSchedule, FixLibrary.clipGradients])
        }
        return nil
    }
}
