import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// `diverging`: a loss that trends upward or grows geometrically.
public struct DivergingDetector: Detector {
    /// A training loss should never climb this far above its minimum for good.
    static let trainRise = 1.5
    /// A held-out loss may climb a little (overfitting); this far is divergence.
    static let heldOutRise = 3.0
    /// A GAN's generator loss rises and falls as the two players trade ground; doubled from its best
    /// and still climbing, the generator is losing the game.
    static let adversarialRise = 2.0
    /// The fewest moves before the minimum whose median measures a curve's noise.
    static let movesForNoise = 3
    /// The share of its progress a loss must give back to diverge.
    static let progressGivenBack = 0.25

    public static let description = RuleDescription(
        id: "diverging", name: "Loss diverges", defaultSeverity: .error,
        summary: "the loss climbs ≥ 1.5× (train) / 3× (held-out) above its minimum with an upward trend",
        isLive: true,
        whatItDetects: "A training or validation loss that climbs away from its minimum, often geometrically.",
        whyItMatters: "A diverging loss means the optimization is unstable; the run is wasted and usually ends in NaN.",
        howItDecides: "Needs \(RunCurves.minimumEpochs)+ epochs of positive loss. The minimum is the lowest 3-epoch rolling median; "
            + "the level at the end is the median of the last window (n/5 epochs, 3–10). Fires when the end level is ≥ 1.5x the "
            + "minimum for the training loss (≥ 3x for a held-out loss, where smaller rises are `overfitting`) and the "
            + "Theil–Sen slope of ln(loss) since the minimum is not negative (0 when the loss climbed and then saturated at its ceiling; "
            + "a negative slope is a recovery), the rise gives back at least a quarter of the progress made down to the minimum and "
            + "is at least twice the median move before it (when there are 3 or more such moves). The growth per epoch is reported as a factor. A GAN's generator loss needs a "
            + "doubling, or 1.5x once the discriminator's loss has collapsed; with binary cross-entropy players (no negative "
            + "values), a discriminator ending below a quarter of 2 ln 2 and a generator ending above −ln 0.01 is the game lost "
            + "whatever the rise (the fakes get under 1 % probability).",
        fix: "Lower the learning rate (10x), clip gradients, normalize inputs and targets.",
        triggeringExamples: [
            RuleExample(#"{"loss": [0.19, 0.25, 0.52, 0.24, 0.50, 0.54, 0.45, 0.77, 0.97, 4.67, 0.95, 3.58, 75.6, 265.0, 551.2, 884.0]}"#,
                        note: "Loss grows by orders of magnitude."),
            RuleExample(#"{"loss": [0.4186, 0.4582, 0.4586, 0.4437, 1.451, 2.937, 4.005, 8.714, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17, 10.17]}"#,
                        note: "SGD with momentum 0.99: the loss climbs 23x in four epochs, then saturates at its ceiling."),
            RuleExample(#"{"loss": [0.8195, 0.4506, 0.5663, 5.3027, 0.7691, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303, 0.9303]}"#,
                        note: "Adam at lr 0.5: best in epoch 2, a blow-up, then frozen 1.6x above the best (its one move before the minimum is the descent, not noise)."),
            RuleExample("epoch 1 | train_loss 17216.0 | val_loss 28271.4\nepoch 2 | train_loss 271232.6 | val_loss 594454.8\nepoch 3 | train_loss 2192557.4 | val_loss 15634616.0\nepoch 4 | train_loss 73804149.4 | val_loss 305628064.0\nepoch 5 | train_loss 4141452190.7 | val_loss 14020302848.0\nepoch 6 | train_loss 53249478860.8 | val_loss 267972788224.0\n",
                        note: "PyTorch console: geometric growth from the first epoch."),
            RuleExample("[Epoch 0/10] [Batch 49/50] [D loss: 0.13] [G loss: 3.12]\n[Epoch 1/10] [Batch 49/50] [D loss: 0.31] [G loss: 7.64]\n[Epoch 2/10] [Batch 49/50] [D loss: 0.26] [G loss: 8.98]\n[Epoch 3/10] [Batch 49/50] [D loss: 0.17] [G loss: 7.52]\n[Epoch 4/10] [Batch 49/50] [D loss: 0.25] [G loss: 6.86]\n[Epoch 5/10] [Batch 49/50] [D loss: 0.28] [G loss: 6.12]\n[Epoch 6/10] [Batch 49/50] [D loss: 0.21] [G loss: 6.64]\n[Epoch 7/10] [Batch 49/50] [D loss: 0.14] [G loss: 7.88]\n[Epoch 8/10] [Batch 49/50] [D loss: 0.17] [G loss: 8.08]\n[Epoch 9/10] [Batch 49/50] [D loss: 0.11] [G loss: 10.47]\n",
                        note: "The discriminator wins (PyTorch-GAN console): its loss far below 2 ln 2, the generator's above −ln 0.01."),
            RuleExample(#"{"loss": [3.6363, 3.1429, 2.7672, 2.4339, 2.3704, 2.3672, 2.3618, 2.3255, 2.4095, 13.3563, 3.5369, 3.5039, 3.8816], "loss_bbox": [0.0809, 0.0484, 0.0217, 0.0059, 0.0043, 0.004, 0.0065, 0.0065, 0.016, 0.0923, 0.0727, 0.0648, 0.0911]}"#,
                        note: "A detector's box term (mmdetection's `loss_bbox`) climbs 17x from its minimum after a blow-up."),
        ],
        nonTriggeringExamples: [
            RuleExample(#"{"loss": [1.95, 0.94, 0.30, 0.21, 0.10, 0.08, 0.05, 0.03], "val_loss": [1.26, 0.52, 0.32, 0.28, 0.29, 0.31, 0.33, 0.35]}"#,
                        note: "Validation loss rises mildly while training loss falls: overfitting, not divergence."),
            RuleExample("[Epoch 0/10] [Batch 49/50] [D loss: 1.34] [G loss: 0.74]\n[Epoch 1/10] [Batch 49/50] [D loss: 1.21] [G loss: 0.8]\n[Epoch 2/10] [Batch 49/50] [D loss: 1.1] [G loss: 0.91]\n[Epoch 3/10] [Batch 49/50] [D loss: 1.02] [G loss: 1.02]\n[Epoch 4/10] [Batch 49/50] [D loss: 0.97] [G loss: 1.1]\n[Epoch 5/10] [Batch 49/50] [D loss: 0.93] [G loss: 1.18]\n[Epoch 6/10] [Batch 49/50] [D loss: 0.9] [G loss: 1.25]\n[Epoch 7/10] [Batch 49/50] [D loss: 0.88] [G loss: 1.3]\n[Epoch 8/10] [Batch 49/50] [D loss: 0.89] [G loss: 1.33]\n[Epoch 9/10] [Batch 49/50] [D loss: 0.88] [G loss: 1.36]\n",
                        note: "A GAN in play: the generator's loss drifts up as the discriminator learns, both near their equilibrium."),
        ])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        guard curves.isJudgeable else { return [] }
        let trainFalling = curves.trainLoss.flatMap { SeriesStatistics.relativeChangeOverRun($0.values, window: $0.window) }.map { $0 < 0 }
        let rejectedGenerator = curves.task.kind == .gan ? Self.generatorRejectedOutright(curves) : nil
        let discriminatorWins = curves.task.kind == .gan && (curves.allLosses.contains(where: Self.hasCollapsed) || rejectedGenerator != nil)
        return curves.allLosses.compactMap { curve -> Finding? in
            // A GAN prints its players' losses per iteration: single samples, smoothed over a window.
            let adversarial = curves.task.kind == .gan && TaskInference.isAdversarialLoss(curve.series.name.base)
            // A slope of exactly 0 is a loss that climbed and then saturated (dead units at the loss's ceiling): still diverged.
            // A generator the discriminator rejects outright has lost by its level, however it got there.
            let rejected = curve.key == rejectedGenerator?.key
            guard let trend = LossTrend(curve, smoothing: adversarial ? curve.window : 3),
                  rejected || trend.epochsSinceMinimum(curve) >= 2,
                  rejected || trend.riseFactor >= threshold(curve, curves: curves, discriminatorWins: discriminatorWins),
                  rejected || givesBackProgress(curve, trend: trend),
                  let slope = trend.logSlopeSinceMinimum(curve), slope >= 0 else { return nil }
            let heldOutOnly = curve.series.split != .train && trainFalling == true
            return finding(curve, trend: trend, slope: slope, heldOutOnly: heldOutOnly, adversarial: adversarial)
        }
    }

    /// How far above its minimum a loss may end. A GAN's generator loss rises whenever the
    /// discriminator gains ground and comes back when it loses it: a doubling, or any rise while the
    /// discriminator's loss has collapsed to 0 (it rejects every fake, so the generator gets no
    /// gradient), is the game lost.
    private func threshold(_ curve: MetricCurve, curves: RunCurves, discriminatorWins: Bool) -> Double {
        if curves.task.kind == .gan && TaskInference.isAdversarialLoss(curve.series.name.base) {
            return discriminatorWins ? Self.trainRise : Self.adversarialRise
        }
        // One component of a summed loss (a detector's box or cls loss) can rise while the sum the
        // optimizer minimizes falls: it trades one term for another. Only a rise of the held-out
        // size is the component diverging.
        if curves.isComponent(curve) { return Self.heldOutRise }
        return curve.series.split == .train ? Self.trainRise : Self.heldOutRise
    }

    /// A diverging loss climbs away from what training achieved: it gives back at least a quarter of
    /// the way from its early level down to its minimum (or rises from the start). A loss that fell
    /// from 2 to 0.02 and wobbles at 0.05 is noisy near convergence, not diverging.
    /// The rise must also stand out of the noise the curve had before it turned (twice its median
    /// move up to the minimum, as for overfitting): a loss printed for single batches jumps by more
    /// than it "diverges", while a geometric climb's own steps are the divergence, not noise.
    private func givesBackProgress(_ curve: MetricCurve, trend: LossTrend) -> Bool {
        let rise = trend.tailLevel - trend.minimumLevel
        // Fewer than three moves before the minimum are the descent itself, not its noise: a loss
        // at its best in epoch 2 has only its first drop to measure noise by.
        let before = Array(curve.values.prefix(min(curve.count, trend.minimumIndex + 1)))
        let moves = SeriesStatistics.differences(before).map(abs)
        let noise = moves.count >= Self.movesForNoise ? SeriesStatistics.median(moves) ?? 0 : 0
        guard rise >= OverfittingDetector.noiseMultiple * noise else { return false }
        let progress = curve.headMedian - trend.minimumLevel
        guard progress > 0 else { return true }
        return rise >= Self.progressGivenBack * progress
    }

    /// The generator's loss when both players' losses are binary cross-entropies (never negative, as
    /// a WGAN's critic is) and the game is lost: the discriminator's loss ends below a quarter of its
    /// 2 ln 2 equilibrium while the generator's, −log D(G(z)), ends above −ln 0.01, so the fakes get
    /// under 1 % probability and the generator's gradient vanishes. Its level says so, however far
    /// it rose: a generator that started there never had a game to lose.
    static func generatorRejectedOutright(_ curves: RunCurves) -> MetricCurve? {
        let players = curves.allLosses.filter { $0.series.split == .train && $0.series.granularity == curves.granularity }
        guard players.count == 2, players.allSatisfy({ $0.count >= RunCurves.minimumEpochs && $0.values.allSatisfy { $0 >= 0 } }),
              let generator = players.first(where: { !Set(MetricName.words(of: $0.series.name.base)).isDisjoint(with: generatorWords) }),
              let discriminator = players.first(where: { $0.key != generator.key }) else { return nil }
        guard discriminator.tailMedian <= 0.25 * 2 * log(2.0), generator.tailMedian >= -log(0.01) else { return nil }
        return generator
    }

    private static let generatorWords: Set<String> = ["g", "gen", "generator", "errg", "g_a", "g_b", "g_gan"]

    /// A discriminator's loss that ended below 5 % of where it started: it separates real from fake perfectly.
    static func hasCollapsed(_ curve: MetricCurve) -> Bool {
        let words = Set(MetricName.words(of: curve.series.name.base))
        guard !words.isDisjoint(with: ["d", "dis", "disc", "discriminator", "errd", "critic"]) || curve.series.name.base.hasPrefix("d_"),
              curve.count >= RunCurves.minimumEpochs, curve.headMedian > 0 else { return false }
        return curve.tailMedian <= 0.05 * curve.headMedian
    }

    private func finding(_ curve: MetricCurve, trend: LossTrend, slope: Double, heldOutOnly: Bool, adversarial: Bool) -> Finding {
        let perEpoch = exp(slope)
        let start = trend.minimumIndex
        let unit = curve.series.granularity == .step ? "logged step" : "epoch"
        let risingFromStart = start <= 1
        let causes: [Cause]
        let fixes: [Fix]
        if adversarial {
            causes = [
                Cause("The discriminator overpowers the generator: it rejects every fake, so the generator's gradients vanish and its loss climbs.",
                      because: "\(curve.key) rises \(ValueFormat.number(trend.riseFactor))x from \(curve.place(start)) while training goes on"),
                Cause("The two players learn at mismatched speeds (learning rates, update counts or capacity).",
                      notInLog: "the usual remedy is to slow the discriminator down"),
            ]
            fixes = [FixLibrary.balanceAdversaries]
        } else if heldOutOnly {
            causes = [
                Cause("The model grows overconfident on held-out data it gets wrong (severe overfitting), or the held-out data differs from training.",
                      because: "\(curve.key) rises \(ValueFormat.number(trend.riseFactor))x while the training loss keeps falling"),
                Cause("Evaluation differs from training: model.eval()/training=False missing or wrong, batch-norm statistics, or different preprocessing for the held-out split.",
                      because: "only the held-out loss explodes"),
                Cause("The learning rate is too high for late training.", notInLog: "instability often shows on held-out data first"),
            ]
            fixes = [FixLibrary.earlyStopping, FixLibrary.regularize, FixLibrary.lowerLearningRate]
        } else {
            causes = [
                Cause("The learning rate is too high: each update overshoots and the error compounds.",
                      because: "\(curve.key) grows about \(ValueFormat.number(perEpoch))x per \(unit) since \(curve.place(start)): geometric growth is the signature of overshooting"),
                risingFromStart
                    ? Cause("The loss is maximized instead of minimized (a sign error in a custom loss or optimizer).",
                            because: "\(curve.key) rises from its very first values, as a sign error makes it")
                    : Cause("The loss is maximized instead of minimized (a sign error in a custom loss or optimizer).",
                            notInLog: "less likely here: \(curve.key) fell before it rose"),
                Cause("No gradient clipping in a model prone to exploding gradients (RNNs, deep nets without normalization).",
                      because: "the loss keeps growing instead of recovering"),
                Cause("Inputs or regression targets are unnormalized, so gradients are huge.",
                      notInLog: "large-scale data make the same learning rate far too large"),
            ]
            fixes = [FixLibrary.lowerLearningRate, FixLibrary.clipGradients, FixLibrary.normalizeInputs]
        }
        return Finding(
            rule: Self.description.id, severity: .error, confidence: min(1, 0.6 + 0.1 * log2(trend.riseFactor)),
            metric: curve.key, firstEpoch: curve.epoch(start), lastEpoch: curve.lastEpoch,
            message: "\(curve.key) diverges: from \(ValueFormat.number(trend.minimumLevel)) around \(curve.place(start)) "
                + "to \(ValueFormat.number(trend.tailLevel)) at the end (\(ValueFormat.number(trend.riseFactor))x"
                + (slope > 0 ? ", about \(ValueFormat.number(perEpoch))x per \(unit))." : ") and stays there: the loss saturated."),
            evidence: [curve.evidence(start, note: "around the minimum"), curve.evidence(curve.indexOfMaximum, note: "maximum"),
                       curve.evidence(curve.count - 1, note: curve.series.granularity == .step ? "last value" : "last epoch")],
            causes: causes, fixes: fixes)
    }
}
