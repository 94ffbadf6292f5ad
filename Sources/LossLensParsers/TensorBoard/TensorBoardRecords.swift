@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Turns the scalars of the event files of one run into MetricRecords: per-epoch tags by epoch,
/// then per-step tags by step, each file's values in their own records so every value keeps its
/// record number as evidence. The per-epoch scalars are few and held; the per-step ones are merged
/// from the files a step at a time (`EventFileSteps`), so a run of millions of steps is placed
/// without holding them.
@_spi(Layers) public enum TensorBoardRecords {
    /// Calls `body` with the records of `files`, in the order above.
    static func forEachRecord(of files: [EventFileScalars], _ body: (MetricRecord) throws -> Void) throws {
        var epochScalars: [Int: [(file: Int, scalar: EventScalar)]] = [:]
        for (index, file) in files.enumerated() {
            for scalar in file.epochScalars { epochScalars[scalar.step, default: []].append((index, scalar)) }
        }
        let epochs = epochScalars.keys.sorted()
        let epochEnds = epochs.map { epoch in (epoch, epochScalars[epoch]!.map(\.scalar.wallTime).max()!) }
        for epoch in epochs {
            for scalars in byFile(epochScalars[epoch]!) {
                try body(MetricRecord(epoch: Double(epoch), values: scalars.map { ($0.name, $0.value) }, line: scalars[0].record))
            }
        }
        // Each file's next step; the lowest step goes first, from every file that has it, in file order.
        var cursors = try files.map { try $0.steps() }
        var next = try cursors.indices.map { try cursors[$0].nextStep() }
        while let step = next.compactMap({ $0?.first?.step }).min() {
            for index in cursors.indices {
                guard let scalars = next[index], scalars[0].step == step else { continue }
                // A step belongs to the first epoch whose summaries were written after it.
                let epoch = epochEnds.isEmpty ? nil
                    : Double(epochEnds.first { $0.1 >= scalars[0].wallTime }?.0 ?? (epochEnds.last!.0 + 1))
                try body(MetricRecord(epoch: epoch, step: step, stepIsGlobal: true,
                                      values: scalars.map { ($0.name, $0.value) }, line: scalars[0].record))
                next[index] = try cursors[index].nextStep()
            }
        }
    }

    private static func byFile(_ scalars: [(file: Int, scalar: EventScalar)]) -> [[EventScalar]] {
        Dictionary(grouping: scalars, by: \.file).sorted { $0.key < $1.key }.map { $0.value.map(\.scalar) }
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
