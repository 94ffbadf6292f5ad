@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `leak-suspect`: held-out results too good to be true.
public struct LeakSuspectDetector: Detector {
    static let nearPerfect = 0.995
    /// Held-out loss below this fraction of the training loss, in most epochs, is "clearly better".
    static let heldOutLossRatio = 0.5
    static let persistentShare = 0.8
    /// Below this ratio the two losses are on different scales, not one split easier than the other.
    static let comparableRatio = 0.1

    public static let description = RuleDescription(
        id: "leak-suspect", name: "Validation too good to be true", defaultSeverity: .warning,
        summary: "held-out accuracy ≈ 1.0 early, training perfect at once, or held-out loss persistently < half the training loss",
        whatItDetects: "Held-out accuracy at (or near) 1.0 within the first epochs, training accuracy perfect from the first epoch, "
            + "or a held-out loss clearly and persistently below the training loss.",
        whyItMatters: "Results like these usually mean the model sees the answer (a leaked feature, overlapping splits, "
            + "preprocessing fitted on all data) and will fail on truly new data.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs. Not for segmentation (a pixel accuracy is mostly background). (1) Held-out accuracy reaches ≥ 0.995 by epoch max(3, n/2) and its median "
            + "from there on stays ≥ 0.995; (2) training accuracy ≥ 0.995 at epoch 1; (3) held-out loss < 0.5x the training loss "
            + "in ≥ 80 % of the epochs, with a median ratio ≥ 0.1 (further apart, the two losses are computed differently).",
        fix: "Split before any preprocessing, drop features derived from the label, and de-duplicate across splits.",
        triggeringExamples: [RuleExample(#"{"loss": [0.34, 0.08, 0.04, 0.026, 0.017, 0.012], "accuracy": [0.868, 0.976, 0.987, 0.991, 0.998, 0.998], "val_loss": [0.083, 0.034, 0.024, 0.021, 0.017, 0.014], "val_accuracy": [0.956, 1.0, 1.0, 1.0, 1.0, 1.0]}"#,
                                         note: "Validation accuracy 1.0 from epoch 2.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.71, 0.62, 0.55, 0.49, 0.43, 0.38], "accuracy": [0.38, 0.49, 0.71, 0.84, 0.90, 0.93], "val_loss": [0.66, 0.58, 0.51, 0.45, 0.39, 0.34], "val_accuracy": [0.40, 0.68, 0.86, 0.89, 0.92, 0.95]}"#,
                                            note: "Validation slightly better than training (dropout, averaging): normal."),
                                RuleExample(#"{"loss": [0.594, 0.482, 0.421, 0.383, 0.352, 0.331], "accuracy": [0.9977, 0.9984, 0.9986, 0.9987, 0.9988, 0.9989], "dice_score": [0.34, 0.44, 0.50, 0.55, 0.58, 0.60], "val_loss": [1.009, 0.869, 0.801, 0.752, 0.731, 0.712], "val_accuracy": [0.9990, 0.9991, 0.9991, 0.9992, 0.9992, 0.9992], "val_dice_score": [0.636, 0.658, 0.667, 0.672, 0.679, 0.683]}"#,
                                            note: "A lesion segmenter's pixel accuracy: 99.9 % of the pixels are background."),
                               ])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        // A segmentation model's accuracy counts pixels, most of them background: 0.999 in the
        // first epoch is what an empty mask scores, not a leak.
        guard curves.isJudgeable, curves.task.kind != .segmentation else { return [] }
        if let accuracy = curves.heldOutAccuracy, let finding = perfectHeldOut(accuracy, curves: curves) { return [finding] }
        if let accuracy = curves.trainAccuracy, accuracy.count >= RunCurves.minimumEpochs, accuracy.values[0] >= Self.nearPerfect {
            return [Finding(
                rule: Self.description.id, severity: .warning, confidence: 0.6, metric: accuracy.key,
                firstEpoch: accuracy.firstEpoch, lastEpoch: accuracy.firstEpoch,
                message: "\(accuracy.key) is \(ValueFormat.number(accuracy.values[0])) already in the first epoch: the task is solved before any real learning.",
                evidence: [accuracy.evidence(0, note: "first epoch")], causes: leakCauses(because: "training accuracy is perfect in epoch 1"),
                fixes: [FixLibrary.splitBeforePreprocessing, FixLibrary.checkLabels])]
        }
        // Only a classifier's two losses measure the same thing: a detector trains on augmented
        // mosaics and a generative model may report its losses on different scales.
        if curves.task.hasClassPrior, let finding = heldOutBelowTrain(curves) { return [finding] }
        return []
    }

    private func perfectHeldOut(_ accuracy: MetricCurve, curves: RunCurves) -> Finding? {
        let deadline = max(3, accuracy.count / 2)
        guard let reached = accuracy.values.indices.first(where: { accuracy.values[$0] >= Self.nearPerfect }), reached < deadline,
              let rest = SeriesStatistics.median(Array(accuracy.values[reached...])), rest >= Self.nearPerfect else { return nil }
        let epoch = accuracy.epoch(reached).map(String.init) ?? "?"
        var evidence = [accuracy.evidence(reached, note: "first near-perfect epoch"), accuracy.evidence(accuracy.count - 1, note: "last epoch")]
        if let train = curves.trainAccuracy { evidence.append(train.evidence(min(reached, train.count - 1), note: "training accuracy then")) }
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: 0.75, metric: accuracy.key,
            firstEpoch: accuracy.epoch(reached), lastEpoch: accuracy.lastEpoch,
            message: "\(accuracy.key) reaches \(ValueFormat.number(accuracy.values[reached])) at epoch \(epoch) and stays there: "
                + "held-out results this good this early are usually a leak.",
            evidence: evidence,
            causes: leakCauses(because: "held-out accuracy is near-perfect from epoch \(epoch) of \(accuracy.count)"),
            fixes: [FixLibrary.splitBeforePreprocessing, FixLibrary.checkLabels])
    }

    private func heldOutBelowTrain(_ curves: RunCurves) -> Finding? {
        guard let train = curves.trainLoss, let heldOut = curves.heldOutLoss else { return nil }
        var trainByEpoch: [Int: Double] = [:]
        for index in train.values.indices { if let epoch = train.epoch(index) { trainByEpoch[epoch] = train.values[index] } }
        let pairs = heldOut.values.indices.compactMap { index -> (Int, Double, Double)? in
            guard let epoch = heldOut.epoch(index), let trainValue = trainByEpoch[epoch], trainValue > 0 else { return nil }
            return (index, heldOut.values[index], trainValue)
        }
        guard pairs.count >= RunCurves.minimumEpochs else { return nil }
        let below = pairs.filter { $0.1 < Self.heldOutLossRatio * $0.2 }
        // Two orders of magnitude apart, the two losses are not measured alike (a sum over a batch
        // against a mean, a regularization term in one of them): that is no easier data.
        guard Double(below.count) >= Self.persistentShare * Double(pairs.count),
              let ratio = SeriesStatistics.median(pairs.map { $0.1 / $0.2 }), ratio >= Self.comparableRatio else { return nil }
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: 0.5, metric: heldOut.key,
            firstEpoch: heldOut.firstEpoch, lastEpoch: heldOut.lastEpoch,
            message: "\(heldOut.key) is below half of the training loss in \(below.count) of \(pairs.count) epochs "
                + "(typically \(ValueFormat.number(ratio))x): held-out data looks easier than the training data.",
            evidence: [heldOut.evidence(pairs[0].0, note: "held-out loss, first epoch"), heldOut.evidence(heldOut.count - 1, note: "held-out loss, last epoch")],
            causes: [
                Cause("Regularization that is active only during training (dropout, heavy augmentation, mixup, label smoothing) inflates the training loss.",
                      because: "the held-out loss is consistently \(ValueFormat.number(ratio))x the training loss"),
            ] + leakCauses(because: "held-out data that overlaps the training data scores better than the training batches"),
            fixes: [FixLibrary.splitBeforePreprocessing,
                    Fix("Compare with the training loss measured in evaluation mode (no dropout/augmentation) before suspecting a leak.",
                        keras: "model.evaluate(x_train, y_train)", pytorch: "model.eval(); with torch.no_grad(): train_loss = evaluate(model, train_loader)")])
    }

    private func leakCauses(because evidence: String) -> [Cause] {
        [
            Cause("A feature carries the label (an ID, a timestamp, a derived column, or the label itself).", because: evidence),
            Cause("Training and held-out data overlap (duplicates, augmented copies, the same subject/patient in both splits, or validation = training data).",
                  because: evidence),
            Cause("Preprocessing (scaling, feature selection, target encoding) was fitted on all data before splitting.",
                  notInLog: "this leaks held-out statistics into training and makes held-out scores optimistic"),
        ]
    }
}
