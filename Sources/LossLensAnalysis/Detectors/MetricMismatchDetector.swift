@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `metric-mismatch`: the accuracy does not follow the loss — the metric does not measure what
/// the loss optimizes.
public struct MetricMismatchDetector: Detector {
    /// The loss must change by at least this fraction while the accuracy stays frozen.
    static let lossMovement = 0.2
    /// A loss this many times its minimum is "exploding".
    static let explosionFactor = 10.0

    public static let description = RuleDescription(
        id: "metric-mismatch", name: "Accuracy does not follow the loss", defaultSeverity: .warning,
        summary: "accuracy frozen while the loss moves, or the loss explodes while accuracy stays high",
        whatItDetects: "An accuracy frozen (or exactly 0) while the loss of the same split moves, or a loss exploding while the "
            + "accuracy stays high.",
        whyItMatters: "When loss and metric disagree, one of them is not measuring the task: typically a single-unit softmax "
            + "(Keras 3 computes binary cross-entropy from its logit, so the loss falls while the accuracy is frozen), or accuracy on a regression target.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs. (1) The accuracy varies by ≤ 0.002 over epochs 2…n (and is below 0.999) while the "
            + "same split's loss changes by ≥ 20 % between the first and the last window (medians, n/5 epochs, 3–10). (2) The loss's last-window "
            + "median is ≥ 10x its smoothed minimum while the accuracy's last window stays within 0.05 of its best.",
        fix: "Make the output layer, loss and metric agree: sigmoid + binary cross-entropy + binary accuracy for two classes, "
            + "softmax over K units for K classes, MAE/RMSE for regression.",
        triggeringExamples: [RuleExample(#"{"loss": [0.9043, 0.672, 0.5058, 0.3967, 0.3275, 0.2812, 0.2482], "accuracy": [0.5912, 0.5912, 0.5912, 0.5912, 0.5912, 0.5912, 0.5912]}"#,
                                         note: "Keras 3 single-unit softmax with binary cross-entropy: the loss falls, the accuracy never moves.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.30, 0.03, 0.013, 0.006, 0.004, 0.003, 0.002], "accuracy": [0.93, 0.995, 1.0, 1.0, 1.0, 1.0, 1.0]}"#,
                                            note: "Accuracy at 1.0 while the loss keeps shrinking: the model grows more confident.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable else { return [] }
        for pair in curves.splitPairs {
            guard let loss = pair.loss, let accuracy = pair.accuracy, loss.count >= RunCurves.minimumEpochs,
                  accuracy.count >= RunCurves.minimumEpochs else { continue }
            if let finding = frozenAccuracy(loss: loss, accuracy: accuracy) ?? explodingLoss(loss: loss, accuracy: accuracy) {
                return [finding]
            }
        }
        return []
    }

    private func frozenAccuracy(loss: MetricCurve, accuracy: MetricCurve) -> Finding? {
        guard let level = FlatDetector().frozenLevel(accuracy),
              let change = SeriesStatistics.relativeChangeOverRun(loss.values, window: loss.window),
              abs(change) >= Self.lossMovement else { return nil }
        let binaryPrior = level > 0
        let causes: [Cause] = level == 0 ? [
            Cause("The target is continuous (regression): accuracy counts exact matches, which never happen.",
                  because: "the accuracy is exactly 0 every epoch while the loss changes \(ValueFormat.percent(change))"),
            Cause("Labels and predictions are encoded differently for the accuracy metric.", because: "an accuracy of exactly 0 is below any guessing"),
        ] : [
            Cause("A softmax over a single output unit: the prediction is always 1.0 (so the accuracy is the share of one class), "
                    + "while Keras 3's binary cross-entropy is computed from the unit's logit and keeps falling.",
                  because: "the loss changes \(ValueFormat.percent(change)) while the accuracy stays at \(ValueFormat.number(level))"
                    + (binaryPrior ? ", a plausible class share" : "")),
            Cause("The accuracy metric does not match the label format (e.g. 'accuracy' resolved to the wrong variant for one-hot vs. integer labels, or a threshold on logits).",
                  because: "the metric never changes although the loss does"),
        ]
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: 0.85, metric: accuracy.key,
            firstEpoch: accuracy.firstEpoch, lastEpoch: accuracy.lastEpoch,
            message: "\(accuracy.key) stays at \(ValueFormat.number(level)) every epoch while \(loss.key) changes by \(ValueFormat.percent(change)) "
                + "(\(ValueFormat.number(loss.values[0])) → \(ValueFormat.number(loss.values[loss.count - 1]))): the accuracy does not measure what the loss optimizes.",
            evidence: [loss.evidence(0, note: "loss, first epoch"), loss.evidence(loss.count - 1, note: "loss, last epoch"),
                       accuracy.evidence(accuracy.count - 1, note: "accuracy, unchanged")],
            causes: causes,
            fixes: level == 0 ? [FixLibrary.regressionMetrics] : [FixLibrary.sigmoidForBinary, FixLibrary.softmaxOverClasses])
    }

    private func explodingLoss(loss: MetricCurve, accuracy: MetricCurve) -> Finding? {
        guard let trend = LossTrend(loss), trend.riseFactor >= Self.explosionFactor,
              let best = accuracy.values.max(), accuracy.tailMedian >= best - 0.05, best >= 0.5 else { return nil }
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: 0.7, metric: loss.key,
            firstEpoch: loss.epoch(trend.minimumIndex), lastEpoch: loss.lastEpoch,
            message: "\(loss.key) grows \(ValueFormat.number(trend.riseFactor))x while \(accuracy.key) stays near \(ValueFormat.number(accuracy.tailMedian)): "
                + "a few predictions become extremely confident and wrong while most stay right.",
            evidence: [loss.evidence(trend.minimumIndex, note: "loss minimum"), loss.evidence(loss.count - 1, note: "loss, last epoch"),
                       accuracy.evidence(accuracy.count - 1, note: "accuracy, last epoch")],
            causes: [
                Cause("The learning rate or momentum is too high: logits grow without bound, so the few errors cost enormous loss.",
                      because: "the loss explodes although the accuracy barely changes"),
                Cause("Labels are noisy: confidently wrong predictions on mislabeled samples dominate the loss.",
                      because: "accuracy stays high, so the loss comes from a minority of samples"),
            ],
            fixes: [FixLibrary.lowerLearningRate, FixLibrary.clipGradients, FixLibrary.regularize])
    }
}
