import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `chance-level`: the model predicts no better than guessing among K classes.
public struct ChanceLevelDetector: Detector {
    public static let description = RuleDescription(
        id: "chance-level", name: "Stuck at chance level", defaultSeverity: .warning,
        summary: "loss ≈ ln K and/or accuracy ≈ 1/K; K is inferred and the report says how",
        whatItDetects: "A loss that stays near ln K (0.693 for 2 classes, 2.303 for 10, …) and/or an accuracy near 1/K: "
            + "the model has learned nothing. K is inferred and the report says how.",
        whyItMatters: "A classifier at chance level is no better than a coin flip; more epochs will not help until the cause is fixed.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs. Judges the held-out loss/accuracy, then the training ones (either split at chance fires), "
            + "each as the median of the last window (n/5 epochs, 3–10). K fits the loss when loss / ln K is in [0.92, 1.2], and fits the "
            + "accuracy when (acc − 1/K) / (1 − 1/K) is in [−0.15, 0.06] (up to two standard errors of 1/K when the held-out "
            + "accuracy's values show how many samples it was measured on: all multiples of 1/n). With both metrics, some K must fit both (the best fit is reported); "
            + "with a loss only, K = round(e^loss) must fit both the early window (epochs 2…) and the last one — the loss stayed at ln K, "
            + "and did not fall at 80 % of its epochs by 2 % or more in all (a model that is learning); "
            + "with an accuracy only, K = round(1/acc) ≤ 20 must fit and the accuracy never rose above the chance band. "
            + "A loss alone names K only up to 20 or as a common count (100, 1000): any loss is ln K for some K. It is not at chance "
            + "when a held-out accuracy of the run shows skill ((acc − 1/K) / (1 − 1/K) > 0.5), and an accuracy's K is contradicted "
            + "by a first training loss above 1.5 ln K (an untrained model starts at ln of its class count).",
        fix: "Check that labels match inputs, overfit one small batch, then fix the learning rate / activations.",
        triggeringExamples: [
            RuleExample(#"{"loss": [0.6985, 0.6955, 0.6942, 0.6932, 0.6927, 0.6923], "accuracy": [0.495, 0.499, 0.504, 0.51, 0.519, 0.527], "val_loss": [0.7074, 0.7061, 0.7053, 0.7046, 0.7040, 0.7035], "val_accuracy": [0.465, 0.455, 0.455, 0.455, 0.50, 0.495]}"#,
                        note: "Random binary labels: loss ln 2, accuracy 0.5."),
            RuleExample("epoch   1 | train_loss 2.30539 | train_acc 0.1454 | val_loss 2.30048 | val_acc 0.1444\nepoch   2 | train_loss 2.30536 | train_acc 0.1454 | val_loss 2.30045 | val_acc 0.1444\nepoch   3 | train_loss 2.30533 | train_acc 0.1454 | val_loss 2.30042 | val_acc 0.1444\nepoch   4 | train_loss 2.30530 | train_acc 0.1454 | val_loss 2.30039 | val_acc 0.1444\nepoch   5 | train_loss 2.30527 | train_acc 0.1454 | val_loss 2.30036 | val_acc 0.1444\n",
                        note: "10 classes, learning rate far too low."),
            RuleExample(#"{"loss": [0.69, 0.69, 0.68, 0.68, 0.67, 0.67], "accuracy": [0.52, 0.55, 0.58, 0.56, 0.60, 0.61], "val_loss": [0.690, 0.686, 0.684, 0.681, 0.678, 0.675], "val_accuracy": [0.5532, 0.5532, 0.5745, 0.5957, 0.6170, 0.6170]}"#,
                        note: "47 held-out samples (accuracies 26/47 … 29/47): 0.617 is within two standard errors of 0.5."),
        ],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.71, 0.62, 0.55, 0.49, 0.43, 0.38], "val_loss": [0.66, 0.58, 0.51, 0.45, 0.39, 0.34], "val_accuracy": [0.40, 0.68, 0.86, 0.89, 0.92, 0.95]}"#,
                                            note: "Starts at ln 2 but learns."),
                                RuleExample(#"{"loss": [4.63, 4.21, 4.12, 4.05, 3.99, 3.97], "val_loss": [4.318, 4.17, 4.09, 4.03, 3.99, 3.975]}"#,
                                            note: "A masked language model's token loss: 4.08 is ln 59, a count nobody classifies into."),
                                RuleExample(#"{"loss": [0.712, 0.708, 0.707, 0.706, 0.706, 0.705], "val_loss": [1.24, 1.23, 1.23, 1.22, 1.23, 1.23], "val_accuracy": [0.971, 0.975, 0.979, 0.981, 0.983, 0.984]}"#,
                                            note: "A training loss at 0.69 beside a held-out accuracy of 0.98: the loss is computed some other way, the model has skill."),
                                RuleExample(#"{"loss": [2.4808, 1.7988, 1.4631, 1.1503, 0.8868, 0.7165, 0.5740, 0.4883], "accuracy": [0.2275, 0.4308, 0.5405, 0.6539, 0.742, 0.794, 0.8361, 0.8585], "val_loss": [2.1192, 1.934, 1.9335, 1.8343, 1.895, 2.0127, 2.1347, 2.1612], "val_accuracy": [0.4365, 0.477, 0.4755, 0.5055, 0.525, 0.4945, 0.5, 0.4865]}"#,
                                            note: "A held-out accuracy of 0.49 is not 1/2 when the training loss started at ln 12: an overfitting model with many classes."),
                               ])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        // Only a classifier has a chance level of ln K / 1/K (a detector's box loss or a
        // regression error that happens to sit at 0.69 is not "at chance").
        guard curves.isJudgeable, curves.task.hasClassPrior else { return [] }
        for pair in curves.splitPairs {
            let loss = pair.loss.flatMap { $0.count >= RunCurves.minimumEpochs ? $0 : nil }
            let accuracy = pair.accuracy.flatMap { $0.count >= RunCurves.minimumEpochs ? $0 : nil }
            // A split that logs only its loss is judged with the class count the run's other
            // accuracy allows: a loss of 5.6 is not "ln 276" in a run whose accuracy says two classes.
            let bound = accuracy == nil && loss != nil ? classesFromAccuracy(curves) : nil
            guard let estimate = atChance(loss: loss, accuracy: accuracy, stated: curves.task.classes?.classes, atMost: bound) else { continue }
            // A loss alone is not at chance in a run whose held-out accuracy shows skill: a training
            // loss at 0.69 beside a held-out accuracy of 0.98 is a loss computed some other way. (A
            // training accuracy proves nothing: random labels are memorized.)
            if accuracy == nil, curves.accuracies.contains(where: {
                $0.series.split != .train && ClassCountInference.skill($0.tailMedian, classes: estimate.classes) > Self.clearSkill
            }) {
                continue
            }
            // K named by an accuracy is contradicted by a training loss that started well above ln K
            // (an untrained model's loss is ln of its class count): the run has more classes.
            if estimate.source == .accuracy, let train = curves.trainLoss, startedAtLargerBaseline(untrained: train, classes: estimate.classes) {
                continue
            }
            return [finding(estimate, loss: loss, accuracy: accuracy, curves: curves)]
        }
        return []
    }

    /// A first value well above ln K that is no explosion (under 10x the rest) is an untrained
    /// model's loss over more outcomes than K: a character model starts at ln 65 and learns its way
    /// down to 2.3, which is not "ln 10".
    private func startedAtLargerBaseline(_ loss: MetricCurve, classes: Int) -> Bool {
        let first = loss.values[0]
        return first > 1.5 * log(Double(classes)) && first < 10 * loss.tailMedian
    }

    /// A loss that falls at 80 % or more of its epochs (from the second on), by 2 % or more in all, is
    /// learning, whatever level it passes: a model at chance wobbles around ln K, or creeps by
    /// hundredths of a percent when its learning rate is far too low.
    private func stillLearning(_ loss: MetricCurve) -> Bool {
        let rest = loss.afterFirst
        guard rest.count >= 4, let first = rest.first, let last = rest.last, first > 0 else { return false }
        let moves = SeriesStatistics.differences(rest)
        let falling = moves.filter { $0 < 0 }.count
        return Double(falling) >= 0.8 * Double(moves.count) && (first - last) / first >= 0.02
    }

    /// An accuracy this far from 1/K toward 1 ((acc − 1/K) / (1 − 1/K)) is a model with skill.
    static let clearSkill = 0.5

    /// A first training loss over 1.5 ln K that is still a plausible untrained classifier's loss
    /// (at most ln 1000 with the loss band's margin; more is an explosion, which says nothing of K),
    /// and that the model then learned its way down from: a baseline, not a blow-up in the first
    /// epoch (a loss that stays high and erratic says nothing of K either).
    private func startedAtLargerBaseline(untrained loss: MetricCurve, classes: Int) -> Bool {
        let first = loss.values[0]
        return first > 1.5 * log(Double(classes)) && ClassCountInference.estimate(loss: first, accuracy: nil) != nil
            && stillLearning(loss)
    }

    /// The class count an accuracy of the run allows: at most 1/acc rounded (a model at or above chance).
    private func classesFromAccuracy(_ curves: RunCurves) -> Int? {
        guard let accuracy = curves.accuracies.first, accuracy.tailMedian > 0, accuracy.tailMedian < 1 else { return nil }
        return max(2, Int((1 / accuracy.tailMedian).rounded()))
    }

    private func atChance(loss: MetricCurve?, accuracy: MetricCurve?, stated: Int?, atMost: Int?) -> ClassCount? {
        // A held-out accuracy is measured on the same samples every time: its values show how many.
        let samples = accuracy.flatMap { $0.series.split == .train ? nil : ClassCountInference.evaluatedSamples($0.values) }
        guard let estimate = ClassCountInference.estimate(
            loss: loss?.tailMedian, accuracy: accuracy?.tailMedian, stated: stated, atMost: atMost, samples: samples)
        else { return nil }
        switch estimate.source {
        case .loss, .stated where loss != nil && accuracy == nil:
            // The loss stayed at ln K: it fits early and late, and did not fall toward a model with
            // skill on the way (a model at chance cannot lower its loss; one on held-out data may raise it).
            // Every loss from 0.64 to 8 is ln K for some K; past 20 classes only a count people use
            // (100, 1000) is evidence rather than coincidence (a token loss of 4.08 is not "ln 59").
            guard estimate.source == .stated || estimate.classes <= ClassCountInference.maximumClassesFromAccuracy
                    || ClassCountInference.commonCounts.contains(estimate.classes) else { return nil }
            guard let loss, let early = SeriesStatistics.median(Array(loss.afterFirst.prefix(loss.window))),
                  ClassCountInference.lossFits(early, classes: estimate.classes), loss.tailMedian >= 0.95 * early,
                  !startedAtLargerBaseline(loss, classes: estimate.classes), !stillLearning(loss) else { return nil }
        case .accuracy, .stated where loss == nil:
            // The accuracy stayed in the chance band and did not climb within it, and the loss (far
            // above ln K when there is one) did not fall: a model that learns slowly sits there too.
            guard let accuracy, let early = SeriesStatistics.median(Array(accuracy.afterFirst.prefix(accuracy.window))),
                  accuracy.tailMedian <= 1.1 * early, (loss.map { $0.tailMedian >= 0.95 * $0.headMedian } ?? true) else { return nil }
            let smoothed = SeriesStatistics.rollingMedians(accuracy.values, length: 3)
            guard smoothed.allSatisfy({
                ClassCountInference.accuracyFits($0, classes: estimate.classes, samples: samples) || $0 < 1 / Double(estimate.classes)
            })
            else { return nil }
        case .both, .stated:
            break
        }
        return estimate
    }

    private func finding(_ estimate: ClassCount, loss: MetricCurve?, accuracy: MetricCurve?, curves: RunCurves) -> Finding {
        let classes = estimate.classes
        let reference = loss ?? accuracy!
        var evidence: [Evidence] = []
        for curve in [loss, accuracy].compactMap({ $0 }) {
            evidence.append(curve.evidence(0, note: "first epoch"))
            evidence.append(curve.evidence(curve.count - 1, note: "last epoch"))
        }
        let trainBelowChance: Bool = {
            guard reference.series.split != .train, let train = curves.trainLoss, train.tailMedian > 0 else { return false }
            return train.tailMedian < 0.92 * log(Double(classes))
        }()
        let moved = loss.flatMap { SeriesStatistics.relativeChangeOverRun($0.afterFirst, window: $0.window) }
        let splitName = reference.series.split == .train ? "training" : "held-out"
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: estimate.confidence, metric: reference.key,
            firstEpoch: reference.firstEpoch, lastEpoch: reference.lastEpoch,
            message: "The \(splitName) metrics sit at chance level for K = \(classes) classes: \(estimate.explanation) "
                + "(\(Self.origin(of: estimate))).",
            evidence: evidence,
            causes: StagnationKnowledge.chanceCauses(classes: classes, lossMovedFraction: moved, trainBelowChance: trainBelowChance,
                                                     firstEpochRatio: curves.trainLoss.flatMap(Self.firstEpochRatio)),
            fixes: [FixLibrary.checkLabels, FixLibrary.overfitSmallBatch, FixLibrary.raiseLearningRate, FixLibrary.normalizeInputs,
                    FixLibrary.betterActivationsAndInit])
    }

    /// The first value over the median of the rest: 10 or more is an exploded first epoch.
    static func firstEpochRatio(_ loss: MetricCurve) -> Double? {
        guard loss.values[0] > 0, let rest = SeriesStatistics.median(loss.afterFirst), rest > 0 else { return nil }
        return loss.values[0] / rest
    }

    /// Where K came from and how sure it is, for the message.
    static func origin(of estimate: ClassCount) -> String {
        let sure = "confidence in K \(ValueFormat.percent(estimate.confidence))"
        switch estimate.source {
        case .stated: return "K as stated with --classes"
        case .both: return "K inferred from the loss and the accuracy, \(sure)"
        case .loss: return "K inferred from the loss, \(sure)"
        case .accuracy: return "K inferred from the accuracy, \(sure)"
        }
    }
}
