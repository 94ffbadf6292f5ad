@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// The words the generic reader knows: which words count (epochs, steps), which name a metric, which
/// name noise, and the labels of other languages, translated to the English words `MetricName` reads.
///
/// The language table (README, "The generic reader") covers the labels of training scripts seen in
/// public repositories: Chinese, Japanese, Korean, Russian, German, French, Spanish, Portuguese,
/// Italian and Turkish. Labels that run words together (`训练损失`, `Validierungsverlust`) are cut
/// into known words, longest first; a label that does not cut cleanly is kept as printed.
enum GenericVocabulary {
    enum Counter {
        case epoch, step
    }

    /// Words that count epochs or steps when a number follows them (`epoch 3`, `iter 425:`,
    /// `轮次: 3`). Plurals (`epochs: 100`) are the planned count of a config dump, not a counter.
    static let counters: [String: Counter] = {
        var words: [String: Counter] = [:]
        for word in ["epoch", "ep", "epoche", "époque", "epoque", "época", "epoca", "эпоха", "エポック", "에폭", "에포크", "轮次", "轮",
                     "輪", "回合", "epok", "devir"] {
            words[word] = .epoch
        }
        for word in ["step", "iter", "iteration", "batch", "round", "global_step", "globalstep", "步", "步数", "迭代", "批次",
                     "ステップ", "イテレーション", "스텝", "반복", "шаг", "итерация", "schritt", "étape", "etape", "itération",
                     "paso", "iteración", "passo", "iteração", "iterazione", "adım",
                     // llm.c's main log (`s:120 trl:3.41`, `s:128 tel:3.52`)
                     "s"] {
            words[word] = .step
        }
        return words
    }()

    /// Words that may come before a counter word without being a metric (`Train Epoch: 3`, `global step 2000`).
    static let counterFillers: Set<String> = ["train", "training", "val", "valid", "validation", "test", "eval", "global", "current", "cur"]

    /// Words a metric name may not hold: they make the words before a number prose
    /// (`the loss was 0.5`), so no name is read across them.
    static let stopWords: Set<String> = [
        "the", "a", "an", "is", "was", "were", "are", "be", "been", "of", "to", "in", "at", "on", "for", "with", "and", "or",
        "from", "by", "as", "after", "before", "than", "then", "that", "this", "it", "its", "we", "our", "i", "you", "has",
        "have", "had", "will", "would", "should", "can", "not", "no", "so", "into", "over", "under", "about", "got", "reached",
        "saved", "saving", "loading", "loaded", "using", "use", "set", "setting", "best", "new", "improved", "decreased",
    ]

    /// Words that make a name a metric. A record needs one: a line of sizes, counts or settings
    /// (`n: 6, num_cycles: 0`, `lr: 0.001`) is not a training record.
    static let metricWords: Set<String> = [
        "loss", "acc", "accuracy", "error", "err", "f1", "fb1", "precision", "prec", "recall", "auc", "roc", "iou", "miou", "dice",
        "ppl", "perplexity", "bleu", "rouge", "map", "ap", "mae", "mse", "rmse", "r2", "score", "reward", "return", "kl", "nll",
        "ce", "bce", "bpd", "bpc", "psnr", "ssim", "wer", "cer", "top1", "top5", "logloss", "ndcg", "mrr", "entropy", "fid",
        "lpips", "em", "jaccard", "mape", "hit", "objective", "cost", "likelihood", "elbo",
    ]

    /// Words of names that are never a metric to judge: time, throughput, model FLOPs utilization,
    /// memory, schedule and loader settings, sizes and counts, fp16 loss scaling.
    static let noiseWords: Set<String> = [
        "time", "times", "elapsed", "eta", "duration", "dt", "sec", "secs", "second", "seconds", "ms", "mins", "minutes",
        "hours", "speed", "throughput", "fps", "mfu", "flops", "tflops", "gflops", "mem", "memory", "vram", "allocated",
        "reserved", "cached", "max_mem", "tokens", "tok", "toks", "samples", "sample", "imgs", "images", "wps", "ups", "wpb",
        "bsz", "momentum", "wd", "decay", "warmup", "scale", "scaler", "n", "num", "count", "cycles", "cycle", "size", "len",
        "length", "seed", "rank", "gpu", "gpus", "workers", "worker", "wall", "clip", "remaining", "left", "patience", "bad",
        "epochs", "steps", "iters", "iterations", "batches", "rounds", "it", "s", "v", "idx", "index", "id",
    ]

    /// Labels of other languages, lower-cased, as the English words `MetricName` reads
    /// (an empty word is a filler that is dropped: `pérdida de validación`).
    static let translations: [String: String] = [
        // Chinese (simplified and traditional)
        "损失": "loss", "损失值": "loss", "損失": "loss", "误差": "error", "誤差": "error", "准确率": "acc", "准确度": "acc",
        "正确率": "acc", "准确": "acc", "精度": "acc", "準確率": "acc", "精确率": "precision", "精確率": "precision",
        "召回率": "recall", "学习率": "lr", "學習率": "lr", "困惑度": "ppl", "训练": "train", "訓練": "train", "验证": "val",
        "驗證": "val", "测试": "test", "測試": "test", "平均": "", "集": "", "总": "", "的": "", "值": "",
        // Japanese
        "正解率": "acc", "学習": "train", "検証": "val", "テスト": "test", "学習率": "lr", "訓練損失": "train loss",
        // Korean
        "손실": "loss", "정확도": "acc", "훈련": "train", "학습": "train", "검증": "val", "테스트": "test", "학습률": "lr",
        // Russian
        "потери": "loss", "потеря": "loss", "лосс": "loss", "ошибка": "error", "точность": "acc", "обучение": "train",
        "обучения": "train", "обучающая": "train", "трейн": "train", "валидация": "val", "валидации": "val",
        "валидационная": "val", "тест": "test", "тестовая": "test", "на": "",
        // German
        "verlust": "loss", "genauigkeit": "acc", "trainings": "train", "validierung": "val", "validierungs": "val",
        "lernrate": "lr", "fehler": "error",
        // French
        "perte": "loss", "précision": "acc", "exactitude": "acc", "entraînement": "train", "entrainement": "train",
        "apprentissage": "train", "de": "", "d": "", "du": "", "la": "", "le": "",
        // Spanish
        "pérdida": "loss", "perdida": "loss", "precisión": "acc", "exactitud": "acc",
        "entrenamiento": "train", "validación": "val", "validacion": "val", "prueba": "test", "del": "",
        // Portuguese
        "perda": "loss", "acurácia": "acc", "acuracia": "acc", "precisão": "acc", "treino": "train", "treinamento": "train",
        "validação": "val", "validacao": "val", "teste": "test", "da": "", "do": "",
        // Italian
        "perdita": "loss", "accuratezza": "acc", "addestramento": "train", "validazione": "val",
        // Turkish
        "kayıp": "loss", "doğruluk": "acc", "eğitim": "train", "doğrulama": "val",
        // llm.c's main log: training and validation loss (`s:120 trl:3.41`, `s:128 tel:3.52`)
        "trl": "train loss", "tel": "val loss",
        // English words, so that run-together labels (`trainloss`) and mixed ones (`val准确率`) cut cleanly
        "train": "train", "val": "val", "valid": "val", "test": "test", "loss": "loss", "acc": "acc", "accuracy": "acc",
        "validation": "val", "training": "train",
    ]

    /// Words of the table that are English: kept as they are, they need no translating.
    private static let englishWords: Set<String> = ["train", "val", "valid", "test", "loss", "acc", "accuracy", "validation", "training"]
    /// The longest label of the table, in characters, and the labels a word may be cut into (fillers
    /// only match whole words: `de` inside `detest` is no filler).
    private static let longestTranslation = translations.keys.map(\.count).max() ?? 1

    /// The name `MetricName` should read for a printed label: the label itself when no word needs
    /// translating, else its words translated with the split word first (`验证损失` → `val_loss`,
    /// `Validierungsverlust` → `val_loss`). A word that does not cut into known words is kept.
    static func englishName(_ label: String) -> String {
        var changed = false
        var split: [String] = []
        var rest: [String] = []
        for word in MetricName.words(of: label) {
            var pieces = [word]
            if let whole = translations[word], !englishWords.contains(word) {
                pieces = [whole]
                // A filler alone changes nothing: `Loss_D`'s `d` is a discriminator, not French.
                changed = changed || !whole.isEmpty
            } else if let cut = cut(word), cut.count > 1 || word.utf8.contains(where: { $0 >= 0x80 }),
                word.utf8.contains(where: { $0 >= 0x80 }) || cut.contains(where: { !englishWords.contains($0.word) })
            {
                pieces = cut.map(\.english)
                changed = true
            }
            for part in pieces.flatMap({ $0.split(separator: " ").map(String.init) }) {
                if ["train", "val", "test"].contains(part) { split.append(part) } else { rest.append(part) }
            }
        }
        guard changed else { return label }
        return (split.prefix(1) + rest).joined(separator: "_")
    }

    /// A word cut into labels of the table, longest first; nil when some part is not in it.
    static func cut(_ word: String) -> [(word: String, english: String)]? {
        let characters = Array(word)
        var pieces: [(word: String, english: String)] = []
        var start = 0
        while start < characters.count {
            var length = min(longestTranslation, characters.count - start)
            while length > 0 {
                let piece = String(characters[start..<start + length])
                if let english = translations[piece], !english.isEmpty || piece.count > 1 && piece.utf8.contains(where: { $0 >= 0x80 }) {
                    pieces.append((piece, english))
                    break
                }
                length -= 1
            }
            guard length > 0 else { return nil }
            start += length
        }
        return pieces
    }

    /// The counter a printed word names (`Epoch`, `轮次`, `Итерация`), nil for other words.
    static func counter(_ word: String) -> Counter? {
        let lower = word.lowercased()
        if let counter = counters[lower] { return counter }
        // `train_epoch`, `global_step`, `total_step`: the last word counts. (`total` only in one
        // word: `Total steps: 1000` is the plan, not a position.)
        let words = MetricName.words(of: word)
        guard words.count > 1, let last = words.last, let counter = counters[last],
            words.dropLast().allSatisfy({ counterFillers.contains($0) || $0 == "total" })
        else { return nil }
        return counter
    }

    /// Whether the words of a name make it a metric worth a record.
    static func isMetricLike(_ name: MetricName) -> Bool {
        if name.kind == .loss || name.kind == .accuracy { return true }
        return MetricName.words(of: name.base).contains { word in
            metricWords.contains(word) || word.hasSuffix("loss") || metricWords.contains { metric in
                // `map50`, `ap75`, `acc1`: a metric word with a number after it.
                word.hasPrefix(metric) && word.count <= metric.count + 4 && word.dropFirst(metric.count).allSatisfy(\.isNumber)
            }
        }
    }

    /// Whether a name is noise: time, throughput, memory, counts and settings (`time`, `mfu`,
    /// `num_cycles`, `loss_scale`, `lr_warmup`).
    static func isNoise(_ name: String) -> Bool {
        let words = MetricName.words(of: name)
        // `data: 0.23` alone is the data-loading time of torchvision's logger; `loss_scale` is fp16's setting.
        if words.contains(where: noiseWords.contains) || words == ["data"] { return true }
        return !KeyValueScanner.isMetricKey(name)
    }
}
