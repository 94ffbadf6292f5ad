import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Hugging Face `trainer_state.json`: the `log_history` list of logged dicts (or that list saved on
/// its own). Train entries carry
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
        // `trainer.state.log_history` saved on its own: a list of the same entries.
        if input.opensJSONList(within: 16384), input.prefix(16384, holds: "\"step\""), input.prefix(16384, holds: "\"epoch\""),
           input.prefix(16384, holds: "\"loss\"") || input.prefix(16384, holds: "\"eval_loss\"") {
            // Above a generic list of records: the Trainer's entries have meanings of their own (the summary entry).
            return 0.9
        }
        guard input.opensJSONObject(within: 16384) else { return 0 }
        if input.prefix(16384, holds: "\"log_history\"") { return 0.95 }
        // Keys are written sorted, so `log_history` may come late; the file name is a weak hint.
        return input.fileName == "trainer_state.json" ? 0.6 : 0
    }

    /// Keys of the summary entry the Trainer appends after training.
    static let summaryKeys: Set<String> = ["train_runtime", "total_flos", "train_samples_per_second"]

    /// Streamed (`JSONStream`): a per-step state file holds one entry per logged step, and only
    /// the assembled series are kept.
    public func parse(_ input: LogInput) throws -> [Run] {
        let stream = JSONStream(try input.content.makeReader())
        do {
            return try runs(in: stream, source: input.source, limits: input.runLimits)
        } catch let error as JSONStream.SyntaxError {
            throw LossLensError.invalidJSON(source: input.source, format: .huggingFaceState, reason: error.reason)
        }
    }

    private func runs(in stream: JSONStream, source: String, limits: RunLimits) throws -> [Run] {
        var assembler: RunAssembler?
        if try stream.peek() == UInt8(ascii: "{") {
            try stream.forEachMember { key in
                guard key == "log_history", try stream.peek() == UInt8(ascii: "[") else {
                    // A later `log_history` replaces an earlier one, as in a dictionary.
                    if key == "log_history" { assembler = nil }
                    return try stream.skipValue()
                }
                assembler = try history(in: stream, source: source, limits: limits)
            }
        } else if try stream.peek() == UInt8(ascii: "[") {
            assembler = try history(in: stream, source: source, limits: limits)
        } else {
            try stream.skipValue()
        }
        try stream.finish()
        guard var assembler else { return [] }
        if let warning = LenientJSON.outOfRangeEvent(stream.outOfRangeNumbers) { assembler.addEvent(warning) }
        return assembler.finish()
    }

    /// The records of a `log_history` list; nil when an item is not an object (the list is not one).
    private func history(in stream: JSONStream, source: String, limits: RunLimits) throws -> RunAssembler? {
        var assembler = RunAssembler(source: source, format: .huggingFaceState, limits: limits)
        var epochs = MonotonicEpochs()
        var index = 0
        var allObjects = true
        var metricNames = MetricKeyNames()
        try stream.forEachItem {
            index += 1
            guard try stream.peek() == UInt8(ascii: "{") else {
                allObjects = false
                return try stream.skipValue()
            }
            var entry: [String: JSONStream.Scalar?] = [:]
            try stream.forEachMember { key in entry[key] = try stream.readScalar() }
            guard Self.summaryKeys.isDisjoint(with: entry.keys) else { return }
            func number(_ key: String) -> Double? { entry[key].flatMap { $0?.number } }
            var record = MetricRecord(line: index)
            record.perStep = true
            if let step = number("step").flatMap(CSVColumns.position) {
                record.step = Int(step)
                record.stepIsGlobal = true
            }
            record.epoch = number("epoch").flatMap(CSVColumns.position).map { epochs.epoch(for: $0) }
            record.values = entry.keys.sorted().compactMap { key in
                guard key != "epoch", key != "step", let name = metricNames.name(of: key), let value = number(key) else { return nil }
                return (name, value)
            }
            if !record.values.isEmpty { assembler.add(record) }
        }
        return allObjects ? assembler : nil
    }
}

/// The metric name of each key of the log entries, or nil for keys that are not metrics: every
/// entry repeats the same few keys, and telling a metric key is the costly part of reading one.
private struct MetricKeyNames {
    private var known: [String: MetricName?] = [:]
    private static let limit = 4096

    @_spi(Layers) public mutating func name(of key: String) -> MetricName? {
        if let name = known[key] { return name }
        let name = KeyValueScanner.isMetricKey(key) ? MetricName(raw: key) : nil
        if known.count < Self.limit { known[key] = name }
        return name
    }
}

/// Turns the Trainer's fractional epoch progress into values RunAssembler reads as 1-based epochs:
/// `0.0` (the first log rounded down) is epoch 1, and a counter that restarts keeps counting on.
@_spi(Layers) public struct MonotonicEpochs {
    private var offset = 0.0
    private var previous = 0.0

    @_spi(Layers) public mutating func epoch(for progress: Double) -> Double {
        if progress < previous { offset += previous.rounded(.up) }
        previous = progress
        // Whole numbers mean "end of epoch N"; 0 is the start of the first epoch (after a restart: the next).
        return progress == 0 ? offset + 1 : progress + offset
    }
}
