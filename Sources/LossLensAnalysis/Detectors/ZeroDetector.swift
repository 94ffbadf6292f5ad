@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `zero`: a loss at 0 from the start (not reached by convergence), or an accuracy that is exactly 0.
public struct ZeroDetector: Detector {
    /// Values within this of 0 print as 0 at the usual 4 decimals: they are "zero" in a log.
    static let zeroTolerance = 1e-4

    public static let description = RuleDescription(
        id: "zero", name: "Loss or accuracy stuck at zero", defaultSeverity: .error,
        summary: "the loss is 0 from the first epochs, or accuracy is exactly 0 every epoch",
        whatItDetects: "A loss that is (within rounding of) 0 from the first epochs instead of reaching 0 by converging, "
            + "a classification loss that reaches exactly 0 within the first third of a step-level run and stays there, "
            + "a held-out loss that falls to exactly 0 and stays there, "
            + "or an accuracy (or BLEU, F1, mAP) that is exactly 0 in every epoch.",
        whyItMatters: "A zero loss gives zero gradients: nothing is learned. A zero accuracy means the metric cannot "
            + "measure this task (or the labels are broken).",
        howItDecides: "Loss: the first two epochs and the median of the run are all within 1e-4 of 0 (what prints as 0.0000), or, when the epochs "
            + "hold fewer than two values, every one of at least 3 logged steps is. "
            + "A loss that starts higher and falls to 0 is convergence, not this rule; but a step-level loss that is within 1e-4 of 0 "
            + "from the first third of its logged steps on is reported as a warning (a real task is not solved that fast), and so "
            + "is a held-out loss that is within 1e-4 of 0 from some evaluation to the last (at least two of them): unseen data "
            + "is not predicted with certainty unless the answer is in it. "
            + "Only losses where 0 is impossible count: not a GAN's critic, a detector's components or a regression error. "
            + "Scores: every value (at least 3; the logged steps when the epochs hold fewer) of an accuracy, BLEU, F1, mAP, AUC, IoU or Dice is exactly 0.",
        fix: "Two classes: one sigmoid unit with binary cross-entropy (Keras) / BCEWithLogitsLoss over one logit (PyTorch), "
            + "or K ≥ 2 units with (sparse) categorical cross-entropy. Regression: use MAE/RMSE instead of accuracy.",
        triggeringExamples: [
            RuleExample(#"{"loss": [0.0, 0.0, 0.0, 0.0, 0.0], "accuracy": [0.59, 0.59, 0.59, 0.59, 0.59]}"#,
                        note: "Single-unit softmax: the loss is exactly 0, the accuracy frozen."),
            RuleExample(#"{"loss": [44.3, 4.9, 2.9, 1.9, 1.3, 0.77], "accuracy": [0, 0, 0, 0, 0, 0]}"#,
                        note: "Accuracy on a regression target."),
            RuleExample(#"{"loss": [3.80, 0.35, 0.0009, 0.0004, 0.0002, 0.0001, 0.0001, 0.0], "val_loss": [3.80, 0.0002, 0.0001, 0.0001, 0.0, 0.0, 0.0, 0.0]}"#,
                        note: "The held-out loss falls to exactly 0 and stays there: the answer is in the input."),
        ],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.34, 0.08, 0.02, 0.004, 0.0009, 0.0001], "accuracy": [0.87, 0.97, 0.99, 1.0, 1.0, 1.0]}"#,
                                            note: "Loss reaches ~0 by converging.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        var findings: [Finding] = []
        // A critic, a detection component or a regression error may sit at 0; a cross-entropy may not.
        let symptomatic = curves.losses.filter { curves.task.zeroLossIsSymptom($0.series) }
        if let loss = symptomatic.first(where: isZeroFromStart) {
            findings.append(zeroLoss(loss, curves: curves))
        } else if curves.granularity == .step, let loss = curves.trainLoss, symptomatic.contains(where: { $0.series.name == loss.series.name }),
                  // Every logged step, not the buckets' medians: a value of exactly 0 is the point.
                  let steps = RunCurves.stepSeries(curves.run, .loss, .train).flatMap(MetricCurve.init),
                  let finding = zeroWithinSteps(steps) {
            findings.append(finding)
        } else if let loss = curves.heldOutLoss, curves.task.zeroLossIsSymptom(loss.series), let finding = heldOutReachesZero(loss) {
            findings.append(finding)
        } else if curves.granularity != .step, let loss = zeroStepLoss(curves) {
            // Judged per epoch, but the epochs are too few to show it (a log excerpt, one epoch):
            // its logged steps are 0 at every point.
            findings.append(zeroLoss(loss, curves: curves))
        }
        for score in scores(curves) + stepScores(curves) where score.count >= 3 && score.values.allSatisfy({ $0 == 0 }) {
            findings.append(zeroAccuracy(score, curves: curves))
        }
        return findings
    }

    /// A step-level loss that is 0 at every one of its (at least 3) logged steps, in a run whose
    /// epoch-level losses hold fewer than two values each.
    private func zeroStepLoss(_ curves: RunCurves) -> MetricCurve? {
        guard curves.losses.allSatisfy({ $0.count < 2 }) else { return nil }
        return curves.run.series
            .filter { $0.granularity == .step && $0.kind == .loss && curves.task.zeroLossIsSymptom($0) }
            .compactMap(MetricCurve.init)
            .first { $0.count >= 3 && $0.values.allSatisfy { abs($0) <= Self.zeroTolerance } }
    }

    /// The accuracies, and the other scores where 0 is total failure (BLEU, F1, mAP, …), at the
    /// granularity the run is judged on.
    private func scores(_ curves: RunCurves) -> [MetricCurve] {
        curves.accuracies + curves.scoreSeries().compactMap(MetricCurve.init)
    }

    /// The step-level accuracies and scores of a run judged per epoch whose epoch-level ones hold
    /// fewer than 3 values each (a log excerpt): their logged steps show what the epochs cannot.
    private func stepScores(_ curves: RunCurves) -> [MetricCurve] {
        guard curves.granularity != .step, scores(curves).allSatisfy({ $0.count < 3 }) else { return [] }
        return curves.run.series.filter { $0.granularity == .step && ($0.kind == .accuracy || TaskInference.isScore($0.name)) }
            .compactMap(MetricCurve.init)
    }

    /// A training loss that reaches exactly 0 (what prints as 0.0) in the first third of the logged
    /// steps and stays there. A cross-entropy is 0 only when every sample gets probability 1: a
    /// real task solved that fast is one whose answer is in the input, or a loss that is not computed.
    private func zeroWithinSteps(_ loss: MetricCurve) -> Finding? {
        guard loss.count >= RunCurves.minimumTrainSteps, loss.values[0] > Self.zeroTolerance,
              let reached = loss.values.firstIndex(where: { abs($0) <= Self.zeroTolerance }), reached <= loss.count / 3,
              let rest = SeriesStatistics.median(Array(loss.values[reached...])), abs(rest) <= Self.zeroTolerance else { return nil }
        return zeroReached(
            loss, at: reached, confidence: 0.7, unit: "logged step",
            message: "\(loss.key) reaches exactly 0 at \(loss.place(reached)) of \(loss.count) logged steps and stays there: "
                + "a cross-entropy of 0 means every prediction is certain and right, which a real task does not allow this early.",
            causes: [
                Cause("The label is in the input (a leaked column, an ID, or a prompt that contains the answer), so the task is trivial.",
                      because: "the loss went from \(ValueFormat.number(loss.values[0])) to 0 by \(loss.place(reached))"),
                Cause("The loss is computed on nothing (every label masked, e.g. -100 everywhere, or an empty batch), so it is 0 by construction.",
                      because: "a loss that prints as exactly 0.0 for the rest of the run gives no gradient at all"),
            ])
    }

    /// A held-out loss that falls to exactly 0 (what prints as 0.0) and stays there for its last
    /// evaluations, at any granularity and however late: training data can be memorized until its
    /// loss is 0, data the model never trained on cannot be predicted with certainty unless the
    /// answer is in it.
    private func heldOutReachesZero(_ loss: MetricCurve) -> Finding? {
        guard loss.count >= 3, loss.values[0] > Self.zeroTolerance,
              let reached = loss.values.firstIndex(where: { abs($0) <= Self.zeroTolerance }), loss.count - reached >= 2,
              loss.values[reached...].allSatisfy({ abs($0) <= Self.zeroTolerance }) else { return nil }
        return zeroReached(
            loss, at: reached, confidence: 0.75, unit: nil,
            message: "\(loss.key) reaches exactly 0 at \(loss.place(reached)) and stays there to the end: a held-out cross-entropy "
                + "of 0 means every prediction on data the model did not train on is certain and right.",
            causes: [
                Cause("The label is in the input (a leaked column, an ID, or a prompt that contains the answer), or the held-out "
                      + "set overlaps the training set, so the task is trivial.",
                      because: "the held-out loss went from \(ValueFormat.number(loss.values[0])) to 0 by \(loss.place(reached))"),
                Cause("The held-out loss is computed on nothing (every label masked, e.g. -100 everywhere, or an empty split), "
                      + "so it is 0 by construction.",
                      because: "a held-out loss that prints as exactly 0.0 for the rest of the run"),
            ])
    }

    /// A loss that fell to 0 at `reached` and stayed there: a warning from there to the end, its
    /// evidence the first value, the first zero and the last (`unit` names them: "first logged
    /// step"; nil: "first value").
    private func zeroReached(
        _ loss: MetricCurve, at reached: Int, confidence: Double, unit: String?, message: String, causes: [Cause]
    ) -> Finding {
        Finding(
            rule: Self.description.id, severity: .warning, confidence: confidence, metric: loss.key,
            firstEpoch: loss.epoch(reached), lastEpoch: loss.lastEpoch, message: message,
            evidence: [loss.evidence(0, note: "first \(unit ?? "value")"), loss.evidence(reached, note: "first zero"),
                       loss.evidence(loss.count - 1, note: "last \(unit ?? "value")")],
            causes: causes, fixes: [FixLibrary.splitBeforePreprocessing, FixLibrary.checkLabels])
    }

    func isZeroFromStart(_ curve: MetricCurve) -> Bool {
        guard curve.count >= 2, let median = SeriesStatistics.median(curve.values) else { return false }
        return curve.values.prefix(2).allSatisfy { abs($0) <= Self.zeroTolerance } && abs(median) <= Self.zeroTolerance
    }

    private func zeroLoss(_ loss: MetricCurve, curves: RunCurves) -> Finding {
        // The same split's accuracy if there is one, else the other split's: a model with a zero loss is constant on both.
        let accuracy = (loss.series.split == .train ? curves.trainAccuracy : curves.heldOutAccuracy) ?? curves.accuracies.first
        let frozen = accuracy.flatMap { curve -> Double? in
            curve.afterFirst.count >= 2 && (curve.afterFirst.max()! - curve.afterFirst.min()!) <= 0.002 ? curve.tailMedian : nil
        }
        // Step values keep the sign that per-epoch means lose (0 + -0 = 0).
        let negativeZero = curves.run.series.contains { series in
            series.kind == .loss && series.points.contains { $0.value == 0 && $0.value.sign == .minus }
        }
        let perStep = loss.series.granularity == .step
        var evidence = [loss.evidence(0, note: perStep ? "first logged step" : "first epoch"),
                        loss.evidence(loss.count - 1, note: perStep ? "last logged step" : "last epoch")]
        if let accuracy, frozen != nil { evidence.append(accuracy.evidence(accuracy.count - 1, note: "accuracy, unchanged since epoch 2")) }
        let singleUnit = Cause(
            "The output layer has a single unit under softmax (Keras) or nn.CrossEntropyLoss gets a single logit (PyTorch): "
                + "softmax over one value is always 1, so the loss is log(1) = 0 whatever the weights.",
            because: [frozen.map { "the accuracy is frozen at \(ValueFormat.number($0)) while the loss is 0" },
                      negativeZero ? "the loss prints as -0 (a negative zero, what -log_softmax of one logit gives)" : nil]
                .compactMap { $0 }.joined(separator: "; ").nonEmpty ?? "the loss is exactly 0 from the first epoch")
        let leak = Cause(
            "The target is (a copy of) an input feature, or the loss is computed on an empty mask/selection.",
            because: frozen == nil ? "the accuracy moves, so the model is not constant: it may be reading the answer"
                : "less likely: a frozen accuracy means the outputs do not change")
        let causes = frozen != nil || negativeZero ? [singleUnit, leak] : [leak, singleUnit]
        return Finding(
            rule: Self.description.id, severity: .error, confidence: frozen != nil || negativeZero ? 0.95 : 0.8,
            metric: loss.key, firstEpoch: loss.firstEpoch, lastEpoch: loss.lastEpoch,
            message: (perStep ? "\(loss.key) is 0 at every logged step (\(loss.span(from: 0, to: loss.count - 1))): "
                : "\(loss.key) is 0 from the first epoch (\(ValueFormat.epochs(loss.firstEpoch, loss.lastEpoch))): ")
                + "the loss gives no gradient, so nothing is learned"
                + (frozen.map { "; the accuracy stays at \(ValueFormat.number($0))" } ?? "") + ".",
            evidence: evidence, causes: causes, fixes: [FixLibrary.sigmoidForBinary, FixLibrary.twoLogitsForCrossEntropy])
    }

    private func zeroAccuracy(_ accuracy: MetricCurve, curves: RunCurves) -> Finding {
        let loss = accuracy.series.split == .train ? curves.trainLoss : curves.heldOutLoss
        let lossChange = loss.flatMap { SeriesStatistics.relativeChangeOverRun($0.values, window: $0.window) }
        let perEpoch = accuracy.series.granularity == .epoch
        var evidence = [accuracy.evidence(0, note: perEpoch ? "first epoch" : "first value"),
                        accuracy.evidence(accuracy.count - 1, note: perEpoch ? "last epoch" : "last value")]
        if let loss { evidence += [loss.evidence(0, note: "loss at the start"), loss.evidence(loss.count - 1, note: "loss at the end")] }
        let every = perEpoch ? "in every epoch (\(accuracy.count) epochs)" : "at every one of its \(accuracy.count) values"
        let message = "\(accuracy.key) is exactly 0 \(every)" + (lossChange.map { " while the loss changes by \(ValueFormat.percent($0))" } ?? "") + "."
        guard accuracy.series.kind == .accuracy else {
            return Finding(
                rule: Self.description.id, severity: .warning, confidence: 0.85, metric: accuracy.key,
                firstEpoch: accuracy.firstEpoch, lastEpoch: accuracy.lastEpoch, message: message, evidence: evidence,
                causes: [Cause("The score is computed on something that can never match: predictions decoded or tokenized differently from "
                                + "the references, empty predictions, or the wrong field compared.",
                               because: lossChange.map { "the loss changes by \(ValueFormat.percent($0)) while \(accuracy.key) never leaves 0" }
                                ?? "\(accuracy.key) is exactly 0 every time it is computed")],
                fixes: [FixLibrary.inspectMetricByHand])
        }
        let regression = Cause(
            "The task is a regression (continuous target): accuracy counts exact matches, which never happen.",
            because: lossChange.map { "the loss fell \(ValueFormat.percent(-$0)) while the accuracy stayed exactly 0" }
                ?? "the accuracy is exactly 0 in every epoch")
        let labels = Cause(
            "Labels and predictions are encoded differently (one-hot vs. integer labels with the wrong accuracy metric, shifted labels).",
            because: "an accuracy of exactly 0 is worse than any guessing, which points at a comparison that can never succeed")
        let causes = (lossChange ?? 0) <= -0.5 ? [regression, labels] : [labels, regression]
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: 0.9, metric: accuracy.key,
            firstEpoch: accuracy.firstEpoch, lastEpoch: accuracy.lastEpoch,
            message: message, evidence: evidence, causes: causes, fixes: [FixLibrary.regressionMetrics, FixLibrary.softmaxOverClasses])
    }
}

extension String {
    /// nil for an empty string, so joined optional parts can fall back to a default.
    var nonEmpty: String? { isEmpty ? nil : self }
}
