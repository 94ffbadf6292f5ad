@_spi(Layers) import LossLensBytes
/// The run being assembled: its epoch numbering, its metrics' slots and their values so far.
@_spi(Layers) public struct RunBuilder {
    var currentEpoch = 0
    /// Kept apart from the rest: the epoch of every record is numbered with it, and a call on the
    /// whole builder copied the whole builder.
    var numbering = EpochNumbering()
    var lastGlobalStep: Int?
    var stepCounter = 0
    @_spi(Layers) public var plannedEpochs: Int?
    @_spi(Layers) public var events: [RunEvent] = []
    @_spi(Layers) public var notes: [String] = []
    /// Metric names in order of appearance; a name's position is its slot in the storage below.
    @_spi(Layers) public var order: [MetricName] = []
    @_spi(Layers) public var slots: [MetricName: Int] = [:]
    /// Names (with their granularity hint) of the last record by position, and their slots.
    var recentNames: [MetricName] = []
    var recentSlots: [Int] = []
    /// The name list of the last record with values, when known: a record with the same list has
    /// the names of `recentNames`, in `recentSlots`, without comparing them.
    var recentList: NameListKey?
    @_spi(Layers) public var epochValues: [[Int: (value: Double, line: Int)]?] = []
    /// Empty until the name's first per-step value. Not optional: appending through `?.` copied
    /// the buffer out of the array and back for every value.
    var stepPoints: [StepSeriesBuffer] = []
    /// Whether any record so far named its epoch; until one does, repeated values start new epochs.
    var sawEpoch = false
    /// Room reused by `addStepRows`.
    var stepRows = StepRows()
    /// How many series this run may make (`RunLimits.series`, less what the runs before made).
    let seriesBudget: Int
    /// Past the budget every new name gets this one slot, whose values are dropped when the run
    /// is built: the callers place values by slot and need not know.
    var overflowSlot: Int?
    /// How many epochs may hold values (`RunLimits.epochs`); values of later epochs are dropped.
    let epochBudget: Int
    /// Epochs that received values, and the last of them: a run's epochs only go up.
    var epochsPlaced = 0
    var lastPlacedEpoch = Int.min
    /// Set when a value was dropped for lack of epoch budget.
    var droppedEpochs = false

    @_spi(Layers) public init(firstEpoch: Int? = nil, seriesBudget: Int = RunLimits.defaultSeries, epochBudget: Int = RunLimits.defaultEpochs) {
        numbering.offset = firstEpoch.map { 1 - $0 }
        self.seriesBudget = seriesBudget
        self.epochBudget = epochBudget
    }

    /// Whether values of `epoch` may be kept, counting it if it is new.
    mutating func admitsValues(of epoch: Int) -> Bool {
        guard epoch != lastPlacedEpoch else { return true }
        guard epochsPlaced < epochBudget else {
            droppedEpochs = true
            return false
        }
        epochsPlaced += 1
        lastPlacedEpoch = epoch
        return true
    }

    var hasContent: Bool { !order.isEmpty }
    var droppedSeries: Bool { overflowSlot != nil }
    /// The series slots made, the overflow slot left out.
    var seriesCount: Int { order.count - (overflowSlot == nil ? 0 : 1) }

    /// The slot of a name, made on first sight. A run has few metrics, so a short scan (names
    /// interned by the scanner compare by identity) beats hashing the name for every value.
    @_spi(Layers) public mutating func slot(of name: MetricName) -> Int {
        if order.count <= 16 {
            if let index = order.firstIndex(of: name) { return index }
        } else if let index = slots[name] {
            return index
        }
        if seriesCount >= seriesBudget {
            if let overflowSlot { return overflowSlot }
            overflowSlot = order.count
        } else {
            slots[name] = order.count
        }
        order.append(name)
        epochValues.append(nil)
        stepPoints.append(StepSeriesBuffer())
        return order.count - 1
    }

    /// The slot of the `position`-th name of a record, remembered from the record before: the lines
    /// of a per-step log repeat one list of names.
    @_spi(Layers) public mutating func slot(at position: Int, of name: MetricName) -> Int {
        if position < recentNames.count, recentNames[position] == name { return recentSlots[position] }
        var plain = name
        plain.granularityHint = nil
        let slot = slot(of: plain)
        if position < recentNames.count {
            recentNames[position] = name
            recentSlots[position] = slot
        } else {
            recentNames.append(name)
            recentSlots.append(slot)
        }
        return slot
    }

    func slotIfKnown(_ name: MetricName) -> Int? {
        order.count <= 16 ? order.firstIndex(of: name) : slots[name]
    }

    func isRestart<Record: PlaceableRecord>(_ record: Record) -> Bool {
        guard hasContent else { return false }
        if record.stepIsGlobal, let step = record.step, let last = lastGlobalStep, step < last { return true }
        if let epoch = record.epoch, !record.stepIsGlobal || record.step == nil {
            return numbering.index(of: epoch) < currentEpoch
        }
        return false
    }

    @_spi(Layers) public mutating func add<Record: PlaceableRecord>(_ record: Record, linesBefore: Int) {
        let line = record.line + linesBefore
        // The first two tests spare most records the call, which copied the record.
        if record.plannedEpochs == 1, record.values.isEmpty, startsAnotherSingleEpochFit(record) {
            numbering.repeatedSingleEpochFits += 1
            // How many calls were planned is not printed.
            plannedEpochs = nil
        } else if let planned = record.plannedEpochs, numbering.repeatedSingleEpochFits == 0 {
            plannedEpochs = planned
        }
        // The run's number of the record's epoch, once the first epoch has fixed the numbering.
        var epochIndex: Int?
        if let epoch = record.epoch {
            sawEpoch = true
            if numbering.offset == nil, epoch.isWhole { numbering.offset = epoch == 0 ? 1 : 0 }
            epochIndex = numbering.index(of: epoch)
            currentEpoch = max(currentEpoch, epochIndex!)
        }
        if record.stepIsGlobal, let step = record.step { lastGlobalStep = step }
        guard !record.values.isEmpty else { return }
        if currentEpoch == 0 { currentEpoch = 1 }
        if record.epoch == nil, !sawEpoch, !record.isStepLevel, !record.redrawsPrevious, repeatsCurrentEpoch(record) {
            currentEpoch += 1
        }
        let epoch = epochIndex ?? currentEpoch
        guard admitsValues(of: epoch) else { return }
        var countedStep = false
        let knownSlots = record.nameList != nil && record.nameList == recentList
        defer { recentList = record.nameList }
        // The same for every value of the record.
        let recordGranularity: Granularity = record.isStepLevel ? .step : .epoch
        let epochProgress = record.epoch.flatMap { $0.isWhole ? nil : $0 }
        for (position, (name, value)) in record.values.enumerated() {
            let granularity = name.granularityHint ?? recordGranularity
            let slot = knownSlots ? recentSlots[position] : slot(at: position, of: name)
            if granularity == .step {
                if !countedStep { stepCounter += 1; countedStep = true }
                let point = MetricPoint(
                    epoch: epoch, step: record.step ?? stepCounter, epochProgress: epochProgress, value: value, line: line)
                stepPoints[slot].append(point)
            } else {
                if (epochValues[slot]?[epoch] = (value, line)) == nil { epochValues[slot] = [epoch: (value, line)] }
            }
        }
    }

    /// An `Epoch 1/1` header (no values) while the epoch it names already holds values.
    private func startsAnotherSingleEpochFit<Record: PlaceableRecord>(_ record: Record) -> Bool {
        guard record.plannedEpochs == 1, record.values.isEmpty, let epoch = record.epoch, numbering.index(of: epoch) == currentEpoch
        else { return false }
        return epochValues.contains { $0?[currentEpoch] != nil }
    }

    /// Whether an epoch-level value of the record was already logged for the current epoch.
    private func repeatsCurrentEpoch<Record: PlaceableRecord>(_ record: Record) -> Bool {
        record.values.contains { name, _ in
            guard name.granularityHint != .step else { return false }
            var plain = name
            plain.granularityHint = nil
            return slotIfKnown(plain).flatMap { epochValues[$0]?[currentEpoch] } != nil
        }
    }

    @_spi(Layers) public mutating func build(source: String, format: InputFormat) -> Run {
        var series: [MetricSeries] = []
        for (slot, name) in order.enumerated() where slot != overflowSlot {
            if let byEpoch = epochValues[slot] {
                let points = byEpoch.keys.sorted().map { epoch in
                    MetricPoint(epoch: epoch, value: byEpoch[epoch]!.value, line: byEpoch[epoch]!.line)
                }
                series.append(MetricSeries(name: name, granularity: .epoch, points: points))
            }
            if stepPoints[slot].count > 0 {
                let (points, reduction) = stepPoints[slot].finish()
                // Each buffer goes as soon as its series is made, so only one is held twice.
                stepPoints[slot] = StepSeriesBuffer()
                series.append(MetricSeries(name: name, granularity: .step, points: points, reduction: reduction))
            }
        }
        var run = Run(source: source, format: format, name: "", series: series.map(Self.normalizedPercent),
                      plannedEpochs: plannedEpochs, events: events)
        run.notes = notes
        run.addEpochAggregates()
        return run
    }

    /// Accuracies printed as percentages without a `%` sign (`Acc: 55.0`) become fractions.
    static func normalizedPercent(_ series: MetricSeries) -> MetricSeries {
        guard series.kind == .accuracy else { return series }
        // A reduced series knows the extremes of all its values from its epoch statistics (the
        // sample keeps the first and last points, which may lack an epoch).
        let finite = series.values.filter(\.isFinite)
            + (series.reduction?.epochs.flatMap { [$0.minimum, $0.maximum].compactMap { $0 } } ?? [])
        guard let maximum = finite.max(), maximum > 1.0, maximum <= 100.0, (finite.min() ?? 0) >= 0 else {
            return series
        }
        var scaled = series
        // Past the exact limit the epoch means are scaled sums: equal to the mean of the scaled
        // values up to the last bit.
        scaled.scale(dividingBy: 100)
        return scaled
    }
}
