@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `flat`: a metric that does not move over the run, or that froze over its last stretch
/// without having converged.
public struct FlatDetector: Detector {
    static let wholeRunLossSpread = 0.01
    static let tailLossSpread = 0.005
    static let frozenAccuracyRange = 0.002
    /// A frozen tail counts only while the loss is above this fraction of its early level
    /// (a loss that fell by 90 % or more and then rests has converged).
    static let convergedFraction = 0.1

    public static let description = RuleDescription(
        id: "flat", name: "Metric does not move", defaultSeverity: .warning,
        summary: "a loss or the training accuracy does not move (or froze before converging)",
        whatItDetects: "A loss or accuracy that stays the same every epoch (\"loss and accuracy are the same every epoch\"), "
            + "or a loss that froze over its last stretch without having converged.",
        whyItMatters: "A curve that does not respond to training means the model is not learning: constant output, "
            + "dead units, a learning rate far too low, or updates that are never applied.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs; the first epoch is left out (it averages over a changing model). "
            + "Loss: (max − min) / median ≤ 1 % over epochs 2…n, or ≤ 0.5 % over the last max(5, n/4) epochs (runs of 10+ epochs) "
            + "while that stretch is still above 10 % of the early level (so a converged loss resting near its minimum is not flagged) "
            + "and not ≥ 1.5x the loss's smoothed minimum (a loss that climbed and then froze saturated after diverging: `diverging`). "
            + "Training accuracy: max − min ≤ 0.002 over epochs 2…n (and below 0.999); a held-out accuracy alone is not "
            + "judged (small held-out sets repeat values in healthy runs). A loss at 0 is left to `zero`; a GAN's losses are not "
            + "judged (they hover around an equilibrium by design).",
        fix: "Normalize inputs, check the learning rate (10x up if the loss creeps, down if the first epoch exploded), "
            + "use ReLU/He init in deep nets and verify the optimizer actually steps.",
        triggeringExamples: [
            RuleExample(#"{"loss": [2.3643, 2.3642, 2.3642, 2.3641, 2.3640, 2.3640], "accuracy": [0.082, 0.082, 0.082, 0.082, 0.082, 0.082]}"#,
                        note: "Learning rate far too low: the loss creeps by 0.01 %."),
            RuleExample(#"{"loss": [100.0, 2.3084, 2.3083, 2.3083, 2.3083, 2.3083, 2.3083, 2.3083, 2.3083, 2.3083, 2.3083, 2.3083]}"#,
                        note: "Exploded first epoch, then frozen."),
        ],
        nonTriggeringExamples: [
            RuleExample(#"{"loss": [2.09, 1.52, 1.02, 0.69, 0.51, 0.40, 0.33]}"#, note: "Healthy decrease."),
            RuleExample(#"{"loss": [1.9, 0.9, 0.3, 0.1, 0.03, 0.01, 0.004, 0.002, 0.0010, 0.0010, 0.0010, 0.0010, 0.0010, 0.0010]}"#,
                        note: "Converged: the frozen tail is far below the start."),
            RuleExample(#"{"loss": [0.42, 2.39, 2.35, 1.37, 1.37, 1.89, 3.69, 5.48, 6.08, 6.47, 6.83, 7.18, 7.53, 7.75, 7.92, 8.03, 8.10, 8.10, 8.10, 8.10, 8.10, 8.10, 8.10, 8.10, 8.10]}"#,
                        note: "SGD with momentum 0.99 diverged and the loss saturated at its ceiling: `diverging`, not a stagnant run."),
        ])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable else { return [] }
        var findings: [Finding] = []
        // A loss at 0 from the start is the `zero` rule's finding; repeating it as "flat" adds nothing.
        for loss in curves.losses where !ZeroDetector().isZeroFromStart(loss) && curves.task.judgesShape(of: loss.series) {
            if let finding = flatLoss(loss, curves: curves) { findings.append(finding) }
        }
        // Only the training accuracy: held-out sets are small, so a held-out accuracy that repeats
        // one value for many epochs is common in healthy runs.
        if let accuracy = curves.trainAccuracy, let finding = flatAccuracy(accuracy) { findings.append(finding) }
        return findings
    }

    private func flatLoss(_ loss: MetricCurve, curves: RunCurves) -> Finding? {
        guard loss.count >= RunCurves.minimumEpochs else { return nil }
        let rest = loss.afterFirst
        var start = 1
        var spread = SeriesStatistics.relativeSpread(rest) ?? .infinity
        var wholeRun = spread <= Self.wholeRunLossSpread
        if !wholeRun {
            let length = max(5, loss.count / 4)
            guard loss.count >= 10, loss.count - length >= 1 else { return nil }
            let tail = Array(loss.values.suffix(length))
            spread = SeriesStatistics.relativeSpread(tail) ?? .infinity
            let early = SeriesStatistics.median(Array(rest.prefix(loss.window)))!
            guard spread <= Self.tailLossSpread, let level = SeriesStatistics.median(tail),
                  abs(level) >= Self.convergedFraction * abs(early), !climbedIntoPlateau(loss) else { return nil }
            start = loss.count - length
            wholeRun = false
        }
        let stretch = Array(loss.values[start...])
        let accuracy = loss.series.split == .train ? curves.trainAccuracy : curves.heldOutAccuracy
        let shape = StagnationKnowledge.Shape(
            relativeSpread: spread, monotonicFraction: monotonicFraction(stretch), repeatFraction: repeatFraction(stretch),
            firstEpochRatio: loss.values[0] > 0 && (SeriesStatistics.median(rest) ?? 0) > 0
                ? loss.values[0] / SeriesStatistics.median(rest)! : nil,
            frozenAccuracy: accuracy.flatMap(frozenLevel))
        let evidence = [loss.evidence(start, note: wholeRun ? "second value" : "start of the frozen stretch"),
                        loss.evidence(loss.count - 1, note: "last epoch")]
            + (shape.firstEpochRatio.map { $0 >= 10 ? [loss.evidence(0, note: "first epoch")] : [] } ?? [])
        let range = loss.span(from: start, to: loss.count - 1)
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: wholeRun ? 0.9 : 0.7, metric: loss.key,
            firstEpoch: loss.epoch(start), lastEpoch: loss.lastEpoch,
            message: "\(loss.key) does not move over \(range): it stays at \(ValueFormat.number(SeriesStatistics.median(stretch)!)) "
                + "(spread \(ValueFormat.percent(spread)) of its level).",
            evidence: evidence, causes: StagnationKnowledge.flatLossCauses(shape, key: loss.key),
            fixes: flatFixes(shape))
    }

    /// A loss that rose well above its minimum and then froze has saturated after diverging (a dead
    /// network at the loss's ceiling): `diverging` reports that, a "flat" finding would misname it.
    private func climbedIntoPlateau(_ loss: MetricCurve) -> Bool {
        guard let trend = LossTrend(loss) else { return false }
        return trend.riseFactor >= DivergingDetector.trainRise
    }

    private func flatAccuracy(_ accuracy: MetricCurve) -> Finding? {
        guard accuracy.count >= RunCurves.minimumEpochs, let level = frozenLevel(accuracy) else { return nil }
        let shape = StagnationKnowledge.Shape(
            relativeSpread: 0, monotonicFraction: 0, repeatFraction: repeatFraction(accuracy.afterFirst),
            firstEpochRatio: nil, frozenAccuracy: level)
        return Finding(
            rule: Self.description.id, severity: .warning, confidence: 0.9, metric: accuracy.key,
            firstEpoch: accuracy.epoch(1), lastEpoch: accuracy.lastEpoch,
            message: "\(accuracy.key) is stuck at \(ValueFormat.number(level)) from \(accuracy.place(1)) on: "
                + "the predictions do not change.",
            evidence: [accuracy.evidence(1, note: "second value"), accuracy.evidence(accuracy.count - 1, note: "last value")],
            causes: StagnationKnowledge.flatLossCauses(shape, key: accuracy.key), fixes: flatFixes(shape))
    }

    /// The level of an accuracy that does not move from epoch 2 on, if it is frozen (and not perfect).
    func frozenLevel(_ accuracy: MetricCurve) -> Double? {
        let rest = accuracy.afterFirst
        guard rest.count >= 2, let low = rest.min(), let high = rest.max(), high - low <= Self.frozenAccuracyRange,
              let level = SeriesStatistics.median(rest), level < 0.999 else { return nil }
        return level
    }

    /// The fixes of the most likely cause: an exploded first epoch wants smaller steps and scaled
    /// inputs, a loss that creeps wants larger steps; never both.
    private func flatFixes(_ shape: StagnationKnowledge.Shape) -> [Fix] {
        var fixes: [Fix] = []
        if let ratio = shape.firstEpochRatio, ratio >= 10 {
            fixes += [FixLibrary.normalizeInputs, FixLibrary.lowerLearningRate]
        } else if shape.monotonicFraction >= 0.8 {
            fixes.append(FixLibrary.raiseLearningRate)
        }
        fixes += [FixLibrary.betterActivationsAndInit, FixLibrary.overfitSmallBatch, FixLibrary.checkLabels]
        return fixes
    }

    private func monotonicFraction(_ values: [Double]) -> Double {
        let moves = SeriesStatistics.differences(values).filter { $0 != 0 }
        guard let total = values.last.map({ $0 - values[0] }), !moves.isEmpty, total != 0 else { return 0 }
        return Double(moves.filter { ($0 > 0) == (total > 0) }.count) / Double(moves.count)
    }

    private func repeatFraction(_ values: [Double]) -> Double {
        let moves = SeriesStatistics.differences(values)
        guard !moves.isEmpty else { return 0 }
        return Double(moves.filter { $0 == 0 }.count) / Double(moves.count)
    }
}
