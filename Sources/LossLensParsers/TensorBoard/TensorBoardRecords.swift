@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Turns the scalars of the event files of one run into MetricRecords: per-epoch tags by epoch,
/// then per-step tags by step, each file's values in their own records so every value keeps its
/// record number as evidence.
@_spi(Layers) public struct TensorBoardRecords {
    @_spi(Layers) public let records: [MetricRecord]

    private struct Entry {
        @_spi(Layers) public var name: MetricName
        @_spi(Layers) public var value: Double
        @_spi(Layers) public var record: Int
        var wallTime: Double
        @_spi(Layers) public var file: Int
    }

    @_spi(Layers) public init(files: [EventFileScalars]) {
        var epochValues: [Int: [Entry]] = [:]
        var stepValues: [Int: [Entry]] = [:]
        for (fileIndex, file) in files.enumerated() {
            for (scalar, record) in file.scalars {
                let (name, perEpoch) = Self.metric(for: scalar.tag, folderSplit: file.split)
                let entry = Entry(name: name, value: scalar.value, record: record, wallTime: scalar.wallTime, file: fileIndex)
                if perEpoch { epochValues[scalar.step, default: []].append(entry) } else { stepValues[scalar.step, default: []].append(entry) }
            }
        }
        let epochEnds = epochValues.keys.sorted().map { epoch in (epoch, epochValues[epoch]!.map(\.wallTime).max()!) }
        var records: [MetricRecord] = []
        for epoch in epochValues.keys.sorted() {
            records += Self.byFile(epochValues[epoch]!).map { entries in
                MetricRecord(epoch: Double(epoch), values: entries.map { ($0.name, $0.value) }, line: entries[0].record)
            }
        }
        for step in stepValues.keys.sorted() {
            records += Self.byFile(stepValues[step]!).map { entries in
                // A step belongs to the first epoch whose summaries were written after it.
                let epoch = epochEnds.isEmpty ? nil
                    : Double(epochEnds.first { $0.1 >= entries[0].wallTime }?.0 ?? (epochEnds.last!.0 + 1))
                return MetricRecord(epoch: epoch, step: step, stepIsGlobal: true,
                                    values: entries.map { ($0.name, $0.value) }, line: entries[0].record)
            }
        }
        self.records = records
    }

    private static func byFile(_ entries: [Entry]) -> [[Entry]] {
        Dictionary(grouping: entries, by: \.file).sorted { $0.key < $1.key }.map(\.value)
    }

    /// The metric a tag names and whether it is per-epoch. `epoch_`/`batch_` prefixes (Keras) give the
    /// granularity, Keras 2's `evaluation_loss_vs_iterations` is a validation step series, and a split
    /// word at the end of a path (`Loss/train`) or the event file's folder gives the split.
    @_spi(Layers) public static func metric(for tag: String, folderSplit: Split?) -> (MetricName, perEpoch: Bool) {
        var raw = tag
        var perEpoch = false
        var split = folderSplit
        if raw.hasPrefix("epoch_") {
            raw.removeFirst("epoch_".count)
            perEpoch = true
        } else if raw.hasPrefix("batch_") {
            raw.removeFirst("batch_".count)
        } else if raw.hasPrefix("evaluation_"), raw.hasSuffix("_vs_iterations") {
            raw = String(raw.dropFirst("evaluation_".count).dropLast("_vs_iterations".count))
            split = .validation
        }
        let parts = raw.split(separator: "/")
        if parts.count >= 2, let last = parts.last, InputCollector.splitFolders.contains(last.lowercased()) {
            raw = ([last] + parts.dropLast()).joined(separator: "/")
        }
        var name = MetricName(raw: raw)
        if let split, name.split == .train { name.split = split }
        return (name, perEpoch)
    }
}
