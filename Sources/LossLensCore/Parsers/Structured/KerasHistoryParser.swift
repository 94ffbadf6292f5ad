import Foundation

/// Keras `History.history` saved as JSON (`json.dump(history.history, f)`): a dict of metric name to
/// a list of per-epoch values, possibly nested under `"history"`. Python's NaN/Infinity tokens are read.
public struct KerasHistoryParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.kerasHistoryJSON] }

    public func confidence(for input: LogInput) -> Double {
        let head = input.prefix(512).trimmingCharacters(in: .whitespacesAndNewlines)
        guard head.hasPrefix("{") else { return 0 }
        if head.contains("\"log_history\"") || head.contains("\"cells\"") { return 0 }
        return head.contains("[") ? 0.8 : 0.3
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        guard let root = try? LenientJSON.parse(input.data) as? [String: Any] else { return [] }
        let history = (root["history"] as? [String: Any]) ?? root
        var assembler = RunAssembler(source: input.source, format: .kerasHistoryJSON)
        let lists = history.compactMap { key, value -> (String, [Double])? in
            guard let list = value as? [Any], !list.isEmpty else { return nil }
            let numbers = list.compactMap(LenientJSON.number)
            return numbers.count == list.count ? (key, numbers) : nil
        }
        .filter { KeyValueScanner.isMetricKey($0.0) }
        .sorted { $0.0 < $1.0 }
        guard let length = lists.map(\.1.count).max() else { return [] }
        for epoch in 0..<length {
            let values = lists.compactMap { key, numbers -> (name: MetricName, value: Double)? in
                epoch < numbers.count ? (MetricName(raw: key), numbers[epoch]) : nil
            }
            // JSON has no line per epoch; the record number (1-based epoch) is the evidence pointer.
            assembler.add(MetricRecord(epoch: Double(epoch + 1), values: values, line: epoch + 1))
        }
        return assembler.finish()
    }
}
