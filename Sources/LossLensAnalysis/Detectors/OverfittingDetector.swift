@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `overfitting`: the held-out loss rises from its minimum while the training loss keeps falling.
public struct OverfittingDetector: Detector {
    /// The held-out loss at the end must be at least this much above its best value.
    static let minimumRise = 0.05
    /// …and at least this many times the typical epoch-to-epoch change of the held-out loss.
    static let noiseMultiple = 2.0
    /// A held-out loss this many times the training loss, no longer improving, is a widened gap.
    static let gapFactor = 2.0
    /// Below this rise over its best value the held-out loss has only drifted (small held-out sets wobble by a
    /// few percent, and a loss at its floor creeps up as the model grows confident): reported as info, not a warning.
    static let clearRise = 0.1
    /// A training accuracy this high has (nearly) memorized the training set…
    static let memorizedAccuracy = 0.97
    /// …and a held-out accuracy this far below it, no longer improving, did not follow.
    static let accuracyGap = 0.1
    /// Enough epochs for the held-out accuracy to have stalled.
    static let accuracyGapEpochs = 10
    /// A last window this little above the one before it has not improved.
    static let stalledMargin = 0.005

    public static let description = RuleDescription(
        id: "overfitting", name: "Overfitting", defaultSeverity: .warning,
        summary: "held-out loss rises from its best epoch (or the gap widens) while the training loss falls",
        whatItDetects: "A validation (or per-epoch test) loss that rises from its minimum while the training loss keeps falling; "
            + "reports the best epoch and the epochs trained past it.",
        whyItMatters: "Past the best epoch the model memorizes the training set and gets worse on new data.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs with training and held-out loss. The best epoch b is the held-out minimum; "
            + "at least max(3, n/10) epochs must follow it. Fires when the median of the last window (n/5 epochs, 3–10) is ≥ 5 % above "
            + "the minimum and that rise is ≥ 2x the median epoch-to-epoch change (noise), the Theil–Sen slope of the held-out loss after b is "
            + "positive and the training loss's Theil–Sen slope after b is negative — or when the gap widened: over the second half the "
            + "held-out loss's slope is ≥ 0, the training loss's < 0, and the held-out loss ends ≥ 2x the training loss (last-window medians). "
            + "A warning when the held-out loss ends ≥ 10 % above its best value, unless the held-out accuracy (measured on n samples, "
            + "its values all multiples of 1/n) ends within 2 samples of its value at the best epoch, or a detection or segmentation run's "
            + "held-out score (mAP, IoU, Dice, F1) ends above its value at the best epoch; a smaller drift (or a gap without such a rise) is info, "
            + "because held-out losses wobble by a few percent in healthy runs. Rises of 3x or more are also `diverging`, which this finding explains. "
            + "When the losses show neither, a run of 10+ epochs whose training accuracy ends ≥ 0.97 while the held-out accuracy ends "
            + "≥ 10 points lower, its last window's median no more than 0.005 above the window before, "
            + "gets an info finding (the model memorizes).",
        fix: "Early stopping on the validation loss (keep the best weights), then regularization or more data.",
        triggeringExamples: [RuleExample(#"{"loss": [1.95, 0.94, 0.30, 0.21, 0.10, 0.08, 0.05, 0.03, 0.02, 0.01, 0.008, 0.006], "val_loss": [1.26, 0.52, 0.32, 0.28, 0.26, 0.27, 0.29, 0.31, 0.33, 0.35, 0.37, 0.39]}"#,
                                         note: "Best epoch 5, validation loss climbs after it."),
                             RuleExample(#"{"loss": [7.26, 5.1, 3.9, 3.0, 2.4, 1.9, 1.5, 1.2, 0.98, 0.8, 0.66, 0.55], "val_loss": [8.0, 5.7, 4.3, 3.4, 2.8, 2.3, 1.9, 1.6, 1.4, 1.2, 1.05, 0.94], "acc": [0.91, 0.97, 0.99, 0.99, 1.0, 1.0, 0.99, 1.0, 1.0, 1.0, 1.0, 1.0], "val_acc": [0.8, 0.84, 0.86, 0.85, 0.87, 0.84, 0.86, 0.85, 0.84, 0.86, 0.85, 0.85]}"#,
                                         note: "A regularization penalty dominates both losses; the accuracies show the memorizing (info).")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [2.09, 1.52, 1.02, 0.69, 0.51, 0.40, 0.33, 0.28], "val_loss": [1.80, 1.25, 0.84, 0.60, 0.46, 0.38, 0.32, 0.29]}"#,
                                            note: "Both losses fall together."),
                                RuleExample(#"{"loss": [7.26, 5.1, 3.9, 3.0, 2.4, 1.9, 1.5, 1.2, 0.98, 0.8, 0.66, 0.55], "val_loss": [8.0, 5.7, 4.3, 3.4, 2.8, 2.3, 1.9, 1.6, 1.4, 1.2, 1.05, 0.94], "acc": [0.91, 0.97, 0.99, 0.99, 1.0, 1.0, 0.99, 1.0, 1.0, 1.0, 1.0, 1.0], "val_acc": [0.7, 0.72, 0.73, 0.75, 0.76, 0.78, 0.79, 0.81, 0.82, 0.84, 0.85, 0.87]}"#,
                                            note: "The held-out accuracy is far below the training accuracy but still climbing: not stalled.")])

    /// Whether the held-out accuracy, measured on n samples its values reveal (all multiples of
    /// 1/n), ends within two samples of its value at the best held-out loss: then a rising held-out
    /// loss is calibration drifting on a few errors, not generalization lost, and the finding is info.
    /// Returns how close, for the message.
    private func heldOutAccuracyHolds(_ curves: RunCurves, sinceBestAt bestAt: Int) -> String? {
        guard let accuracy = curves.heldOutAccuracy, let samples = ClassCountInference.evaluatedSamples(accuracy.values),
              let atBest = accuracy.positions.indices.first(where: { accuracy.coordinate($0) == bestAt }) else { return nil }
        let drop = accuracy.values[atBest] - accuracy.tailMedian
        guard drop <= 2 / Double(samples) + 1e-9 else { return nil }
        return "2 of its \(samples) samples"
    }

    /// Whether a detection or segmentation run's held-out score (mAP, IoU, Dice, F1) ends above its
    /// value at the best held-out loss. Such a run is judged by that score, its losses being sums of
    /// surrogate terms that trade off: while the score still improves, a rising held-out loss (often
    /// one small term of the sum) is no generalization lost, and the finding is info. Returns the
    /// score's values, for the message.
    private func heldOutScoreImproves(_ curves: RunCurves, heldOut: MetricCurve, sinceBestAt bestAt: Int) -> String? {
        guard curves.task.kind == .detection || curves.task.kind == .segmentation else { return nil }
        for series in curves.scoreSeries(of: heldOut.series.split, granularity: heldOut.series.granularity) {
            guard let score = MetricCurve(series),
                  let atBest = score.positions.indices.first(where: { score.coordinate($0) == bestAt }),
                  score.tailMedian > score.values[atBest] else { continue }
            return "\(score.key) rose from \(ValueFormat.number(score.values[atBest])) to \(ValueFormat.number(score.tailMedian))"
        }
        return nil
    }

    /// Warning for a clear rise above the best held-out loss, info for a drift of a few percent.
    @_spi(Layers) public static func severity(rise: Double) -> Severity { rise >= clearRise ? .warning : .info }

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable else { return [] }
        return [lossFinding(curves) ?? accuracyGapFinding(curves)].compactMap { $0 }
    }

    private func lossFinding(_ curves: RunCurves) -> Finding? {
        guard let heldOut = curves.heldOutLoss, let train = curves.trainLoss,
              heldOut.count >= RunCurves.minimumEpochs, train.count >= RunCurves.minimumEpochs else { return nil }
        let best = heldOut.indexOfMinimum
        guard let bestAt = heldOut.coordinate(best), heldOut.values[best] > 0 else { return nil }
        let minimum = heldOut.values[best]
        // A rise of 3x or more is `diverging` unless the training loss falls over the run.
        let trainFalls = SeriesStatistics.relativeChangeOverRun(train.values, window: train.window).map { $0 < 0 } == true
        guard let rise = SeriesStatistics.relativeChange(from: minimum, to: heldOut.tailMedian),
              trainFalls || heldOut.tailMedian / minimum < DivergingDetector.heldOutRise else { return nil }
        let risesFromMinimum = risesAfterBest(heldOut: heldOut, train: train, best: best, rise: rise)
        let gap = widenedGap(heldOut: heldOut, train: train)
        guard risesFromMinimum || gap != nil else { return nil }
        let perStep = heldOut.series.granularity == .step
        let wasted = (heldOut.coordinate(heldOut.count - 1) ?? bestAt) - bestAt
        let unit = perStep ? "step" : "epoch"
        let trainIndexAtBest = train.positions.indices.first { train.coordinate($0) == bestAt }
        var evidence = [heldOut.evidence(best, note: perStep ? "best evaluation (minimum)" : "best epoch (minimum)"),
                        heldOut.evidence(heldOut.count - 1, note: perStep ? "last evaluation" : "last epoch")]
        if let trainIndexAtBest { evidence.append(train.evidence(trainIndexAtBest, note: "training loss at the best epoch")) }
        evidence.append(train.evidence(train.count - 1, note: "training loss at the end"))
        let accuracyHolds = heldOutAccuracyHolds(curves, sinceBestAt: bestAt)
        let scoreImproves = accuracyHolds == nil ? heldOutScoreImproves(curves, heldOut: heldOut, sinceBestAt: bestAt) : nil
        return Finding(
            rule: Self.description.id, severity: accuracyHolds == nil && scoreImproves == nil ? Self.severity(rise: rise) : .info,
            confidence: risesFromMinimum ? min(1, 0.6 + rise) : 0.6,
            metric: heldOut.key,
            firstEpoch: heldOut.epoch(best), lastEpoch: heldOut.lastEpoch,
            message: "\(heldOut.key) is best at \(heldOut.place(best)) (\(ValueFormat.number(minimum))) and ends \(ValueFormat.percent(max(0, rise))) higher"
                + (gap.map { ", \(ValueFormat.number($0))x the training loss," } ?? "")
                + " while \(train.key) keeps falling: \(wasted) \(unit)\(wasted == 1 ? "" : "s") trained past the best model."
                + (accuracyHolds.map { " The held-out accuracy holds (within \($0)): the model grows confident on the few samples it gets wrong." } ?? "")
                + (scoreImproves.map { " Since then \($0) (last-window median): the loss terms trade off while the model still improves where it is scored." } ?? ""),
            evidence: evidence,
            causes: [
                Cause("The model has more capacity than the data supports and memorizes the training set.",
                      because: "after \(heldOut.place(best)) the training loss keeps falling while \(heldOut.key) rises \(ValueFormat.percent(rise))"),
                Cause("Training runs too long without early stopping.",
                      because: "\(wasted) \(unit)s followed the best held-out loss"),
                gap == nil
                    ? Cause("Too little (or too little varied) training data, or no regularization.",
                            notInLog: "the amount of data and the regularization are not printed")
                    : Cause("Too little (or too little varied) training data, or no regularization.",
                            because: "the gap between training and held-out loss widens over the run"),
            ],
            fixes: [FixLibrary.earlyStopping, FixLibrary.regularize])
    }

    /// The training accuracy is (nearly) perfect while the held-out accuracy stalled well below it:
    /// the model memorizes what it sees. Some gap is what a small data set allows, so this is info:
    /// the run is not broken, but more data, augmentation or regularization would be worth more
    /// epochs. Judged when the losses do not show it (a regularization penalty can dominate both).
    private func accuracyGapFinding(_ curves: RunCurves) -> Finding? {
        guard let train = curves.trainAccuracy, let heldOut = curves.heldOutAccuracy,
              heldOut.count >= Self.accuracyGapEpochs, train.count >= Self.accuracyGapEpochs,
              train.tailMedian >= Self.memorizedAccuracy, train.tailMedian - heldOut.tailMedian >= Self.accuracyGap else { return nil }
        // Stalled: its last window is no better than the window before it.
        let window = heldOut.tail.count
        let best = heldOut.indexOfMaximum
        guard heldOut.count >= 2 * window,
              let before = SeriesStatistics.median(Array(heldOut.values.dropLast(window).suffix(window))),
              heldOut.tailMedian <= before + Self.stalledMargin else { return nil }
        let gap = train.tailMedian - heldOut.tailMedian
        return Finding(
            rule: Self.description.id, severity: .info, confidence: 0.6, metric: heldOut.key,
            firstEpoch: heldOut.epoch(best), lastEpoch: heldOut.lastEpoch,
            message: "\(train.key) ends at \(ValueFormat.number(train.tailMedian)) while \(heldOut.key) stalled at "
                + "\(ValueFormat.number(heldOut.tailMedian)), \(ValueFormat.number(gap * 100)) points lower (best \(ValueFormat.number(heldOut.values[best])) "
                + "at \(heldOut.place(best))): the model fits the training set far better than new data.",
            evidence: [train.evidence(train.count - 1, note: "training accuracy at the end"),
                       heldOut.evidence(best, note: "best held-out accuracy"), heldOut.evidence(heldOut.count - 1, note: "held-out accuracy at the end")],
            causes: [
                Cause("The model has more capacity than the data supports and memorizes the training set.",
                      because: "the training accuracy reaches \(ValueFormat.number(train.tailMedian)) while the held-out accuracy stops improving "
                          + "\(ValueFormat.number(gap * 100)) points lower"),
                Cause("Too little (or too little varied) training data, or too little regularization.",
                      notInLog: "the amount of data and the regularization are not printed"),
            ],
            fixes: [FixLibrary.regularize, FixLibrary.earlyStopping])
    }

    /// The held-out loss climbs out of its minimum (beyond its own noise) while the training loss falls.
    private func risesAfterBest(heldOut: MetricCurve, train: MetricCurve, best: Int, rise: Double) -> Bool {
        let after = heldOut.count - 1 - best
        let noise = SeriesStatistics.median(SeriesStatistics.differences(heldOut.values).map(abs)) ?? 0
        guard after >= max(3, heldOut.count / 10), rise >= Self.minimumRise,
              heldOut.tailMedian - heldOut.values[best] >= Self.noiseMultiple * noise,
              let slope = SeriesStatistics.theilSenSlope(Array(heldOut.values[best...])), slope > 0,
              let bestAt = heldOut.coordinate(best) else { return false }
        let trainAfter = train.values.indices.filter { (train.coordinate($0) ?? 0) >= bestAt }.map { train.values[$0] }
        guard trainAfter.count >= 3, let trainSlope = SeriesStatistics.theilSenSlope(trainAfter) else { return false }
        return trainSlope < 0
    }

    /// Over the second half of the run the held-out loss stopped improving while the training loss kept falling,
    /// and it ends at least `gapFactor` times the training loss: the ratio of the last-window medians.
    private func widenedGap(heldOut: MetricCurve, train: MetricCurve) -> Double? {
        guard train.tailMedian > 0 else { return nil }
        let ratio = heldOut.tailMedian / train.tailMedian
        let half = heldOut.count / 2
        guard ratio >= Self.gapFactor,
              let heldOutSlope = SeriesStatistics.theilSenSlope(Array(heldOut.values.suffix(half))), heldOutSlope >= 0,
              let trainSlope = SeriesStatistics.theilSenSlope(Array(train.values.suffix(train.count / 2))), trainSlope < 0
        else { return nil }
        return ratio
    }
}
