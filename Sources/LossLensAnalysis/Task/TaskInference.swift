import Foundation
@_spi(Layers) import LossLensModel

/// Infers what a run trains from the names of its series (and, failing those, from its values).
///
/// Names decide first because they are what the training code chose to print: `box_loss` is a
/// detector's, `loss_D` a GAN's, `rmse` a regression's, `perplexity` a language model's. The one
/// value-based inference is a loss that starts 5 % above ln 1000 without any accuracy: no classifier
/// that logs no accuracy starts there, a language model over a real vocabulary does.
public enum TaskInference {
    static let detectionFormats: Set<InputFormat> = [.detectron2Metrics, .mmdetectionLog, .ultralyticsCSV]

    public static func profile(of run: Run, statedClasses: Int? = nil) -> TaskProfile {
        let bases = Set(run.series.filter { !$0.points.isEmpty }.map(\.name.base))
        let named = { (words: Set<String>) in bases.filter { !Set(MetricName.words(of: $0)).isDisjoint(with: words) }.sorted() }
        let classes = statedClasses.map {
            ClassCount(classes: $0, source: .stated, confidence: 1, explanation: "stated with --classes \($0)")
        }

        let adversarial = bases.filter(isAdversarialLoss).sorted()
        if adversarial.count >= 2 {
            return TaskProfile(kind: .gan, because: "the run logs adversarial losses " + list(adversarial))
        }
        let segmentation = named(segmentationWords)
        let detection = named(detectionWords)
        if !segmentation.isEmpty {
            return TaskProfile(kind: .segmentation, because: "the run logs " + list(segmentation))
        }
        if !detection.isEmpty {
            return TaskProfile(kind: .detection, because: "the run logs " + list(detection))
        }
        let language = named(languageWords)
        if !language.isEmpty {
            return TaskProfile(kind: .languageModel, because: "the run logs " + list(language))
        }
        let regression = bases.filter { regressionNames.contains($0) || regressionNames.contains(MetricName.words(of: $0).last ?? "") }.sorted()
        let accuracies = bases.filter { MetricName.kind(ofBase: $0) == .accuracy }
        if !regression.isEmpty && accuracies.isEmpty {
            return TaskProfile(kind: .regression, because: "the run logs " + list(regression) + " and no accuracy")
        }
        let classification = named(classificationWords)
        if !accuracies.isEmpty || !classification.isEmpty || classes != nil {
            let evidence = accuracies.isEmpty ? list(classification) : "an accuracy"
            return TaskProfile(kind: .classification, because: classes == nil ? "the run logs \(evidence)" : "--classes was given",
                               classes: classes)
        }
        // detectron2, MMDetection and Ultralytics train detectors (and segmenters): a run of theirs
        // that logs only its total loss, and no accuracy (Ultralytics also trains classifiers), is
        // still one, whatever the level of that loss.
        if detectionFormats.contains(run.format) {
            return TaskProfile(kind: .detection, because: "the log is \(run.format.displayName), a detection framework's")
        }
        // An ImageNet classifier starts at ln 1000 plus a little initialization jitter (Caffe's
        // 6.9116 against 6.9078): only a start clearly above it speaks for a vocabulary.
        if let start = initialLoss(of: run), start > log(1000) * languageModelStartMargin {
            return TaskProfile(kind: .languageModel,
                               because: "the loss starts at \(ValueFormat.number(start)) > ln 1000 with no accuracy logged: a token "
                                + "cross-entropy over a large vocabulary")
        }
        return TaskProfile(kind: .other, because: "the metric names do not say; rules that need the task judge the loss as a classifier's")
    }

    /// A discriminator's, critic's or generator's loss (`loss_D`, `errG`, `D_A`, `critic_loss`).
    public static func isAdversarial(_ base: String) -> Bool {
        !Set(MetricName.words(of: base)).isDisjoint(with: adversarialWords) || adversarialNames.contains(base)
    }

    /// A loss of one of the two players: an adversarial word and a loss word (`loss_D`, `g_loss`,
    /// `critic_loss`), or one of the names GAN code prints without one (`D_A`, `errG`).
    static func isAdversarialLoss(_ base: String) -> Bool {
        let words = Set(MetricName.words(of: base))
        return adversarialNames.contains(base) || (!words.isDisjoint(with: adversarialWords) && !words.isDisjoint(with: ["loss", "err", "error"]))
    }

    /// How far above ln 1000 a first loss must start to be a vocabulary's, not 1000 classes'.
    static let languageModelStartMargin = 1.05
    /// Scores a task is judged by, higher being better and 0 total failure (BLEU, F1, mAP, IoU, Dice …).
    static let scoreNames: Set<String> = ["bleu", "f1", "map", "map50", "map50_95", "rouge", "rouge1", "rougel", "auc", "iou", "miou", "dice"]

    /// Whether a metric is one of those scores.
    static func isScore(_ name: MetricName) -> Bool { name.kind == .other && scoreNames.contains(name.base) }
    private static let adversarialWords = MetricName.adversarialWords
    /// CycleGAN's and pix2pix's printed names, which carry no `loss` word.
    private static let adversarialNames: Set<String> = ["d_a", "d_b", "g_a", "g_b", "g_gan", "g_l1", "d_real", "d_fake", "errd", "errg"]
    private static let detectionWords: Set<String> = [
        "box", "bbox", "obj", "dfl", "rpn", "giou", "map50", "map", "map50_95", "box_reg", "objectness", "class_error",
    ]
    private static let segmentationWords: Set<String> = ["seg", "mask", "dice", "iou", "miou", "jaccard"]
    private static let languageWords: Set<String> = [
        "perplexity", "ppl", "bpc", "token", "tokens", "lm", "mlm", "bleu", "rouge", "wer", "cer", "rouge1", "rouge2", "rougel",
    ]
    private static let regressionNames: Set<String> = [
        "mse", "mae", "rmse", "msle", "mape", "smape", "huber", "l1", "l2", "r2", "mean_squared_error", "mean_absolute_error",
        "root_mean_squared_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
    ]
    private static let classificationWords: Set<String> = [
        "logloss", "binary_logloss", "multi_logloss", "bce", "crossentropy", "cross_entropy", "nll", "auc", "f1",
    ]

    /// The first finite training loss, from the earliest series that has it (a step series names the
    /// untrained model's loss; an epoch mean is already lower).
    static func initialLoss(of run: Run) -> Double? {
        let losses = run.series.filter { $0.kind == .loss && $0.split == .train && $0.name.base == "loss" }
        let ordered = losses.filter { $0.granularity == .step } + losses.filter { $0.granularity == .epoch }
        return ordered.lazy.compactMap { $0.points.first(where: { $0.value.isFinite })?.value }.first
    }

    private static func list(_ names: [String]) -> String {
        names.prefix(4).map { "`\($0)`" }.joined(separator: ", ") + (names.count > 4 ? ", …" : "")
    }
}
