@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `majority-class`: accuracy stuck at a class prior with the loss at that prior's entropy — the
/// model always predicts the majority class.
public struct MajorityClassDetector: Detector {
    static let frozenRange = 0.002
    /// The loss may exceed the prior's entropy by this fraction: a model that memorized noise generalizes worse
    /// than the constant prior, and its predicted share is the training prior, not the held-out one.
    static let entropyTolerance = 0.2
    /// A training loss may sit this far below the prior's entropy: a model that memorizes noise lowers its
    /// training loss without ever predicting the minority class. Held-out data allows no such margin.
    static let trainingMemorizationMargin = 0.2
    /// The loss must have leveled off: at most this relative change over the last window.
    static let plateauChange = 0.03

    public static let description = RuleDescription(
        id: "majority-class", name: "Predicts the majority class", defaultSeverity: .warning,
        summary: "accuracy frozen at a prior p with the loss at that prior's entropy",
        whatItDetects: "An accuracy stuck at one value p (a class prior) while the loss sits at the entropy of that prior, "
            + "−p ln p − (1−p) ln(1−p): the model predicts the majority class for every input.",
        whyItMatters: "On imbalanced data a constant prediction reaches accuracy p with zero skill; the accuracy looks fine, the model is useless.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs; held-out split first, then training. Over the last window (n/5 epochs, 3–10) "
            + "the accuracy varies by ≤ 0.002 around p > 0.5, the held-out loss is between H(p) and 1.2·H(p) (a constant predictor cannot score "
            + "below the prior's entropy; a model with skill does; one that memorized noise scores somewhat above it), a training loss between "
            + "0.8·H(p) and 1.2·H(p) (memorizing noise lowers it without changing a single prediction), and the loss changed by ≤ 3 % over that window. Every split that "
            + "has both a loss and an accuracy must show this (one split alone can match an entropy by coincidence).",
        fix: "Class weights or resampling, a metric that sees the minority class (F1, AUC), and check that the inputs carry signal.",
        triggeringExamples: [RuleExample(#"{"loss": [0.83, 0.68, 0.57, 0.48, 0.41, 0.36, 0.32, 0.29, 0.2731, 0.2576, 0.2463, 0.2380, 0.2320, 0.2274, 0.2240, 0.2214, 0.2194, 0.2177, 0.2164, 0.2153], "accuracy": [0.45, 0.5956, 0.7219, 0.82, 0.8869, 0.9281, 0.9425, 0.9456, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463]}"#,
                                         note: "Accuracy frozen at the 94.6 % prior, loss at its entropy 0.209."),
                             RuleExample(#"{"accuracy": [0.6819, 0.8731, 0.9294, 0.9531, 0.9544, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.9556], "loss": [0.5806, 0.4035, 0.3111, 0.2601, 0.2299, 0.2114, 0.1993, 0.1909, 0.1852, 0.1811, 0.1779, 0.1757, 0.1737, 0.172, 0.1706, 0.1695, 0.1683, 0.1668, 0.1659, 0.165, 0.1641, 0.1632, 0.1625, 0.1616, 0.1609, 0.1603, 0.1596, 0.1586, 0.1584, 0.1576], "val_accuracy": [0.76, 0.91, 0.9425, 0.9575, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96], "val_loss": [0.4873, 0.3611, 0.2911, 0.2507, 0.2277, 0.2112, 0.201, 0.1941, 0.189, 0.1857, 0.1834, 0.1819, 0.181, 0.1793, 0.1783, 0.1778, 0.1771, 0.1769, 0.1757, 0.1759, 0.1756, 0.1753, 0.1748, 0.1745, 0.1744, 0.1743, 0.1743, 0.1734, 0.1731, 0.1735]}"#,
                                         note: "Both splits frozen at their prior; the training loss is 14 % below the entropy (memorized noise), the held-out loss at it.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.71, 0.62, 0.55, 0.49, 0.43, 0.38, 0.33, 0.29, 0.256, 0.226, 0.201, 0.181, 0.164, 0.150, 0.139, 0.129, 0.121, 0.114, 0.108, 0.102, 0.0942, 0.0908, 0.0871, 0.0845, 0.0820, 0.0797, 0.0775, 0.0755, 0.0737], "accuracy": [0.38, 0.49, 0.71, 0.84, 0.90, 0.93, 0.945, 0.95, 0.954, 0.963, 0.965, 0.965, 0.969, 0.971, 0.971, 0.974, 0.974, 0.976, 0.978, 0.98, 0.98, 0.98, 0.985, 0.985, 0.985, 0.985, 0.985, 0.985, 0.985]}"#,
                                            note: "Accuracy frozen at the end, but the loss is below the prior's entropy and still falling: a model with skill.")])

    public init() {}

    public func findings(in run: Run) -> [Finding] {
        let curves = RunCurves(run)
        guard curves.isJudgeable else { return [] }
        let pairs = curves.splitPairs.compactMap { pair -> (loss: MetricCurve, accuracy: MetricCurve)? in
            guard let loss = pair.loss, let accuracy = pair.accuracy, loss.count >= RunCurves.minimumEpochs,
                  accuracy.count >= RunCurves.minimumEpochs else { return nil }
            return (loss, accuracy)
        }
        // Every split with both metrics must agree: one split matching the prior's entropy can be a coincidence.
        guard !pairs.isEmpty, pairs.allSatisfy({ predictsPrior(loss: $0.loss, accuracy: $0.accuracy) }) else { return [] }
        return pairs.prefix(1).map { loss, accuracy in
            let prior = accuracy.tailMedian
            let entropy = SeriesStatistics.binaryEntropy(prior)
            let level = loss.tailMedian
            let start = accuracy.count - accuracy.tail.count
            return Finding(
                rule: Self.description.id, severity: .warning, confidence: 0.8, metric: accuracy.key,
                firstEpoch: accuracy.epoch(start), lastEpoch: accuracy.lastEpoch,
                message: "\(accuracy.key) is stuck at \(ValueFormat.number(prior)) while \(loss.key) sits at \(ValueFormat.number(level)), "
                    + "the entropy of a \(ValueFormat.percent(prior)) / \(ValueFormat.percent(1 - prior)) prior (\(ValueFormat.number(entropy))): "
                    + "the model predicts the majority class for every input.",
                evidence: [accuracy.evidence(start, note: "accuracy frozen from here"), accuracy.evidence(accuracy.count - 1, note: "last epoch"),
                           loss.evidence(loss.count - 1, note: "loss ≈ entropy of the prior")],
                causes: [
                    Cause("The classes are imbalanced and the loss rewards predicting the majority class; the inputs give the model too little to do better.",
                          because: "accuracy equals a plausible class share (\(ValueFormat.number(prior))) and the loss equals that share's entropy"),
                    Cause("The network's output collapsed to a constant (dead units, too-high learning rate early, unnormalized inputs).",
                          because: "a constant output scores exactly the prior's accuracy and entropy"),
                    Cause("The features do not carry the label (wrong columns, broken preprocessing).",
                          because: "without signal the best a model can do is predict the prior"),
                ],
                fixes: [FixLibrary.classWeights, FixLibrary.normalizeInputs, FixLibrary.checkLabels])
        }
    }

    /// Accuracy frozen at a prior p > 0.5 over the last window, loss at (not below; for training data, not far below) the
    /// prior's entropy and level.
    func predictsPrior(loss: MetricCurve, accuracy: MetricCurve) -> Bool {
        let tail = accuracy.tail
        guard let low = tail.min(), let high = tail.max(), high - low <= Self.frozenRange else { return false }
        let prior = accuracy.tailMedian
        guard prior > 0.5, prior < 0.999 else { return false }
        let entropy = SeriesStatistics.binaryEntropy(prior)
        let level = loss.tailMedian
        let floor = loss.series.split == .train ? (1 - Self.trainingMemorizationMargin) * entropy : entropy
        guard level >= floor, level <= (1 + Self.entropyTolerance) * entropy,
              let change = SeriesStatistics.relativeChange(from: loss.tail.first!, to: loss.tail.last!) else { return false }
        return abs(change) <= Self.plateauChange
    }
}
