import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Infers the number of classes K of a classifier that learned nothing, from its cross-entropy
/// (≈ ln K: a model with no information scores at least ln K on balanced labels) and/or its
/// accuracy (≈ 1/K).
public struct ClassCountEstimate: Equatable, Sendable {
    public enum Source: String, Sendable { case loss, accuracy, both }
    public var classes: Int
    public var source: Source
    /// How K was inferred, in words (`loss 2.305 ≈ ln 10 = 2.303 and accuracy 0.086 ≈ 1/10`).
    public var explanation: String
}

public enum ClassCountInference {
    /// A loss within this band of ln K is "at" ln K (a chance model's loss sits at or somewhat above ln K).
    static let lossBand = 0.92...1.2
    /// Accuracy skill over chance, `(acc − 1/K) / (1 − 1/K)`, within this band is "at" 1/K
    /// (below chance is allowed further: noise and memorized random labels push it down).
    static let skillBand = -0.15...0.06
    static let maximumClasses = 1000
    /// Accuracy alone is too coarse to tell many classes apart.
    static let maximumClassesFromAccuracy = 20

    public static func lossFits(_ loss: Double, classes: Int) -> Bool {
        classes >= 2 && lossBand.contains(loss / log(Double(classes)))
    }

    public static func accuracyFits(_ accuracy: Double, classes: Int) -> Bool {
        guard classes >= 2 else { return false }
        let chance = 1 / Double(classes)
        return skillBand.contains((accuracy - chance) / (1 - chance))
    }

    /// K when the loss and/or accuracy sit at chance level for some K; nil when they do not.
    public static func estimate(loss: Double?, accuracy: Double?) -> ClassCountEstimate? {
        // A loss of 0 (or below), or too large for any class count, contradicts chance level outright.
        if let loss, !(loss > 0 && loss <= lossBand.upperBound * log(Double(maximumClasses))) { return nil }
        let accuracy = accuracy.flatMap { $0.isFinite && $0 > 0 && $0 < 1 ? $0 : nil }
        switch (loss, accuracy) {
        case let (loss?, accuracy?):
            let candidates = (2...maximumClasses).filter { lossFits(loss, classes: $0) && accuracyFits(accuracy, classes: $0) }
            guard let best = candidates.min(by: { score(loss, accuracy, $0) < score(loss, accuracy, $1) }) else { return nil }
            return ClassCountEstimate(classes: best, source: .both,
                                      explanation: "\(lossText(loss, best)) and \(accuracyText(accuracy, best))")
        case let (loss?, nil):
            let classes = max(2, Int(exp(loss).rounded()))
            guard classes <= maximumClasses, lossFits(loss, classes: classes) else { return nil }
            return ClassCountEstimate(classes: classes, source: .loss, explanation: lossText(loss, classes))
        case let (nil, accuracy?):
            let classes = Int((1 / accuracy).rounded())
            guard classes <= maximumClassesFromAccuracy, accuracyFits(accuracy, classes: classes) else { return nil }
            return ClassCountEstimate(classes: classes, source: .accuracy, explanation: accuracyText(accuracy, classes))
        case (nil, nil):
            return nil
        }
    }

    /// Lower is a better fit. The loss decides: it averages probabilities over every sample, while a
    /// stuck model's accuracy is the share of whichever class it predicts, which need not be 1/K; the
    /// accuracy only breaks near-ties. The loss counts one-sided: above ln K is expected of a model at
    /// chance, below ln K is not, so it costs three times as much.
    @_spi(Layers) public static func score(_ loss: Double, _ accuracy: Double, _ classes: Int) -> Double {
        let ratio = loss / log(Double(classes))
        let lossError = ratio >= 1 ? ratio - 1 : 3 * (1 - ratio)
        return lossError + 0.25 * abs(log(accuracy * Double(classes)))
    }

    static func lossText(_ loss: Double, _ classes: Int) -> String {
        "loss \(ValueFormat.number(loss)) ≈ ln \(classes) = \(ValueFormat.number(log(Double(classes))))"
    }

    static func accuracyText(_ accuracy: Double, _ classes: Int) -> String {
        "accuracy \(ValueFormat.number(accuracy)) ≈ 1/\(classes) = \(ValueFormat.number(1 / Double(classes)))"
    }
}
