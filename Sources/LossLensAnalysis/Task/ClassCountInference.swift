import Foundation
@_spi(Layers) import LossLensModel

/// Infers the number of classes K of a classifier that learned nothing, from its cross-entropy
/// (≈ ln K: a model with no information scores at least ln K on balanced labels) and/or its
/// accuracy (≈ 1/K).
///
/// Noise lets several K fit (a 10-class run at chance prints accuracies that fit 1/9 and 1/11 as
/// well), so a count people actually train with (2, 3, 4, 5, 10, 100, 1000) wins over its neighbours
/// whenever it fits; the confidence says how much the values alone pin K down.
public enum ClassCountInference {
    /// A loss within this band of ln K is "at" ln K (a chance model's loss sits at or somewhat above ln K).
    static let lossBand = 0.92...1.2
    /// Accuracy skill over chance, `(acc − 1/K) / (1 − 1/K)`, within this band is "at" 1/K
    /// (below chance is allowed further: noise and memorized random labels push it down).
    static let skillBand = -0.15...0.06
    static let maximumClasses = 1000
    /// Accuracy alone is too coarse to tell many classes apart.
    static let maximumClassesFromAccuracy = 20
    /// A loss this many times ln K comes from confident predictions, not uniform ones: with an
    /// accuracy at 1/K they are confidently wrong (exploded logits), still no better than guessing.
    static let explodedFactor = 2.0
    /// Class counts of real datasets (binary, three-way, four options, five grades, digits, CIFAR-100, ImageNet).
    public static let commonCounts = [2, 3, 4, 5, 10, 100, 1000]

    public static func lossFits(_ loss: Double, classes: Int) -> Bool {
        classes >= 2 && lossBand.contains(loss / log(Double(classes)))
    }

    /// Skill over chance, `(acc − 1/K) / (1 − 1/K)`: 0 at chance, 1 when perfect.
    static func skill(_ accuracy: Double, classes: Int) -> Double {
        let chance = 1 / Double(classes)
        return (accuracy - chance) / (1 - chance)
    }

    /// Below this skill (and 1.5/K) an accuracy says nothing against a loss at ln K: a constant
    /// prediction scores its class's share, which imbalance puts above 1/K.
    static let lowSkill = 0.15

    /// `samples`: how many samples the accuracy was measured on, when known. An accuracy measured
    /// on few samples is at chance while it stays within two standard errors of 1/K: 29 right of
    /// 47 (0.617) is no evidence of skill on a binary task.
    public static func accuracyFits(_ accuracy: Double, classes: Int, samples: Int? = nil) -> Bool {
        guard classes >= 2 else { return false }
        let chance = 1 / Double(classes)
        let noise = samples.map { 2 * (chance * (1 - chance) / Double($0)).squareRoot() / (1 - chance) } ?? 0
        return (skillBand.lowerBound...max(skillBand.upperBound, noise)).contains((accuracy - chance) / (1 - chance))
    }

    /// How many samples an accuracy was measured on, when its values show it: every value is a
    /// multiple of 1/n (a held-out set evaluated whole), with at least three distinct values. The
    /// smallest such n; rounding of printed values can only make a larger n fit by accident, which
    /// narrows the noise band back to the usual one.
    public static func evaluatedSamples(_ values: [Double]) -> Int? {
        let distinct = Set(values.filter { $0 > 0 && $0 < 1 })
        guard distinct.count >= 3 else { return nil }
        return (2...2000).first { n in
            let count = Double(n)
            return distinct.allSatisfy { abs($0 * count - ($0 * count).rounded()) <= 5e-5 * count + 1e-9 }
        }
    }

    /// K when the loss and/or accuracy sit at chance level for some K (for `stated` only, when given);
    /// nil when they do not.
    /// `atMost` bounds K from other evidence of the run (an accuracy on another split).
    public static func estimate(
        loss: Double?, accuracy: Double?, stated: Int? = nil, atMost: Int? = nil, samples: Int? = nil
    ) -> ClassCount? {
        // A loss of 0 (or below) contradicts chance level outright.
        if let loss, !(loss > 0) { return nil }
        let accuracy = accuracy.flatMap { $0.isFinite && $0 > 0 && $0 < 1 ? $0 : nil }
        if let loss, loss > lossBand.upperBound * log(Double(maximumClasses)) {
            // Too large for any class count: confidently wrong predictions (exploded logits), at
            // chance only when an accuracy at 1/K says so.
            guard let accuracy, var count = estimate(loss: nil, accuracy: accuracy, stated: stated, samples: samples) else { return nil }
            count.explanation += "; the loss \(ValueFormat.number(loss)) is far above ln \(count.classes): confidently wrong predictions"
            return count
        }
        let limit = min(loss == nil ? maximumClassesFromAccuracy : maximumClasses, max(2, atMost ?? .max))
        let candidates = stated.map { [$0] } ?? Array(2...limit)
        let fitting = candidates.filter { classes in
            (loss.map { lossFits($0, classes: classes) } ?? true)
                && (accuracy.map { accuracyFits($0, classes: classes, samples: samples) } ?? true)
        }
        guard loss != nil || accuracy != nil else { return nil }
        if fitting.isEmpty, let loss, let accuracy, let byLoss = estimate(loss: loss, accuracy: nil, stated: stated, atMost: atMost),
           skill(accuracy, classes: byLoss.classes) <= lowSkill, accuracy <= 1.5 / Double(byLoss.classes) {
            // The loss sits at ln K and the accuracy is barely above 1/K: a model with near-uniform
            // outputs whose argmax lands on one class, so its accuracy is that class's share.
            var count = byLoss
            count.explanation += "; accuracy \(ValueFormat.number(accuracy)) is barely above 1/\(count.classes): the share of the class it predicts"
            return count
        }
        if fitting.isEmpty, let loss, let accuracy {
            // A loss far above ln K with an accuracy at 1/K: confidently wrong predictions (exploded
            // logits) that are no better than guessing. The accuracy alone names K then.
            guard let byAccuracy = estimate(loss: nil, accuracy: accuracy, stated: stated),
                  loss >= explodedFactor * log(Double(byAccuracy.classes)) else { return nil }
            var count = byAccuracy
            count.explanation += "; the loss \(ValueFormat.number(loss)) is far above ln \(count.classes): confidently wrong predictions"
            return count
        }
        guard !fitting.isEmpty else { return nil }
        let common = fitting.filter { commonCounts.contains($0) }
        let best = (common.isEmpty ? fitting : common).min { fit(loss, accuracy, $0) < fit(loss, accuracy, $1) }!
        let source: ClassCount.Source = stated != nil ? .stated : loss != nil && accuracy != nil ? .both : loss != nil ? .loss : .accuracy
        var explanation = [loss.map { lossText($0, best) }, accuracy.map { accuracyText($0, best) }].compactMap { $0 }.joined(separator: " and ")
        if let disagreement = disagreement(loss: loss, accuracy: accuracy) { explanation += "; \(disagreement)" }
        if let accuracy, let samples, !accuracyFits(accuracy, classes: best) {
            let chance = 1 / Double(best)
            let standardError = (chance * (1 - chance) / Double(samples)).squareRoot()
            explanation += "; measured on \(samples) held-out samples (every value a multiple of 1/\(samples)), the accuracy is within "
                + "two standard errors (±\(ValueFormat.number(2 * standardError))) of chance"
        }
        return ClassCount(classes: best, source: source, confidence: confidence(source, common: commonCounts.contains(best), choices: fitting.count),
                          explanation: explanation)
    }

    /// Both metrics agreeing on a common count is as sure as the values get; a count that only one
    /// metric supports, or that is one of many that fit, is less so.
    static func confidence(_ source: ClassCount.Source, common: Bool, choices: Int) -> Double {
        var value: Double
        switch source {
        case .stated: return 1
        case .both: value = 0.9
        case .loss: value = 0.75
        case .accuracy: value = 0.6
        }
        if !common { value -= 0.15 }
        if choices > 3 { value -= 0.1 }
        return value
    }

    /// When the loss alone and the accuracy alone would name different counts, says so: a stuck
    /// model's accuracy is the share of the class it predicts, which need not be 1/K.
    static func disagreement(loss: Double?, accuracy: Double?) -> String? {
        guard let loss, let accuracy, let byLoss = estimate(loss: loss, accuracy: nil)?.classes,
              let byAccuracy = estimate(loss: nil, accuracy: accuracy)?.classes, byLoss != byAccuracy else { return nil }
        return "taken alone, the loss suggests K = \(byLoss) and the accuracy K = \(byAccuracy)"
    }

    /// Lower is a better fit. The loss decides: it averages probabilities over every sample, while a
    /// stuck model's accuracy is the share of whichever class it predicts; the accuracy only breaks
    /// near-ties. The loss counts one-sided: above ln K is expected of a model at chance, below ln K
    /// is not, so it costs three times as much.
    static func fit(_ loss: Double?, _ accuracy: Double?, _ classes: Int) -> Double {
        var error = 0.0
        if let loss {
            let ratio = loss / log(Double(classes))
            error += ratio >= 1 ? ratio - 1 : 3 * (1 - ratio)
        }
        if let accuracy { error += (loss == nil ? 1 : 0.25) * abs(log(accuracy * Double(classes))) }
        return error
    }

    static func lossText(_ loss: Double, _ classes: Int) -> String {
        "loss \(ValueFormat.number(loss)) ≈ ln \(classes) = \(ValueFormat.number(log(Double(classes))))"
    }

    static func accuracyText(_ accuracy: Double, _ classes: Int) -> String {
        "accuracy \(ValueFormat.number(accuracy)) ≈ 1/\(classes) = \(ValueFormat.number(1 / Double(classes)))"
    }
}
