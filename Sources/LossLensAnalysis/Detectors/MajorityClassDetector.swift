import Foundation
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
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs (or logged steps for a short run); classifiers and language models only. "
            + "Any one of: (1) the last evaluation shows one class predicted for every sample (recall 1 with precision equal to the "
            + "accuracy, or confusion counts with tn = fn = 0 or tp = fp = 0), or an earlier one does (recall 1, precision = accuracy p) "
            + "and the accuracy never rises above p by 5 % of the remaining errors 1 − p; (2) the accuracy is frozen (range ≤ 0.002, or on imbalanced data ≤ 5 % of the prior's error 1 − p, at most 0.005) from its "
            + "second value on while the loss moves by ≥ 20 % — for a classifier at p > 0.5 and with the loss not below H(p) "
            + "(0.8·H(p) for training data), since a loss far below the prior's entropy with a frozen accuracy is a broken metric; "
            + "(3) over the last window (n/5, 3–10) every split that has a loss and an accuracy has its accuracy frozen at some p > 0.5, "
            + "its held-out loss between H(p) and 1.2·H(p) (training: 0.8·H(p)–1.2·H(p)) and level (≤ 3 % change), and there are two "
            + "such splits (a calibrated model at accuracy p also has a loss near H(p), so one split alone can match by coincidence), "
            + "or one whose accuracy repeats to the fourth decimal over the second half of the run or more (unless its loss repeats too "
            + "while the training loss moves ≥ 2 %: the weights stopped changing); "
            + "at p ≤ 0.5, where the prior's entropy is unknown, both splits must repeat their accuracy to the fourth decimal "
            + "(≤ 0.0005) over the last window while the loss, after falling, is level and not below −ln p.",
        fix: "Class weights or resampling, a metric that sees the minority class (F1, AUC), and check that the inputs carry signal.",
        triggeringExamples: [RuleExample(#"{"accuracy": [0.45, 0.5956, 0.7219, 0.82, 0.8869, 0.9281, 0.9425, 0.9456, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463, 0.9463], "loss": [0.8278, 0.6799, 0.5666, 0.4795, 0.4125, 0.3615, 0.3228, 0.2942, 0.2731, 0.2576, 0.2463, 0.238, 0.232, 0.2274, 0.224, 0.2214, 0.2194, 0.2177, 0.2164, 0.2153], "val_accuracy": [0.5425, 0.69, 0.82, 0.8975, 0.9475, 0.9575, 0.9625, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965, 0.965], "val_loss": [0.7438, 0.6087, 0.5039, 0.4219, 0.3579, 0.3086, 0.2711, 0.2429, 0.2219, 0.2063, 0.1946, 0.1858, 0.1792, 0.1743, 0.1706, 0.1677, 0.1654, 0.1636, 0.1622, 0.1611]}"#,
                                         note: "Both splits frozen at their priors (94.6 % and 96.5 %), each loss at its prior's entropy."),
                             RuleExample(#"{"accuracy": [0.6819, 0.8731, 0.9294, 0.9531, 0.9544, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.955, 0.9556], "loss": [0.5806, 0.4035, 0.3111, 0.2601, 0.2299, 0.2114, 0.1993, 0.1909, 0.1852, 0.1811, 0.1779, 0.1757, 0.1737, 0.172, 0.1706, 0.1695, 0.1683, 0.1668, 0.1659, 0.165, 0.1641, 0.1632, 0.1625, 0.1616, 0.1609, 0.1603, 0.1596, 0.1586, 0.1584, 0.1576], "val_accuracy": [0.76, 0.91, 0.9425, 0.9575, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96, 0.96], "val_loss": [0.4873, 0.3611, 0.2911, 0.2507, 0.2277, 0.2112, 0.201, 0.1941, 0.189, 0.1857, 0.1834, 0.1819, 0.181, 0.1793, 0.1783, 0.1778, 0.1771, 0.1769, 0.1757, 0.1759, 0.1756, 0.1753, 0.1748, 0.1745, 0.1744, 0.1743, 0.1743, 0.1734, 0.1731, 0.1735]}"#,
                                         note: "Both splits frozen at their prior; the training loss is 14 % below the entropy (memorized noise), the held-out loss at it."),
                             RuleExample(#"{"loss": [3.82, 3.33, 3.19, 3.155, 3.141, 3.135], "accuracy": [0.0772, 0.1305, 0.1499, 0.1519, 0.1523, 0.1523], "val_loss": [3.517, 3.293, 3.238, 3.223, 3.214, 3.211], "val_accuracy": [0.1057, 0.1287, 0.1317, 0.1337, 0.1337, 0.1337]}"#,
                                         note: "A character model that learned the character frequencies: both accuracies repeat the most frequent character's share."),
                             RuleExample(#"{"loss": [0.2991, 0.2795, 0.2714, 0.2657, 0.2609, 0.2575, 0.2543, 0.2516, 0.2493, 0.2467, 0.2450, 0.2431, 0.2415, 0.2396], "accuracy": [0.9262, 0.9269, 0.9269, 0.9269, 0.9269, 0.9269, 0.9269, 0.9269, 0.9269, 0.9275, 0.9275, 0.9281, 0.9287, 0.9294]}"#,
                                         note: "Imbalanced data: the loss falls 20 % while the accuracy gains 0.0025, a few minority samples out of the 7.3 % a constant prediction gets wrong."),
                             RuleExample(#"{"loss": [0.708, 0.681, 0.662, 0.648, 0.631], "val_loss": [0.6676, 0.6604, 0.6354, 0.6350, 0.6341], "val_accuracy": [0.6056, 0.6056, 0.6197, 0.6197, 0.6197], "val_recall": [1.0, 0.9535, 0.8953, 0.8953, 0.8953], "val_precision": [0.6056, 0.6119, 0.6311, 0.6311, 0.6311]}"#,
                                         note: "A binary fine-tune that called every input positive at its first evaluation and is one sample better at its last."),
                             RuleExample(#"{"loss": [0.5713, 0.456, 0.3882, 0.3425, 0.312, 0.293, 0.2823, 0.2756, 0.2713, 0.2683, 0.2657, 0.2635, 0.2615, 0.2597, 0.2579, 0.2566, 0.2552, 0.2539], "val_loss": [0.4855, 0.4081, 0.3553, 0.32, 0.2963, 0.2815, 0.2736, 0.2678, 0.2646, 0.2631, 0.2617, 0.2606, 0.2595, 0.259, 0.2588, 0.2583, 0.2581, 0.2576], "val_accuracy": [0.8319, 0.9052, 0.931, 0.9375, 0.9375, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397, 0.9397]}"#,
                                         note: "Only the held-out split has an accuracy: it climbs to the prior and then repeats 0.9397 for 13 of 18 epochs, its loss 13 % above H(p).")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.71, 0.62, 0.55, 0.49, 0.43, 0.38, 0.33, 0.29, 0.256, 0.226, 0.201, 0.181, 0.164, 0.150, 0.139, 0.129, 0.121, 0.114, 0.108, 0.102, 0.0942, 0.0908, 0.0871, 0.0845, 0.0820, 0.0797, 0.0775, 0.0755, 0.0737], "accuracy": [0.38, 0.49, 0.71, 0.84, 0.90, 0.93, 0.945, 0.95, 0.954, 0.963, 0.965, 0.965, 0.969, 0.971, 0.971, 0.974, 0.974, 0.976, 0.978, 0.98, 0.98, 0.98, 0.985, 0.985, 0.985, 0.985, 0.985, 0.985, 0.985]}"#,
                                            note: "Accuracy frozen at the end, but the loss is below the prior's entropy and still falling: a model with skill.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable, curves.task.hasClassPrior || curves.task.kind == .languageModel else { return [] }
        if let finding = predictedOneClass(curves) { return [finding] }
        let pairs = curves.splitPairs.compactMap { pair -> (loss: MetricCurve, accuracy: MetricCurve)? in
            guard let loss = pair.loss, let accuracy = pair.accuracy, loss.count >= RunCurves.minimumEpochs,
                  accuracy.count >= RunCurves.minimumEpochs else { return nil }
            return (loss, accuracy)
        }
        guard !pairs.isEmpty else { return [] }
        // The argmax never changed: frozen from the second value on at a class share while the loss
        // falls (the output moves toward the prior without ever crossing 0.5 for another class).
        if let (loss, accuracy) = pairs.first(where: { frozenFromStart(loss: $0.loss, accuracy: $0.accuracy, task: curves.task) }) {
            return [finding(loss: loss, accuracy: accuracy, fromStart: true, task: curves.task)]
        }
        // Frozen at the end only: a calibrated model at accuracy p also has a loss near H(p), so one
        // split alone may match by coincidence; every split with both metrics must show it.
        guard pairs.allSatisfy({ predictsPrior(loss: $0.loss, accuracy: $0.accuracy) }),
              pairs.count >= 2 || (repeatsToTheSample(pairs[0].accuracy) && !stoppedChanging(heldOut: pairs[0].loss, curves: curves))
        else { return [] }
        return [finding(loss: pairs[0].loss, accuracy: pairs[0].accuracy, fromStart: false, task: curves.task)]
    }

    private func finding(loss: MetricCurve, accuracy: MetricCurve, fromStart: Bool, task: TaskProfile) -> Finding {
        let prior = accuracy.tailMedian
        let entropy = SeriesStatistics.binaryEntropy(prior)
        let level = loss.tailMedian
        let start = fromStart ? 1 : accuracy.count - accuracy.tail.count
        let what = task.kind == .languageModel ? "the most frequent token" : "the majority class"
        let (first, last) = (loss.values[0], loss.values[loss.count - 1])
        let lossPhrase = abs(last - first) <= 0.01 * abs(first)
            ? "stays at \(ValueFormat.number(last))" : "moves (\(ValueFormat.number(first)) → \(ValueFormat.number(last)))"
        let message = fromStart
            ? "\(accuracy.key) stays at \(ValueFormat.number(prior)) from \(accuracy.place(1)) on while \(loss.key) "
                + "\(lossPhrase): the model predicts \(what) for every input, and its accuracy is that class's share."
            : prior <= 0.5
            ? "\(accuracy.key) repeats \(ValueFormat.number(prior)) to the fourth decimal over the last \(accuracy.tail.count) values, "
                + "on every split, while \(loss.key) fell from \(ValueFormat.number(first)) and levelled off at \(ValueFormat.number(level)): "
                + "the model learned the frequencies and predicts \(what) for every input; its accuracy is that share."
            : "\(accuracy.key) is stuck at \(ValueFormat.number(prior)) while \(loss.key) sits at \(ValueFormat.number(level)), "
                + "the entropy of a \(ValueFormat.percent(prior)) / \(ValueFormat.percent(1 - prior)) prior (\(ValueFormat.number(entropy))): "
                + "the model predicts \(what) for every input."
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: fromStart ? 0.75 : 0.8, metric: accuracy.key,
            firstEpoch: accuracy.epoch(start), lastEpoch: accuracy.lastEpoch, message: message,
            evidence: [accuracy.evidence(start, note: "accuracy frozen from here"), accuracy.evidence(accuracy.count - 1, note: "last value"),
                       loss.evidence(loss.count - 1, note: fromStart ? "loss still moving" : "loss ≈ entropy of the prior")],
            causes: causes(prior: prior, fromStart: fromStart, task: task), fixes: [FixLibrary.classWeights, FixLibrary.normalizeInputs, FixLibrary.checkLabels])
    }

    private func causes(prior: Double, fromStart: Bool, task: TaskProfile) -> [Cause] {
        let share = "the accuracy equals a plausible class share (\(ValueFormat.number(prior)))"
        return [
            Cause("The classes are imbalanced and the loss rewards predicting the majority class; the inputs give the model too little to do better.",
                  because: fromStart ? share + " from the start and never changes"
                    : prior <= 0.5 ? share + " and repeats to the digit while the loss levels off"
                    : share + " and the loss equals that share's entropy"),
            Cause("The network's output collapsed to a constant (dead units, too-high learning rate early, unnormalized inputs).",
                  because: "a constant output scores exactly the prior's accuracy"),
            Cause("The features do not carry the label (wrong columns, broken preprocessing).",
                  notInLog: "without signal the best a model can do is predict the prior"),
        ]
    }

    /// Accuracy frozen from the second value on (the first averages over a model that still
    /// moves) for the whole run: the argmax never changed. For a classifier the loss is not below
    /// what a constant prediction of that class share can score (`constantPredictorFloor`): a loss
    /// far below it with a frozen accuracy is a broken metric (`metric-mismatch`). A language model's
    /// level is the share of its most frequent token: it predicts that token everywhere.
    func frozenFromStart(loss: MetricCurve, accuracy: MetricCurve, task: TaskProfile) -> Bool {
        let rest = accuracy.afterFirst
        guard rest.count >= 4, let low = rest.min(), let high = rest.max(),
              let prior = SeriesStatistics.median(rest), prior > 0, prior < 0.999,
              high - low <= Self.frozenRange(atPrior: prior) else { return false }
        let floor = (loss.series.split == .train ? 1 - Self.trainingMemorizationMargin : 1) * Self.constantPredictorFloor(prior)
        return loss.tailMedian >= floor
    }

    /// The share of a constant prediction's errors (1 − p) a model must fix to count as doing better
    /// than predicting that class: less is a few samples flipping.
    static let baselineGain = 0.05

    /// How far an accuracy at a class share p may move and still be frozen at it: 0.002, or on
    /// imbalanced data up to 5 % of the errors a constant prediction makes (at most 0.005). A few
    /// minority samples flipping move the accuracy by a few thousandths; a model that learns
    /// anything closes far more than a twentieth of that gap.
    static func frozenRange(atPrior prior: Double) -> Double {
        max(frozenRange, min(0.005, baselineGain * (1 - prior)))
    }

    /// The lowest loss a constant prediction can score when its class has share p: the entropy of
    /// the least spread label distribution whose largest share is p. With p ≥ 0.5 that is the
    /// binary entropy H(p) (the rest in one class); below, at least −ln p (every share ≤ p).
    static func constantPredictorFloor(_ prior: Double) -> Double {
        prior >= 0.5 ? SeriesStatistics.binaryEntropy(prior) : -log(prior)
    }

    /// A confusion that shows one class predicted for every sample at the last evaluation and the
    /// ones before it: recall 1 with precision equal to the accuracy (everything called positive), or
    /// confusion counts with no predicted negatives (`tn` and `fn` both 0) or no predicted positives.
    private func predictedOneClass(_ curves: RunCurves) -> Finding? {
        for split in [Split.validation, .test, .train] {
            let named = { (bases: Set<String>) in
                curves.run.series.first { $0.split == split && bases.contains($0.name.base) && $0.granularity == curves.granularity && !$0.points.isEmpty }
            }
            guard let accuracy = MetricCurve((split == .train ? curves.trainAccuracy : curves.heldOutAccuracy)?.series ?? named(["acc"])),
                  accuracy.count >= 2 else { continue }
            let last = accuracy.values[accuracy.count - 1]
            var evidence: String?
            var lastEvaluationIsOneClass = true
            var earlierOneClass: Int?
            if let recall = named(["recall"])?.points.map(\.value), let precision = named(["precision"])?.points.map(\.value),
               recall.count == accuracy.count, precision.count == accuracy.count {
                let callsAllPositive = { (index: Int) in recall[index] == 1 && abs(precision[index] - accuracy.values[index]) < 1e-3 }
                if callsAllPositive(accuracy.count - 1) {
                    evidence = "recall is 1 and precision equals the accuracy (\(ValueFormat.number(precision[accuracy.count - 1])))"
                } else if let first = accuracy.values.indices.first(where: callsAllPositive),
                          accuracy.values[first...].allSatisfy({ $0 <= accuracy.values[first] + Self.baselineGain * (1 - accuracy.values[first]) }) {
                    lastEvaluationIsOneClass = false
                    earlierOneClass = first
                    evidence = "at \(accuracy.place(first)) recall was 1 and precision equal to the accuracy "
                        + "(\(ValueFormat.number(precision[first])), every input called positive), and the accuracy never rose "
                        + "by \(ValueFormat.percent(Self.baselineGain)) of the remaining errors above that"
                }
            }
            let count = { (base: String) in named([base, base + "s", base + "_count"])?.points.last?.value }
            if let tn = count("tn") ?? count("true_negatives"), let fn = count("fn") ?? count("false_negatives"), tn == 0, fn == 0 {
                evidence = "the confusion counts have no predicted negatives (tn = fn = 0)"
                lastEvaluationIsOneClass = true
            } else if let tp = count("tp") ?? count("true_positives"), let fp = count("fp") ?? count("false_positives"), tp == 0, fp == 0 {
                evidence = "the confusion counts have no predicted positives (tp = fp = 0)"
                lastEvaluationIsOneClass = true
            }
            guard let evidence else { continue }
            return Finding(
                rule: Self.description.id, severity: .warning, confidence: 0.95, metric: accuracy.key,
                firstEpoch: accuracy.firstEpoch, lastEpoch: accuracy.lastEpoch,
                message: "\(accuracy.key) is \(ValueFormat.number(last)) and \(evidence): "
                    + (lastEvaluationIsOneClass ? "the model predicts one class for every input." : "the model does little more than predict one class."),
                evidence: (lastEvaluationIsOneClass ? [] : earlierOneClass.map { [accuracy.evidence($0, note: "every input called positive")] } ?? [])
                    + [accuracy.evidence(accuracy.count - 1, note: "last value")],
                causes: [Cause("The classes are imbalanced and the loss rewards predicting the majority class; the inputs give the model too little to do better.",
                               because: evidence)] + causes(prior: last, fromStart: false, task: curves.task).dropFirst(),
                fixes: [FixLibrary.classWeights, FixLibrary.normalizeInputs, FixLibrary.checkLabels])
        }
        return nil
    }

    /// A split alone shows the prior when its accuracy repeats to the fourth decimal (the same count
    /// of samples right) over the second half of the run or more, while its loss stays at or above
    /// the prior's entropy: the outputs are no better than a constant, and they stopped changing.
    func repeatsToTheSample(_ accuracy: MetricCurve) -> Bool {
        let level = accuracy.values[accuracy.count - 1]
        var start = accuracy.count - 1
        while start > 0, abs(accuracy.values[start - 1] - level) <= Self.exactlyFrozenRange { start -= 1 }
        return accuracy.count - start >= max(accuracy.window, (accuracy.count + 1) / 2)
    }

    /// Whether a held-out loss repeats itself to its printed digits over the last window while the
    /// training loss still moves: the weights stopped changing (a learning rate decayed to 0, a
    /// frozen checkpoint evaluated), so the accuracy froze wherever the model was. A model that
    /// predicts the majority class and still trains nudges its held-out loss toward the prior's
    /// entropy; one whose outputs are constant (dead units) has a frozen training loss too.
    func stoppedChanging(heldOut: MetricCurve, curves: RunCurves) -> Bool {
        guard heldOut.series.split != .train, let train = curves.trainLoss, train.count >= RunCurves.minimumEpochs,
              let heldOutSpread = SeriesStatistics.relativeSpread(heldOut.tail),
              let trainSpread = SeriesStatistics.relativeSpread(Array(train.values.suffix(heldOut.tail.count))) else { return false }
        return heldOutSpread <= Self.repeatedLossSpread && trainSpread >= Self.movingLossSpread
    }

    /// A loss that repeats to the fourth significant digit, and one that still moves.
    static let repeatedLossSpread = 1e-4
    static let movingLossSpread = 0.02

    /// Accuracy frozen at a prior p > 0.5 over the last window, loss at (not below; for training data, not far below) the
    /// prior's entropy and level.
    func predictsPrior(loss: MetricCurve, accuracy: MetricCurve) -> Bool {
        let tail = accuracy.tail
        guard let low = tail.min(), let high = tail.max(), high - low <= Self.frozenRange else { return false }
        let prior = accuracy.tailMedian
        guard prior < 0.999 else { return false }
        guard prior > 0.5 else { return learnedThePrior(loss: loss, accuracy: accuracy) }
        let entropy = SeriesStatistics.binaryEntropy(prior)
        let level = loss.tailMedian
        let floor = loss.series.split == .train ? (1 - Self.trainingMemorizationMargin) * entropy : entropy
        guard level >= floor, level <= (1 + Self.entropyTolerance) * entropy,
              let change = SeriesStatistics.relativeChange(from: loss.tail.first!, to: loss.tail.last!) else { return false }
        return abs(change) <= Self.plateauChange
    }

    /// Below 0.5 the prior's entropy is not known (it depends on every class's share), so the loss
    /// only has to be level and not below what a constant prediction can score, and the accuracy
    /// must repeat itself exactly (≤ 0.0005 over the last window): a model that still learns moves
    /// its accuracy at least in the fourth decimal, while one that learned the class (or token)
    /// frequencies and predicts the most frequent everywhere repeats its share to the digit. The
    /// loss fell on the way (by more than the 3 % a level loss may move): the model learned the
    /// frequencies, it was not frozen from the start (that is `frozenFromStart`).
    func learnedThePrior(loss: MetricCurve, accuracy: MetricCurve) -> Bool {
        let tail = accuracy.tail
        guard tail.count >= 3, let low = tail.min(), let high = tail.max(), high - low <= Self.exactlyFrozenRange,
              accuracy.tailMedian > 0 else { return false }
        let floor = (loss.series.split == .train ? 1 - Self.trainingMemorizationMargin : 1) * Self.constantPredictorFloor(accuracy.tailMedian)
        guard loss.tailMedian >= floor, let change = SeriesStatistics.relativeChange(from: loss.tail.first!, to: loss.tail.last!),
              abs(change) <= Self.plateauChange, loss.values[0] > 0, loss.tailMedian <= (1 - Self.plateauChange) * loss.values[0] else { return false }
        return true
    }

    /// An accuracy that repeats itself to the fourth decimal.
    static let exactlyFrozenRange = 0.0005
}
