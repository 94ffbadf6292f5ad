@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// Causes of curves that do not move (flat, chance level, majority class, zero loss), ranked by
/// the shape of this run's curves.
@_spi(Layers) public enum StagnationKnowledge {
    /// What the shape of a stuck loss says about why it is stuck.
    @_spi(Layers) public struct Shape {
        /// Spread of the stuck stretch relative to its level.
        var relativeSpread: Double
        /// Fraction of epoch-to-epoch moves in the direction of the overall trend (1 = perfectly monotone).
        var monotonicFraction: Double
        /// Fraction of epochs whose value repeats the previous one exactly.
        var repeatFraction: Double
        /// First value divided by the median of the rest (≥ 10 = an explosive first epoch).
        var firstEpochRatio: Double?
        /// An accuracy of the same run that does not move.
        var frozenAccuracy: Double?
    }

    static func flatLossCauses(_ shape: Shape, key: String) -> [Cause] {
        var ranked: [(Double, Cause)] = []
        if let ratio = shape.firstEpochRatio, ratio >= 10 {
            ranked.append((0.9, Cause(
                "Unnormalized (huge) inputs or a too-high learning rate saturated or killed the units in the first epoch; "
                    + "the network now outputs a constant.",
                because: "the first epoch's \(key) is \(ValueFormat.number(ratio))x the rest, then the curve stops moving")))
        }
        if shape.monotonicFraction >= 0.8 && shape.repeatFraction < 0.5 {
            ranked.append((0.8, Cause(
                "The learning rate is far too low: every update moves the loss, but by a negligible amount.",
                because: "\(key) moves steadily in one direction (\(ValueFormat.percent(shape.monotonicFraction)) of the epochs) "
                    + "but only \(ValueFormat.percent(shape.relativeSpread)) in total")))
        }
        if shape.repeatFraction >= 0.5 || shape.frozenAccuracy != nil {
            ranked.append((0.7, Cause(
                "The network outputs a constant: dead ReLUs, saturated sigmoids/tanh (vanishing gradients in a deep stack) "
                    + "or a frozen/detached model, so the gradients are (almost) zero.",
                because: shape.frozenAccuracy.map { "the accuracy is stuck at \(ValueFormat.number($0)) every epoch" }
                    ?? "\(key) repeats the same value in \(ValueFormat.percent(shape.repeatFraction)) of the epochs")))
        }
        ranked.append((0.5, Cause(
            "The labels carry no learnable signal for these inputs (shuffled separately, wrong column, random labels).",
            because: "a loss that cannot go below its starting level is also what unrelated labels produce")))
        let optimizer = "The optimizer is not updating the model (optimizer built on other parameters, missing optimizer.step(), or zero_grad after backward)."
        ranked.append((0.4, shape.relativeSpread == 0 || shape.repeatFraction >= 0.5
            ? Cause(optimizer, because: "\(key) does not respond to training at all, as in a loop that never applies its updates")
            : Cause(optimizer, notInLog: "a loop that never applies its updates leaves the loss where it started")))
        return ranked.sorted { $0.0 > $1.0 }.map(\.1)
    }

    static func chanceCauses(classes: Int, lossMovedFraction: Double?, trainBelowChance: Bool, firstEpochRatio: Double?) -> [Cause] {
        var causes: [Cause] = []
        if trainBelowChance {
            causes.append(Cause(
                "The labels are unrelated to the inputs (random or misaligned labels): the model memorizes the training set but predicts held-out data at chance.",
                because: "the training loss falls below ln \(classes) while the held-out metrics stay at chance level"))
        }
        if let moved = lossMovedFraction, abs(moved) < 0.02 {
            causes.append(Cause(
                "The learning rate is too low, or the network is dead (saturated/vanishing gradients, dead ReLUs): it never leaves its initial, uniform prediction.",
                because: "the loss changed only \(ValueFormat.percent(abs(moved))) over the run, starting and staying at ln \(classes)"))
        }
        causes.append(Cause(
            "The labels are unrelated to the inputs (features and labels shuffled separately, wrong label column, broken preprocessing).",
            because: "a model that learns nothing at all sits exactly at loss ln \(classes) / accuracy 1/\(classes)"))
        let deadUnits = "Inputs are unnormalized or the learning rate was too high early on, so units died and the output became uniform."
        if let ratio = firstEpochRatio, ratio >= 10 {
            causes.insert(Cause(deadUnits, because: "the first epoch's loss is \(ValueFormat.number(ratio))x the rest: it exploded, then sat at chance level"), at: 0)
        } else {
            causes.append(Cause(deadUnits, notInLog: "an exploded first epoch followed by chance level is the fingerprint of dead units"))
        }
        return causes
    }
}
