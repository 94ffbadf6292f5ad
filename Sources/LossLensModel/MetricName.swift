@_spi(Layers) import LossLensBytes
/// Which data a metric was computed on.
public enum Split: String, Codable, Sendable, CaseIterable, Comparable {
    case train, validation, test

    /// The prefix the canonical metric name carries for this split.
    public var namePrefix: String {
        switch self {
        case .train: return ""
        case .validation: return "val_"
        case .test: return "test_"
        }
    }

    public static func < (lhs: Split, rhs: Split) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Whether a series has one point per epoch or one per logged step.
public enum Granularity: String, Codable, Sendable {
    case epoch, step
}

/// What a metric measures, so detectors can ask for "the loss" or "the accuracy" of a split.
public enum MetricKind: String, Codable, Sendable {
    case loss, accuracy, learningRate, other
}

/// A metric name as it appears in a log, reduced to the canonical form losslens reports.
///
/// `acc`, `accuracy`, `Acc` and `train_acc` are one metric; `val_`, `valid_`, `validation_`, `eval_`
/// and `test_` prefixes (or `Val `/`Test ` words) select a split; Lightning's `_step`/`_epoch`
/// suffixes select the granularity.
public struct MetricName: Hashable, Sendable {
    /// Name without split prefix, e.g. `loss`, `acc`, `f1`.
    public var base: String
    public var split: Split
    /// Set when the name itself says it (Lightning suffixes); otherwise the parser decides.
    public var granularityHint: Granularity?

    public init(base: String, split: Split, granularityHint: Granularity? = nil) {
        self.base = base
        self.split = split
        self.granularityHint = granularityHint
    }

    /// `val_loss`, `acc`, `test_acc`.
    public var canonical: String { split.namePrefix + base }

    public var kind: MetricKind { MetricName.kind(ofBase: base) }

    @_spi(Layers) public static func kind(ofBase base: String) -> MetricKind {
        switch base {
        case "loss": return .loss
        case "acc": return .accuracy
        case "lr": return .learningRate
        default:
            // `binary_logloss`, `mlogloss`: the losses boosting libraries report.
            if base.hasSuffix("_loss") || base.hasSuffix("logloss") { return .loss }
            // mmdetection's and detectron2's terms of a summed loss (`loss_cls`, `loss_bbox`,
            // `loss_rpn_cls`); a mixed-precision loss scale or a loss weight is a setting, not a loss,
            // and a GAN's players (`Loss_D`, `Loss_G`) are judged as players, not as the run's loss.
            if base.hasPrefix("loss_"), !lossSettings.contains(base), Set(words(of: base)).isDisjoint(with: adversarialWords) {
                return .loss
            }
            // A language model's accuracy is per token (Hugging Face's SFT prints `mean_token_accuracy`).
            if base.hasSuffix("token_accuracy") || base.hasSuffix("token_acc") { return .accuracy }
            return .other
        }
    }

    /// The loss the optimizer minimizes when a log also prints its terms: `loss` (`total_loss` reads
    /// as that) or mmdetection's `loss_total`.
    public var isSumOfLosses: Bool { ["loss", "loss_total", "loss_sum", "loss_all"].contains(base) }

    /// A term of a summed loss named the mmdetection way (`loss_bbox`), not the sum (`loss_total`).
    public var isPrefixedLossTerm: Bool {
        base.hasPrefix("loss_") && kind == .loss && !isSumOfLosses
    }

    /// Words that name a GAN's players (`D`, `G`, `critic`) in its printed losses.
    public static let adversarialWords: Set<String> = [
        "g", "d", "gen", "dis", "disc", "generator", "discriminator", "critic", "adv", "adversarial", "errd", "errg",
    ]

    private static let lossSettings: Set<String> = ["loss_scale", "loss_scaler", "loss_weight", "loss_weights"]

    private static let splitPrefixes: [(String, Split)] = [
        ("validation", .validation), ("valid", .validation), ("val", .validation), ("eval", .validation),
        ("dev", .validation), ("test", .test), ("training", .train), ("train", .train),
    ]

    private static let baseAliases: [String: String] = [
        "accuracy": "acc", "acc": "acc", "categorical_accuracy": "acc", "sparse_categorical_accuracy": "acc",
        "binary_accuracy": "acc", "top1": "acc", "top_1_acc": "acc", "top1_acc": "acc",
        "loss": "loss", "avg_loss": "loss", "average_loss": "loss", "mean_loss": "loss", "epoch_loss": "loss",
        "total_loss": "loss", "lr": "lr", "learning_rate": "lr", "learningrate": "lr",
        // A translation score logged under a common misspelling is still BLEU, with BLEU's rules.
        "blue": "bleu", "blue_score": "bleu", "bleu_score": "bleu",
    ]

    /// Parses a raw name such as `Val Loss`, `val_accuracy`, `train_loss_step`, `eval_loss`, `Test set: Average loss`.
    public init(raw: String) {
        var words = MetricName.words(of: raw)
        var split = Split.train
        var hint: Granularity?
        if let last = words.last, words.count > 1 {
            if last == "step" { hint = .step; words.removeLast() } else if last == "epoch" { hint = .epoch; words.removeLast() }
        }
        // Hand-made histories name lists `train_loss_history`: the suffix says nothing about the metric.
        if words.last == "history", words.count > 1 { words.removeLast() }
        if let stated = MetricName.statedSplit(inWords: words) {
            split = stated
            words.removeFirst()
            // "Test set: Average loss", "Validation Phase Loss" → drop the filler word.
            if let next = words.first, MetricName.splitFillers.contains(next), words.count > 1 { words.removeFirst() }
        }
        // "Average Loss_G" is the generator loss: the averaging word says how, not what
        // ("mean_absolute_error" keeps its word: there it is part of the metric).
        if words.count > 2, MetricName.averagingWords.contains(words[0]), words[1] == "loss" { words.removeFirst() }
        let joined = words.joined(separator: "_")
        let base = MetricName.baseAliases[joined] ?? joined
        self.init(base: base.isEmpty ? "value" : base, split: split, granularityHint: hint)
    }

    private static let splitFillers: Set<String> = ["set", "phase", "data", "dataset"]
    private static let averagingWords: Set<String> = ["avg", "average", "mean"]

    /// The split a raw name states with a prefix word (`val_loss`, `Test Acc`), or nil when it states none.
    @_spi(Layers) public static func statedSplit(in raw: String) -> Split? {
        statedSplit(inWords: words(of: raw))
    }

    private static func statedSplit(inWords words: [String]) -> Split? {
        guard let first = words.first, words.count > 1 else { return nil }
        return splitPrefixes.first { $0.0 == first }?.1
    }

    /// Lower-cased words of a raw name: separators are space, `_`, `-`, `/`, `.`, `:`; camelCase is split.
    @_spi(Layers) public static func words(of raw: String) -> [String] {
        raw.utf8.allSatisfy({ $0 < 0x80 }) ? asciiWords(of: raw) : characterWords(of: raw)
    }

    /// `words(of:)` by characters and their Unicode properties.
    static func characterWords(of raw: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in raw {
            if character.isLetter || character.isNumber {
                if character.isUppercase && previousWasLower && !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(contentsOf: character.lowercased())
                previousWasLower = character.isLowercase || character.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `words(of:)` for ASCII names, on bytes: the Unicode properties of each character, looked up
    /// for every key of every log, were a tenth of reading a small log.
    static func asciiWords(of raw: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousWasLower = false
        for byte in raw.utf8 {
            let isUpper = byte &- UInt8(ascii: "A") < 26, isLower = byte &- UInt8(ascii: "a") < 26
            let isDigit = byte &- UInt8(ascii: "0") < 10
            if isUpper || isLower || isDigit {
                if isUpper && previousWasLower && !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
                current.append(isUpper ? byte + 32 : byte)
                previousWasLower = isLower || isDigit
            } else {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }
}
