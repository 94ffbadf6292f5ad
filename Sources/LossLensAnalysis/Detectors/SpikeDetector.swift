@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `spike`: a sudden jump of an order of magnitude or more, and whether training recovered.
public struct SpikeDetector: Detector {
    /// An order of magnitude, against the previous epoch and against the recent level.
    static let jumpFactor = 10.0
    /// Recovered when a later value is back within this factor of the level before the jump.
    static let recoveryFactor = 2.0
    static let baselineLength = 5
    static let minimumEpochs = 3

    public static let description = RuleDescription(
        id: "spike", name: "Sudden loss spike", defaultSeverity: .warning,
        summary: "the loss jumps ≥ 10× in one epoch (info if it recovers)",
        isLive: true,
        whatItDetects: "A loss that jumps by an order of magnitude or more from one epoch to the next.",
        whyItMatters: "A spike means one phase of training blew the weights up; if the loss never comes back, the run is lost.",
        howItDecides: "Needs \(minimumEpochs)+ epochs (a jump is an event, not a trend, so short runs are judged too). A value is a spike when it is ≥ 10x the previous epoch and ≥ 10x the median "
            + "of the (up to) 5 epochs before it; the first epoch has nothing before it and is never a spike. Training recovered when a "
            + "later value is back within 2x of that median (then the finding is info, otherwise a warning). One finding per loss, for the largest spike.",
        fix: "Clip gradients, lower the learning rate (or add warm-up), and look for bad samples in the batch where it happened.",
        triggeringExamples: [RuleExample(#"{"loss": [0.52, 0.31, 0.24, 0.20, 0.19, 14.2, 13.6, 7.9, 3.8, 0.40, 0.21, 0.18]}"#,
                                         note: "A 70x jump at epoch 6 from which training recovers.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [2.3e24, 0.6931, 0.6930, 0.6930, 0.6929, 0.6929]}"#,
                                            note: "A huge first epoch is not a jump (nothing before it).")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        // A jump of an order of magnitude is an event, not a trend: three epochs are enough to see it.
        // A step-level run is judged on every logged step, not on the bucketed curve: one step is
        // where a spike lives.
        var judged = curves.allLosses.filter { curves.task.judgesShape(of: $0.series) }
        if curves.granularity == .step {
            judged = judged.map { curve in MetricCurve(curves.run.series.first { $0.name == curve.series.name && $0.granularity == .step }) ?? curve }
        }
        return judged.filter { $0.count >= Self.minimumEpochs }.compactMap(spike)
    }

    private func spike(in curve: MetricCurve) -> Finding? {
        let values = curve.values
        // A single batch's loss is noisy: near the end of training one batch at 20x the others is
        // still a small loss. Per step, a spike must also climb back above where training started.
        let floor = curve.series.granularity == .step ? SeriesStatistics.median(curve.head) ?? 0 : 0
        var best: (index: Int, factor: Double, baseline: Double)?
        for index in 1..<values.count where values[index - 1] > 0 {
            let window = Array(values[max(0, index - Self.baselineLength)..<index])
            guard let baseline = SeriesStatistics.median(window), baseline > 0, values[index] > floor,
                  values[index] >= Self.jumpFactor * values[index - 1], values[index] >= Self.jumpFactor * baseline else { continue }
            let factor = values[index] / baseline
            if factor > (best?.factor ?? 0) { best = (index, factor, baseline) }
        }
        guard let best else { return nil }
        let recovery = values.indices.dropFirst(best.index + 1).first { values[$0] <= Self.recoveryFactor * best.baseline }
        var evidence = [curve.evidence(best.index - 1, note: "before the jump"), curve.evidence(best.index, note: "spike")]
        if let recovery { evidence.append(curve.evidence(recovery, note: "back to the earlier level")) }
        return Finding(
            rule: Self.description.id, severity: recovery == nil ? .warning : .info, confidence: 0.9, metric: curve.key,
            firstEpoch: curve.epoch(best.index), lastEpoch: recovery.flatMap(curve.epoch) ?? curve.lastEpoch,
            message: "\(curve.key) jumps \(ValueFormat.number(best.factor))x at \(curve.place(best.index)) (to \(ValueFormat.number(values[best.index]))) and "
                + (recovery.map { "recovers by \(curve.place($0))." } ?? "never returns to its earlier level."),
            evidence: evidence,
            causes: [
                Cause("A too-high learning rate (or the end of a warm-up) let one update blow the weights up.",
                      because: "the loss rose \(ValueFormat.number(best.factor))x within a single \(curve.series.granularity == .step ? "logged step" : "epoch")"),
                Cause("A batch with extreme or corrupt values (outliers, wrong labels, NaN-adjacent inputs).",
                      because: "a single-epoch jump is what one bad batch produces"),
                Cause("No gradient clipping: a rare huge gradient goes straight into the weights.",
                      because: recovery == nil ? "training never recovered from the jump" : "training recovered, which fits a one-off gradient explosion"),
            ],
            fixes: [FixLibrary.clipGradients, FixLibrary.lowerLearningRate, FixLibrary.checkForBadValues])
    }
}
