@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `too-short`: too few epochs to judge the curves; says so instead of guessing.
public struct TooShortDetector: Detector {
    public static let description = RuleDescription(
        id: "too-short", name: "Too few epochs to judge", defaultSeverity: .info,
        summary: "fewer than 5 epochs to judge",
        whatItDetects: "A run that logged fewer epochs than losslens needs to judge the shape of its curves.",
        whyItMatters: "Trends, plateaus and overfitting cannot be told apart from noise in a handful of epochs; "
            + "losslens reports this instead of guessing.",
        howItDecides: "Fires when the run has at least one value but fewer than \(RunCurves.minimumEpochs) epochs, and too few points "
            + "of every other kind to judge on instead: fewer than \(RunCurves.minimumTrainSteps) logged training steps and fewer than "
            + "\(RunCurves.minimumEvaluations) evaluations (a 1–3 epoch fine-tune that logs its steps is judged on them). "
            + "Shape rules (flat, diverging, overfitting, chance-level, …) stay silent on such runs; facts "
            + "(non-finite values, a crash, a loss of exactly 0) are still reported. A run that crashed is left to `crash`.",
        fix: "Train (or log) more epochs; if the log was cut off, pass the complete log.",
        triggeringExamples: [RuleExample(#"{"loss": [0.61, 0.33]}"#, note: "Two epochs only.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.9, 0.7, 0.5, 0.4, 0.35]}"#, note: "Five epochs are enough to judge.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        let run = curves.run
        let epochs = run.epochCount
        guard run.hasMetrics, run.crash == nil, !curves.isJudgeable else { return [] }
        let reference = curves.trainLoss ?? curves.heldOutLoss ?? curves.accuracies.first
        var evidence: [Evidence] = []
        if let reference { evidence.append(reference.evidence(reference.count - 1, note: "last logged value")) }
        var causes: [Cause] = []
        if let planned = run.plannedEpochs, planned > epochs {
            causes.append(Cause("The run was interrupted or the log was cut off.",
                                because: "the log announces \(planned) epochs but stops after \(epochs)"))
        }
        causes.append(Cause("The run was configured with very few epochs (a smoke test or a quick experiment).",
                            because: "only \(epochs) epoch\(epochs == 1 ? "" : "s") of metrics are in the log"))
        return [Finding(
            rule: Self.description.id, severity: .info, confidence: 1, metric: reference?.key, firstEpoch: 1,
            lastEpoch: epochs,
            message: "Only \(epochs) epoch\(epochs == 1 ? "" : "s") logged; at least \(RunCurves.minimumEpochs) are needed to judge trends "
                + "(or \(RunCurves.minimumTrainSteps) logged training steps, or \(RunCurves.minimumEvaluations) evaluations), so shape rules were skipped.",
            evidence: evidence, causes: causes, fixes: [FixLibrary.trainLonger])]
    }
}
