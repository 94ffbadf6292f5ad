import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// TensorBoard event files (`events.out.tfevents.*`) of one run folder, as InputCollector groups them.
///
/// Keras writes `epoch_loss`, `epoch_accuracy`, `epoch_learning_rate` into `train/` and `validation/`
/// sub-folders: the sub-folder names the split and the `epoch_` prefix says the step is the 0-based
/// epoch. Other tags (`batch_loss`, `loss`, `Loss/train`, `Accuracy/val`) are per-step series named by
/// MetricName; their epoch is the first epoch whose `epoch_` summaries were written after them.
/// Several event files in one folder are consecutive `fit` calls: the k-th file of each folder
/// belongs to run k. A damaged record (bad CRC, truncated file) ends the reading of its file; the
/// run keeps what came before and carries an `inputDamaged` event. Evidence lines are record numbers
/// within the event file. Files are read a record at a time, and their per-step values are placed
/// a step at a time, so their size does not matter (`TensorBoardRecords`).
public struct TensorBoardParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.tensorBoard] }

    public func confidence(for input: LogInput) -> Double {
        if !input.eventFiles.isEmpty { return 1 }
        // A single event file read as plain data: its first record header carries a valid checksum.
        guard input.byteCount >= 12 else { return 0 }
        return TFRecordReader.startsWithRecordHeader(input.prefixData(12)) ? 0.95 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        let files = input.eventFiles.isEmpty ? [(relativePath: input.source, content: input.content)] : input.eventFiles
        var generations: [[EventFileScalars]] = []
        var firstDamage: TensorBoardError?
        var readAnything = false
        for (generation, file) in Self.generations(of: files) {
            let scalars = try EventFileScalars(relativePath: file.relativePath, content: file.content)
            if let damage = scalars.damage, scalars.recordCount == 0, firstDamage == nil {
                firstDamage = .damagedFile(path: file.relativePath, record: damage.record, problem: damage.problem)
            }
            readAnything = readAnything || scalars.recordCount > 0
            while generations.count <= generation { generations.append([]) }
            generations[generation].append(scalars)
        }
        if !readAnything, let firstDamage { throw firstDamage }
        var assembler = RunAssembler(source: input.source, format: .tensorBoard, limits: input.runLimits)
        for (index, files) in generations.enumerated() {
            var isFirst = true
            try TensorBoardRecords.forEachRecord(of: files) { record in
                var record = record
                record.startsNewRun = index > 0 && isFirst
                isFirst = false
                assembler.add(record)
            }
            for file in files {
                guard let damage = file.damage else { continue }
                assembler.addEvent(RunEvent(
                    kind: .inputDamaged,
                    text: "\(file.relativePath): reading stopped at record \(damage.record): \(damage.problem); "
                        + "values after it are missing",
                    line: damage.record))
            }
        }
        return assembler.finish()
    }

    /// The k-th event file (by name, which starts with the creation time) of each folder is generation k.
    static func generations(of files: [(relativePath: String, content: LogContent)]) -> [(Int, (relativePath: String, content: LogContent))] {
        var seen: [String: Int] = [:]
        return files.sorted { $0.relativePath < $1.relativePath }.map { file in
            let folder = (file.relativePath as NSString).deletingLastPathComponent
            let generation = seen[folder, default: 0]
            seen[folder] = generation + 1
            return (generation, file)
        }
    }
}
