@_spi(Layers) import LossLensModel

/// What a run trains, as its metric names and values tell: the rules that only mean something for
/// one kind of task (chance level, majority class, a zero loss) ask this first.
public struct TaskProfile: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Cross-entropy over K classes (K = 2 is binary).
        case classification
        /// Token cross-entropy: the uniform baseline is ln(vocabulary size), perplexity = exp(loss).
        case languageModel = "language-model"
        /// Squared or absolute errors (mse, mae, rmse, …): no chance level, no accuracy.
        case regression
        /// Several loss components (box, cls, dfl, obj, rpn, mask) and mAP, precision, recall.
        case detection
        /// Pixel losses and masks (dice, IoU, mask or seg losses).
        case segmentation
        /// A generator and a discriminator (or critic) that play against each other.
        case gan
        /// A loss whose task the log does not tell.
        case other
    }

    public var kind: Kind
    /// Why the kind was inferred, in words ("the run logs `box_loss` and `map50`").
    public var because: String
    /// The class count, for classification: stated (`--classes`) or inferred, with how sure.
    public var classes: ClassCount?

    public init(kind: Kind, because: String, classes: ClassCount? = nil) {
        self.kind = kind
        self.because = because
        self.classes = classes
    }

    /// Whether losses sit at ln K and accuracies at 1/K when the model learns nothing: what the
    /// chance-level and majority-class rules measure against.
    public var hasClassPrior: Bool { kind == .classification || kind == .other }

    /// Whether a loss of exactly 0 is a symptom: a cross-entropy cannot be 0 on real labels, while a
    /// critic, a detection component or a regression error can legitimately sit near it.
    public func zeroLossIsSymptom(_ series: MetricSeries) -> Bool {
        switch kind {
        case .classification, .languageModel, .other: return !TaskInference.isAdversarial(series.name.base)
        case .regression, .detection, .segmentation, .gan: return false
        }
    }

    /// Whether a loss that swings or holds still is a symptom: a GAN's two losses move against each
    /// other and hover around their equilibrium by design.
    public func judgesShape(of series: MetricSeries) -> Bool {
        !(kind == .gan || TaskInference.isAdversarial(series.name.base))
    }
}

/// How many classes a classifier has and how that is known.
public struct ClassCount: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// `--classes K`.
        case stated
        case loss, accuracy, both
    }

    public var classes: Int
    public var source: Source
    /// How sure the inference is, in [0, 1] (1 when stated).
    public var confidence: Double
    /// How K was found, in words (`loss 2.305 ≈ ln 10 = 2.303 and accuracy 0.108 ≈ 1/10`).
    public var explanation: String

    public init(classes: Int, source: Source, confidence: Double, explanation: String) {
        self.classes = classes
        self.source = source
        self.confidence = confidence
        self.explanation = explanation
    }
}
