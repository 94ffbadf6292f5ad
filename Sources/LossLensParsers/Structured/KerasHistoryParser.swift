import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// A dict of metric name to a list of per-epoch values: Keras `History.history` saved as JSON
/// (`json.dump(history.history, f)`, possibly nested under `"history"`) and the hand-made variants
/// PyTorch loops write (`train_loss_history`, percent accuracies, an `epochs` list, a `config` dict).
///
/// Scalars, nested dicts and lists of strings are metadata and left out, as are lists of strictly
/// increasing whole numbers (`epochs`, `phase_starts`): they index epochs, an `epoch`/`epochs` list
/// gives the epoch numbers. Two models in one dict (`reg_loss`, `cls_loss`, `cls_val_loss` — lists
/// of different lengths) become one run each. Python's NaN/Infinity tokens are read.
public struct KerasHistoryParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.kerasHistoryJSON] }

    public func confidence(for input: LogInput) -> Double {
        guard input.opensJSONObject(within: 512) else { return 0 }
        if input.prefix(512, holds: "\"log_history\"") || input.prefix(512, holds: "\"cells\"") { return 0 }
        return input.prefix(512, holds: "[") ? 0.8 : 0.3
    }

    /// Streamed (`JSONStream`): only the lists of numbers are kept, not the document.
    public func parse(_ input: LogInput) throws -> [Run] {
        let stream = JSONStream(try input.content.makeReader())
        let found: [String: [Double]]?
        do {
            found = try Self.numericLists(in: stream)
        } catch let error as JSONStream.SyntaxError {
            throw LossLensError.invalidJSON(source: input.source, format: .kerasHistoryJSON, reason: error.reason)
        }
        guard let found else { return [] }
        let lists = found.map { (key: $0.key, values: $0.value) }.sorted { $0.key < $1.key }
        let epochNumbers = lists.first { ["epoch", "epochs"].contains($0.key.lowercased()) && Self.isIndex($0.values) }?.values
        let metrics = lists.filter { KeyValueScanner.isMetricKey($0.key) && !Self.isIndex($0.values) }
        var assembler = RunAssembler(source: input.source, format: .kerasHistoryJSON, limits: input.runLimits)
        for (number, group) in Self.modelGroups(metrics).enumerated() {
            guard let length = group.lists.map(\.values.count).max() else { continue }
            for index in 0..<length {
                let values = group.lists.compactMap { name, numbers -> (name: MetricName, value: Double)? in
                    index < numbers.count ? (name, numbers[index]) : nil
                }
                let epoch = epochNumbers.flatMap { $0.count == length ? $0[index] : nil } ?? Double(index + 1)
                // JSON has no line per epoch; the record number (1-based epoch) is the evidence pointer.
                var record = MetricRecord(epoch: epoch, values: values, line: index + 1)
                if index == 0, number > 0 || group.label != nil {
                    // Starting a run before any values only names it.
                    record.startsNewRun = true
                    record.runLabel = group.label
                }
                assembler.add(record)
            }
        }
        if let warning = LenientJSON.outOfRangeEvent(stream.outOfRangeNumbers) { assembler.addEvent(warning) }
        return assembler.finish()
    }

    /// The non-empty lists of numbers (numeric strings included) of the document's object, or of its
    /// `history` member when that is an object; nil when the document is not an object. A later
    /// member of the same name replaces an earlier one, as in a dictionary.
    static func numericLists(in stream: JSONStream) throws -> [String: [Double]]? {
        guard try stream.peek() == UInt8(ascii: "{") else {
            try stream.skipValue()
            try stream.finish()
            return nil
        }
        var top: [String: [Double]] = [:]
        var nested: [String: [Double]]?
        try stream.forEachMember { key in
            top.removeValue(forKey: key)
            if key == "history" { nested = nil }
            if key == "history", try stream.peek() == UInt8(ascii: "{") {
                var lists: [String: [Double]] = [:]
                try stream.forEachMember { inner in lists[inner] = try numericList(in: stream) }
                nested = lists
            } else {
                top[key] = try numericList(in: stream)
            }
        }
        try stream.finish()
        return nested ?? top
    }

    /// The value that comes next as a list of numbers; nil (read past) when it is anything else.
    private static func numericList(in stream: JSONStream) throws -> [Double]? {
        guard try stream.peek() == UInt8(ascii: "[") else {
            try stream.skipValue()
            return nil
        }
        var numbers: [Double] = []
        var allNumbers = true
        try stream.forEachItem {
            let scalar = try stream.readScalar()
            guard allNumbers, let number = scalar?.number else {
                allNumbers = false
                return numbers.removeAll()
            }
            numbers.append(number)
        }
        return allNumbers && !numbers.isEmpty ? numbers : nil
    }

    /// Whole numbers in strictly increasing order: an index such as epoch numbers, not a curve.
    static func isIndex(_ values: [Double]) -> Bool {
        values.count >= 2 && values.allSatisfy { CSVColumns.position($0) != nil && $0 == $0.rounded(.down) }
            && zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// The metrics of each model when every key starts with a model prefix that has its own loss
    /// (`reg_loss`, `reg_val_loss`, `cls_loss`, ...); otherwise one unnamed group with every metric.
    static func modelGroups(_ lists: [(key: String, values: [Double])])
        -> [(label: String?, lists: [(name: MetricName, values: [Double])])]
    {
        let whole = [(label: String?.none, lists: lists.map { (MetricName(raw: $0.key), $0.values) })]
        var byPrefix: [String: [(name: MetricName, values: [Double])]] = [:]
        var order: [String] = []
        for (key, values) in lists {
            guard let separator = key.firstIndex(of: "_") else { return whole }
            let prefix = String(key[..<separator])
            let rest = String(key[key.index(after: separator)...])
            let alone = MetricName(raw: prefix)
            if MetricName(raw: prefix + "_x").split != .train || alone.kind != .other
                || ["train", "training"].contains(prefix.lowercased())
            {
                return whole  // `val_loss`, `loss_x`, `acc_y`: a split or a metric, not a model name
            }
            if byPrefix[prefix] == nil { order.append(prefix) }
            byPrefix[prefix, default: []].append((MetricName(raw: rest), values))
        }
        let isModelSplit = order.count >= 2
            && order.allSatisfy { prefix in byPrefix[prefix]!.contains { $0.name.canonical == "loss" } }
        return isModelSplit ? order.map { (label: $0, lists: byPrefix[$0]!) } : whole
    }
}
