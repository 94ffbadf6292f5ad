import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// The evaluation logs of gradient boosting, one line per boosting round:
///
///     [12]	train-logloss:0.31	eval-logloss:0.35                       XGBoost (`evals`, `verbose_eval`)
///     [12]	validation_0-rmse:1.2	validation_1-rmse:1.4                XGBoost's scikit-learn API
///     [12]	train-auc:0.95+0.01	test-auc:0.93+0.02                     xgboost.cv (mean+std)
///     [12]	training's binary_logloss: 0.31	valid_1's binary_logloss: 0.35  LightGBM (`log_evaluation`)
///
/// Rounds are steps; a round that evaluates a held-out set is a period the report calls an epoch
/// (`StepPeriods`), so curves and overfitting are judged per round. The data set names the split:
/// `train`, `training`, `dtrain`, `learn` are training data, a name with `test` is the test set, any
/// other (`eval`, `valid_0`, `validation_1`, `cv_agg`) is held out. When a line evaluates several held-out
/// sets, the last is the validation curve (XGBoost stops early on the last); the others keep their
/// set's name (`logloss_validation_0`). The round after "best iteration is:" restates the best
/// round and is kept as an event, not as a round.
public struct BoostingLogParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.xgboostConsole, .lightgbmConsole] }

    public func confidence(for input: LogInput) -> Double {
        // Every input is asked: a log without a line that opens with `[` says no at once.
        let head = input.prefixData(LogInput.sniffBytes)
        guard head.first == UInt8(ascii: "[") || ByteNeedle("\n[").occurs(in: head) else { return 0 }
        var rounds = 0, lines = 0
        try? LineStream.screenLines(of: .memory(head)) { line in
            lines += 1
            if let state = line.lastSegment, line.bytes[state].first == UInt8(ascii: "["), Self.round(String(decoding: line.bytes[state], as: UTF8.self)) != nil { rounds += 1 }
            return rounds < 2 && lines < 3000
        }
        // Above the console dialects, which do not read these lines.
        return rounds >= 2 ? 0.55 : 0
    }

    /// One evaluation round: its number, and each data set's metrics in the order printed.
    struct Round {
        var number: Int
        var items: [(dataset: String, metric: String, value: Double)]
        var isLightGBM: Bool
    }

    static func round(_ text: String) -> Round? {
        var rest = Substring(text)
        // An older XGBoost prints a clock first: `[10:02:33] [0]	train-rmse:…`.
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]"), rest[rest.index(after: rest.startIndex)..<close].contains(":") {
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
        }
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
            let number = Int(rest[rest.index(after: rest.startIndex)..<close]), number >= 0
        else { return nil }
        // Tabs separate the items as printed; copies from notebooks and web pages have blanks instead.
        let words = rest[rest.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var items: [(dataset: String, metric: String, value: Double)] = []
        var isLightGBM = false
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.hasSuffix("'s"), index + 2 < words.count, words[index + 1].hasSuffix(":") {
                // LightGBM: `valid_1's binary_logloss: 0.35` (`0.65 + 0.01` in cv).
                guard let value = Self.value(words[index + 2]) else { return nil }
                items.append((String(word.dropLast(2)), String(words[index + 1].dropLast()), value))
                isLightGBM = true
                index += 3
                if index + 1 < words.count, words[index] == "+", Self.value(words[index + 1]) != nil { index += 2 }
            } else if let colon = word.lastIndex(of: ":"), let dash = word[..<colon].firstIndex(of: "-"),
                let value = Self.value(word[word.index(after: colon)...]) {
                // XGBoost: `eval-logloss:0.35` (`0.93+0.02` in cv).
                items.append((String(word[..<dash]), String(word[word.index(after: dash)..<colon]), value))
                index += 1
            } else {
                return nil
            }
        }
        guard !items.isEmpty else { return nil }
        return Round(number: number, items: items, isLightGBM: isLightGBM)
    }

    /// `0.35`, `0.93+0.02` or `0.65 + 0.01` (the mean of a cross-validation).
    private static func value(_ text: String) -> Double? { value(text[...]) }

    private static func value(_ text: Substring) -> Double? {
        // The `+` of a standard deviation, not of an exponent (`1.2e+02`).
        var end = text.endIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "+", index > text.startIndex, !"eE".contains(text[text.index(before: index)]) {
                end = index
                break
            }
            index = text.index(after: index)
        }
        let mean = text[..<end].trimmingCharacters(in: .whitespaces)
        return mean.isEmpty ? nil : NumberParsing.value(mean)
    }

    static func split(of dataset: String) -> Split {
        let lower = dataset.lowercased()
        if ["train", "training", "dtrain", "learn", "train_set", "trn"].contains(lower) { return .train }
        return lower.contains("test") ? .test : .validation
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        var format: InputFormat?
        var assembler: RunAssembler?
        var periods = StepPeriods()
        var summaryFollows = false
        try LineStream.screenLines(of: input.content) { line in
            guard let state = line.lastSegment else { return true }
            let text = String(decoding: line.bytes[state], as: UTF8.self)
            guard let round = Self.round(text) else {
                let lower = text.lowercased()
                if lower.contains("best iteration") {
                    summaryFollows = true
                    assembler?.addEvent(RunEvent(kind: .earlyStopping, text: text, line: line.number))
                }
                return true
            }
            if assembler == nil {
                format = round.isLightGBM ? .lightgbmConsole : .xgboostConsole
                assembler = RunAssembler(source: input.source, format: format!, limits: input.runLimits)
            }
            if summaryFollows {
                // The best round, printed again after early stopping.
                summaryFollows = false
                assembler?.addEvent(RunEvent(kind: .other, text: "best round: \(text)", line: line.number))
                return true
            }
            var record = MetricRecord(step: round.number, stepIsGlobal: true, values: Self.values(of: round), line: line.number)
            periods.place(&record)
            assembler?.add(record)
            return true
        }
        guard var assembler else { return [] }
        return periods.finish(&assembler)
    }

    /// The metric values of a round, named by split (see the type's comment).
    static func values(of round: Round) -> [(name: MetricName, value: Double)] {
        let heldOut = round.items.map(\.dataset).filter { split(of: $0) != .train }
        let canonical = heldOut.last
        var seen = Set<String>()
        return round.items.compactMap { dataset, metric, value in
            var name = MetricName(raw: metric)
            name.split = split(of: dataset)
            if name.split != .train, dataset != canonical { name.base += "_" + MetricName.words(of: dataset).joined(separator: "_") }
            guard seen.insert(name.canonical).inserted else { return nil }
            return (name, value)
        }
    }
}
