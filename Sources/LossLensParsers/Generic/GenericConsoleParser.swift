import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Console output in a print style no pattern dialect knows: every line with a counter and
/// name/value pairs (see `GenericLineReader`) is a record.
///
/// It is the last reader tried: its confidence is below that of any dialect that reads a line of
/// the log, so a log a pattern dialect reads is read exactly as before. A line with an epoch and no
/// values (`Epoch 3/20`) sets the epoch of the lines after it that name none; in a log that names no
/// epoch at all, steps and evaluations make the epochs (`StepPeriods`). Every run gets a note that
/// the generic reader was used, so the user knows a pattern file would make the reading exact.
public struct GenericConsoleParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.genericConsole] }

    /// Below the least a pattern dialect scores (0.12 for one matching line) and above a console
    /// that only found a traceback (0.05).
    static let confidence = 0.11
    /// Records a log must give to be taken for a training log: one stray `step 3: loss 0.5` in a
    /// notes file is not a run.
    static let fewestRecords = 2

    public static let note = "Read by the generic console reader: losslens does not know this print style and took each line "
        + "with a counter (epoch, iter, step, [N]) and name/value pairs for a record. A pattern file (--patterns, see "
        + "README) would make the reading exact."

    /// Asked of every input, and read only when no other reader finds metrics: cheap, text with
    /// digits is enough. The reading decides (a log needs `fewestRecords`).
    public func confidence(for input: LogInput) -> Double {
        let head = input.prefixData(4096)
        guard !head.isEmpty, head.contains(where: { $0 &- 0x30 < 10 }), !BinarySniffer.looksBinary(head), !ProseTable.holds(input)
        else { return 0 }
        return Self.confidence
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        var reader = GenericLineReader()
        var assembler = RunAssembler(source: input.source, format: .genericConsole, limits: input.runLimits)
        assembler.addNote(Self.note)
        var periods = StepPeriods()
        var traceback = TracebackCollector()
        var contextEpoch: Double?
        var lastRecordLine = 0
        var records = 0
        var sawEpoch = false
        try LineStream.screenLines(of: input.content) { line in
            traceback.observe(line)
            guard let state = line.lastSegment, let reading = reader.read(line.bytes[state]) else { return true }
            if let epoch = reading.epoch {
                contextEpoch = epoch
                sawEpoch = true
            }
            guard !reading.values.isEmpty else {
                if let epoch = reading.epoch {
                    // An epoch header: the lines after it belong to this epoch.
                    assembler.add(MetricRecord(epoch: epoch, plannedEpochs: reading.plannedEpochs, line: line.number))
                }
                return true
            }
            guard reading.hasCounter || contextEpoch != nil else { return true }
            var record = MetricRecord(epoch: reading.epoch ?? contextEpoch, plannedEpochs: reading.plannedEpochs,
                                      values: reading.values, line: line.number)
            if let step = reading.step ?? reading.bracketCounter {
                record.step = step
                // A step under an epoch header may count from 0 in every epoch.
                record.stepIsGlobal = reading.epoch == nil ? !sawEpoch : reading.stepIsGlobal
            }
            if !sawEpoch { periods.place(&record) }
            assembler.add(record)
            lastRecordLine = line.number
            records += 1
            return true
        }
        guard records >= Self.fewestRecords else { return [] }
        var runs = periods.finish(&assembler)
        traceback.attachCrash(to: &runs, after: lastRecordLine)
        return runs
    }
}
