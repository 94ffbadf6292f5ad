@_spi(Layers) import LossLensBytes
/// Turns the records of one source into runs.
///
/// Decides, for every dialect alike: 1-based epoch numbering (a log whose first epoch is 0 is
/// shifted), restarts (the epoch counter or the global step going back starts a new run), which
/// values are per-step and which per-epoch (the last value of an epoch wins, as in a progress bar),
/// and percentages printed without a `%` sign. A log that never names an epoch (evaluation blocks
/// printed one after the other) gets one epoch per repetition of its values.
public struct RunAssembler {
    public let source: String
    public let format: InputFormat
    private var finished: [Run] = []
    private var current: RunBuilder
    private var pendingLabel: String?
    /// The number the source gives its first epoch, when the source fixes it (Lightning counts from 0).
    public let firstEpoch: Int?
    public let limits: RunLimits
    /// Series made by the finished runs, which the next run's budget leaves out.
    private var seriesMade = 0
    /// Set once the run cap is reached: the rest of the input is read but placed nowhere.
    private var stopped = false

    public init(source: String, format: InputFormat, firstEpoch: Int? = nil, limits: RunLimits = RunLimits()) {
        self.source = source
        self.format = format
        self.firstEpoch = firstEpoch
        self.limits = limits
        current = RunBuilder(firstEpoch: firstEpoch, seriesBudget: limits.series, epochBudget: limits.epochs)
    }

    /// No training runs this many epochs: a larger (or non-finite) epoch is garbage in the log, such
    /// as `Epoch 99999999999999999999` or `'epoch': '1e999'`, and the record is placed as if it named none.
    static let largestEpoch = 1e12

    public mutating func add(_ record: MetricRecord) {
        add(record, linesBefore: 0)
    }

    /// Adds a record whose line counts from a block that starts after `linesBefore` lines: a block
    /// read by a worker is placed without copying its records to renumber them.
    @_spi(Layers) public mutating func add<Record: PlaceableRecord>(_ record: Record, linesBefore: Int) {
        guard !stopped else { return }
        if let epoch = record.epoch, !(epoch.magnitude <= Self.largestEpoch) {
            var placeable = record
            placeable.epoch = nil
            return add(placeable, linesBefore: linesBefore)
        }
        if record.startsNewRun || current.isRestart(record) {
            closeRun()
            guard finished.count < limits.runs else {
                stopped = true
                return
            }
            pendingLabel = record.runLabel
        }
        current.add(record, linesBefore: linesBefore)
    }

    /// Adds neighbouring records of one list read from a console (see `add(_:linesBefore:)`):
    /// per-step records go in a column at a time (`RunBuilder.addStepRows`), the others one by one.
    @_spi(Layers) public mutating func add(_ records: RecordBatch.Records, linesBefore: Int) {
        var next = 0
        while next < records.count, !stopped {
            next += current.addStepRows(of: records, from: next, linesBefore: linesBefore)
            guard next < records.count else { break }
            add(records[next], linesBefore: linesBefore)
            next += 1
        }
    }

    public mutating func addEvent(_ event: RunEvent) {
        guard !stopped else { return }
        current.events.append(event)
    }

    /// A note for the run being assembled (each text once).
    public mutating func addNote(_ note: String) {
        if !current.notes.contains(note) { current.notes.append(note) }
    }

    /// The epoch the next value without an epoch of its own will belong to.
    public var currentEpoch: Int { current.currentEpoch }

    public mutating func finish() -> [Run] {
        closeRun()
        if let warning = capWarning(), var last = finished.popLast() {
            last.events.append(RunEvent(kind: .inputDamaged, text: warning, line: last.events.last?.line ?? 0))
            finished.append(last)
        }
        let runs = format == .kerasConsole ? ContinuedFits.merged(finished) : finished
        if runs.count > 1 {
            return runs.enumerated().map { index, run in
                var named = run
                if named.name.isEmpty { named.name = "run \(index + 1)" }
                return named
            }
        }
        return runs.map { run in
            var named = run
            if named.name.isEmpty { named.name = "run 1" }
            return named
        }
    }

    /// What a cap left out, naming the cap and the option that raises it.
    private func capWarning() -> String? {
        var parts: [String] = []
        if stopped {
            parts.append("more than \(limits.runs) runs: the input past the \(limits.runs)th run was not read (--max-runs)")
        }
        if droppedSeries {
            parts.append("more than \(limits.series) metrics: the values of further metric names were not kept (--max-series)")
        }
        if droppedEpochs {
            parts.append("a run holds values in more than \(limits.epochs) epoch\(limits.epochs == 1 ? "" : "s"): the values of later epochs were not kept (--max-epochs)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private var droppedSeries = false
    private var droppedEpochs = false

    private mutating func closeRun() {
        droppedSeries = droppedSeries || current.droppedSeries
        droppedEpochs = droppedEpochs || current.droppedEpochs
        if current.hasContent {
            var run = current.build(source: source, format: format)
            run.name = pendingLabel ?? ""
            seriesMade += current.seriesCount
            finished.append(run)
        } else if !current.events.isEmpty || !current.notes.isEmpty, var last = finished.popLast() {
            // Events after the last epoch (a final "early stopping" line) belong to the run before.
            last.events += current.events
            last.notes += current.notes.filter { !last.notes.contains($0) }
            finished.append(last)
        }
        current = RunBuilder(firstEpoch: firstEpoch, seriesBudget: limits.series - seriesMade, epochBudget: limits.epochs)
        pendingLabel = nil
    }
}

/// How a record's epoch becomes the run's 1-based epoch number.
@_spi(Layers) public struct EpochNumbering {
    /// Added to an integer epoch: 1 for a log that counts from 0, once the first epoch tells.
    @_spi(Layers) public var offset: Int?
    /// `fit(epochs=1)` called in a loop prints `Epoch 1/1` again and again: each call is the next
    /// epoch of one training, counted here, instead of overwriting the first.
    var repeatedSingleEpochFits = 0

    @inline(__always)
    @_spi(Layers) public func index(of epoch: Double) -> Int {
        if !epoch.isWhole {
            // A fraction is below 2^52, so its integer part is exact.
            let whole = Int(epoch)
            return max(1, Double(whole) < epoch ? whole + 1 : whole)
        }
        return Int(epoch) + (offset ?? (epoch == 0 ? 1 : 0)) + repeatedSingleEpochFits
    }
}

extension Double {
    /// `self == rounded(.down)`, without the call to `floor` that the baseline x86-64 target makes.
    @inlinable
    @_spi(Layers) public var isWhole: Bool {
        magnitude < 0x1p52 ? Double(Int64(self)) == self : !isNaN
    }
}
