@_spi(Layers) import LossLensBytes
/// One logged observation before it is placed into runs: the values a line (or a JSON/CSV record)
/// carries, with whatever position information the source gave.
///
/// Every parser reduces its input to records; `RunAssembler` turns records into runs, so epoch
/// numbering, restarts and step/epoch granularity are decided in one place for all dialects.
public struct MetricRecord: Sendable {
    /// Epoch as printed: an integer (`Epoch 3/20`) or a fraction (Hugging Face `'epoch': 0.3125`).
    public var epoch: Double?
    /// Planned epoch count when the record states it (`3/20` → 20).
    public var plannedEpochs: Int?
    /// Step as printed (global or within the epoch, see `stepIsGlobal`).
    public var step: Int?
    public var stepIsGlobal: Bool
    public var values: [(name: MetricName, value: Double)]
    /// 1-based line or record number, the evidence pointer.
    public var line: Int
    /// Forces a new run to start at this record (a repeated CSV header, a new TensorBoard directory).
    public var startsNewRun: Bool
    /// A label for the run this record starts (used with `startsNewRun`).
    public var runLabel: String?
    /// The dialect says its values are per step even without a step number (Hugging Face dicts).
    public var perStep: Bool = false
    /// A redraw of the record before it (the same progress bar, redrawn in place with the same
    /// names): it replaces those values and never starts an epoch of its own.
    public var redrawsPrevious: Bool = false

    public init(
        epoch: Double? = nil, plannedEpochs: Int? = nil, step: Int? = nil, stepIsGlobal: Bool = false,
        values: [(name: MetricName, value: Double)] = [], line: Int, startsNewRun: Bool = false, runLabel: String? = nil
    ) {
        self.epoch = epoch
        self.plannedEpochs = plannedEpochs
        self.step = step
        self.stepIsGlobal = stepIsGlobal
        self.values = values
        self.line = line
        self.startsNewRun = startsNewRun
        self.runLabel = runLabel
    }
}
