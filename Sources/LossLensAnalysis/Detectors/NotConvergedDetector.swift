import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `not-converged`: the loss was still clearly improving at the last epoch.
public struct NotConvergedDetector: Detector {
    /// Still falling by at least this fraction of its level per epoch over the last window.
    static let minimumRelativeDecline = 0.01
    /// How much of the loss the same number of epochs again must still take off, at the final rate.
    static let minimumGainOfTheSameRunAgain = 0.25

    public static let description = RuleDescription(
        id: "not-converged", name: "Still improving at the end", defaultSeverity: .info,
        summary: "the loss was still falling ≥ 1 % per epoch at the end",
        whatItDetects: "A loss that was still clearly falling when training stopped.",
        whyItMatters: "More epochs (or a higher learning rate) would likely give a better model.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs. Uses the held-out loss when there is one, else the training loss. Fires when "
            + "the Theil–Sen slope over the last window (n/5 epochs, 3–10) is a decline of ≥ 1 % of the window's median per epoch "
            + "(or a slower one that, kept up for as many epochs as the run had, would still take off a quarter of the loss) "
            + "and at least 2/3 of the window's epoch-to-epoch moves are declines.",
        fix: "Train longer with early stopping, or raise the learning rate if progress is slow throughout.",
        triggeringExamples: [RuleExample(#"{"loss": [1331427.0, 1318115.2, 1304872.2, 1291698.7, 1278596.3, 1265566.1, 1252608.8, 1239725.8]}"#,
                                         note: "Unnormalized regression: still falling ~1 % per epoch."),
                             RuleExample(#"{"loss": [20000.0, 19840.0, 19681.3, 19523.8, 19367.6, 19212.7, 19059.0, 18906.5, 18755.3, 18605.2, 18456.4, 18308.7, 18162.3, 18017.0, 17872.8, 17729.9, 17588.0, 17447.3, 17307.7, 17169.3, 17031.9, 16895.7, 16760.5, 16626.4, 16493.4, 16361.5, 16230.6, 16100.7, 15971.9, 15844.1, 15717.4, 15591.6, 15466.9, 15343.2, 15220.4, 15098.7, 14977.9, 14858.1, 14739.2, 14621.3]}"#,
                                         note: "40 epochs still falling 0.8 % per epoch: 40 more would take off another 27 %.")],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.9, 0.5, 0.3, 0.25, 0.24, 0.238, 0.2375, 0.2372, 0.2371]}"#, note: "Leveled off.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable, let curve = curves.heldOutLoss ?? curves.trainLoss, curve.count >= RunCurves.minimumEpochs,
              let slope = SeriesStatistics.theilSenSlope(curve.tail), curve.tailMedian > 0 else { return [] }
        let rate = slope / curve.tailMedian
        let moves = SeriesStatistics.differences(curve.tail)
        // Still falling fast, or slowly over a long run that the same number of epochs again would
        // still improve by a quarter.
        let gainOfTheSameRunAgain = 1 - pow(1 + rate, Double(curve.count))
        guard rate <= -Self.minimumRelativeDecline || (rate < 0 && gainOfTheSameRunAgain >= Self.minimumGainOfTheSameRunAgain),
              Double(moves.filter { $0 < 0 }.count) >= 2.0 / 3.0 * Double(moves.count) else { return [] }
        let start = curve.count - curve.window
        return [Finding(
            rule: Self.description.id, severity: .info, confidence: min(1, 0.5 + abs(rate) * 10), metric: curve.key,
            firstEpoch: curve.epoch(start), lastEpoch: curve.lastEpoch,
            message: "\(curve.key) was still falling about \(ValueFormat.percent(-rate)) per \(curve.series.granularity == .step ? "logged point" : "epoch") "
                + "over the last \(curve.window) \(curve.series.granularity == .step ? "points" : "epochs"): training stopped before it converged.",
            evidence: [curve.evidence(start, note: "start of the last window"), curve.evidence(curve.count - 1, note: "last epoch")],
            causes: [
                Cause("Training stopped too early (too few epochs).", because: "the loss was still declining at the last epoch"),
                Cause("The learning rate is on the low side, so progress is slow.",
                      because: "a steady decline of \(ValueFormat.percent(-rate)) per \(curve.series.granularity == .step ? "logged point" : "epoch") at the end"),
            ],
            fixes: [FixLibrary.trainLonger, FixLibrary.raiseLearningRate])]
    }
}
