import Foundation

/// Hugging Face `trainer_state.json`: the `log_history` list of logged dicts. Train entries carry
/// `loss`, `grad_norm`, `learning_rate`; evaluation entries `eval_*`; the closing summary entry
/// (`train_runtime`, `train_loss`) describes the whole run and is left out.
///
/// Values are per logged step (global `step`). The `epoch` field is fractional progress; when it
/// goes back while `step` keeps growing (resumed or streaming training) it is not a new run: epochs
/// keep counting on from where they were.
public struct HuggingFaceStateParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.huggingFaceState] }

    public func confidence(for input: LogInput) -> Double {
        let head = input.prefix(16384)
        guard head.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") else { return 0 }
        if head.contains("\"log_history\"") { return 0.95 }
        // Keys are written sorted, so `log_history` may come late; the file name is a weak hint.
        return input.fileName == "trainer_state.json" ? 0.6 : 0
    }

    /// Keys of the summary entry the Trainer appends after training.
    static let summaryKeys: Set<String> = ["train_runtime", "total_flos", "train_samples_per_second"]

    public func parse(_ input: LogInput) throws -> [Run] {
        let document = try LenientJSON.document(of: input, as: .huggingFaceState)
        guard let root = document.root as? [String: Any], let history = root["log_history"] as? [[String: Any]]
        else { return [] }
        var assembler = RunAssembler(source: input.source, format: .huggingFaceState)
        var epochs = MonotonicEpochs()
        for (index, entry) in history.enumerated() where Self.summaryKeys.isDisjoint(with: entry.keys) {
            var record = MetricRecord(line: index + 1)
            record.perStep = true
            if let step = entry["step"].flatMap(LenientJSON.number).flatMap(CSVColumns.position) {
                record.step = Int(step)
                record.stepIsGlobal = true
            }
            record.epoch = entry["epoch"].flatMap(LenientJSON.number).flatMap(CSVColumns.position).map { epochs.epoch(for: $0) }
            record.values = entry.keys.sorted().compactMap { key in
                guard key != "epoch", key != "step", KeyValueScanner.isMetricKey(key),
                    let value = entry[key].flatMap(LenientJSON.number)
                else { return nil }
                return (MetricName(raw: key), value)
            }
            if !record.values.isEmpty { assembler.add(record) }
        }
        if let warning = document.outOfRangeEvent { assembler.addEvent(warning) }
        return assembler.finish()
    }
}

/// Turns the Trainer's fractional epoch progress into values RunAssembler reads as 1-based epochs:
/// `0.0` (the first log rounded down) is epoch 1, and a counter that restarts keeps counting on.
struct MonotonicEpochs {
    private var offset = 0.0
    private var previous = 0.0

    mutating func epoch(for progress: Double) -> Double {
        if progress < previous { offset += previous.rounded(.up) }
        previous = progress
        // Whole numbers mean "end of epoch N"; 0 is the start of the first epoch (after a restart: the next).
        return progress == 0 ? offset + 1 : progress + offset
    }
}
