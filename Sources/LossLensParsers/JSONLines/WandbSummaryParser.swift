import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// W&B `wandb-summary.json`: the last value of each metric of a run (and `_runtime`, `_step`,
/// `_wandb`), one object. It has no curves: the run is read as one point per metric with a note
/// that the history (`wandb-history.jsonl`, or `run.history()` exported) is needed to judge
/// them. Beside the history of the same run it is listed as its companion.
public struct WandbSummaryParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.wandbSummary] }

    public static let note = "wandb-summary.json holds the final value of each metric only: the curves need the run's "
        + "history (wandb-history.jsonl in the run's files folder, or run.history() exported from the W&B API)."

    public func confidence(for input: LogInput) -> Double {
        guard input.opensJSONObject(within: 4096) else { return 0 }
        if input.fileName == "wandb-summary.json" { return 0.95 }
        return input.prefix(16384, holds: "\"_wandb\"") && input.prefix(16384, holds: "\"_runtime\"") ? 0.9 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        let object: JSONLineObject
        do {
            object = try JSONLineObject(JSONStream(try input.content.makeReader()))
        } catch let error as JSONStream.SyntaxError {
            throw LossLensError.invalidJSON(source: input.source, format: .wandbSummary, reason: error.reason)
        }
        var names = KeyNames()
        var record = MetricRecord(epoch: object.epoch.flatMap(CSVColumns.position), line: 1)
        record.values = object.numbers.compactMap { key, value in names.name(of: key).map { ($0, value) } }
        guard !record.values.isEmpty else { return [] }
        var assembler = RunAssembler(source: input.source, format: .wandbSummary, limits: input.runLimits)
        assembler.addNote(Self.note)
        assembler.add(record)
        return assembler.finish()
    }
}
