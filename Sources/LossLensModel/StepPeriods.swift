@_spi(Layers) import LossLensBytes
/// Epochs for logs that count steps only (nanoGPT's iterations, detectron2's `iteration`, W&B's
/// `_step`, boosting rounds, a TF1 Estimator's global step).
///
/// The rules judge epoch curves, and a log without epochs would be one epoch long: every rule but
/// `non-finite` would stay silent. Such logs evaluate every so many steps, so an evaluation (a
/// record with validation or test values) closes a period that the report calls an epoch: its
/// held-out values are that epoch's, and the training steps since the previous evaluation are
/// averaged into it. A log that never evaluates is cut into equal periods after reading
/// (`Run.groupingStepsIntoPeriods`). Either way the run gets a note that says so.
public struct StepPeriods {
    /// The period the next record belongs to (1-based).
    public private(set) var period = 1
    public private(set) var evaluations = 0
    private var lastStep: Int?

    public init() {}

    /// Gives a record that names no epoch the epoch of its period. An evaluation closes the period:
    /// its held-out values are the period's (epoch level), its training values steps like the others
    /// (a batch's loss logged with the evaluation is no better than the steps' mean). A step that goes
    /// back starts over at period 1 (the assembler starts a new run there).
    public mutating func place(_ record: inout MetricRecord) {
        guard record.epoch == nil, !record.values.isEmpty else { return }
        if let step = record.step, record.stepIsGlobal {
            if let lastStep, step < lastStep { period = 1 }
            lastStep = step
        }
        record.epoch = Double(period)
        record.perStep = true
        guard record.values.contains(where: { $0.name.split != .train }) else { return }
        for index in record.values.indices where record.values[index].name.granularityHint == nil {
            record.values[index].name.granularityHint = record.values[index].name.split == .train ? .step : .epoch
        }
        period += 1
        evaluations += 1
    }

    /// The note for runs whose epochs are evaluation periods, nil when no evaluation closed one.
    public var note: String? {
        guard evaluations > 0 else { return nil }
        return "This log names no epochs: each evaluation (a record with validation or test values) closes a period "
            + "that the report calls an epoch, and the training values logged since the previous one are averaged into it."
    }

    /// The runs of `assembler`, with the note on each and, for runs that never evaluated, their
    /// steps grouped into periods.
    public func finish(_ assembler: inout RunAssembler) -> [Run] {
        assembler.finish().map { run in
            var run = run
            if run.groupingStepsIntoPeriods() == false, let note { run.notes.append(note) }
            return run
        }
    }
}

extension Run {
    /// The most periods a run without epochs is cut into, and the fewest steps it needs.
    static let stepPeriodTarget = 20
    static let fewestGroupedSteps = 10

    /// Cuts a run that logged steps but no epochs (and evaluated at most once) into equal periods
    /// of its step range (at most 20, at least 5, of 2 or more steps), which become its epochs: the
    /// epoch series are the means of each period, and a value logged once (a final evaluation) is
    /// the last period's. Returns false, changing nothing, when the run has epochs, fewer than 10
    /// steps, or a series reduced past the exact limit (its epoch statistics cannot be cut again).
    @discardableResult
    public mutating func groupingStepsIntoPeriods() -> Bool {
        let steps = series.filter { $0.granularity == .step }
        guard epochCount <= 1, let longest = steps.map(\.points.count).max(), longest >= Self.fewestGroupedSteps,
            steps.allSatisfy({ $0.reduction == nil })
        else { return false }
        let numbers = steps.flatMap { $0.points.compactMap(\.step) }
        guard let low = numbers.min(), let high = numbers.max(), high > low else { return false }
        let periods = min(Self.stepPeriodTarget, max(5, longest / 5))
        let width = Double(high - low + 1) / Double(periods)
        let aggregates = Set(steps.map(\.name.canonical))
        // The one-epoch means of the steps go (they are made again per period); a single value of
        // its own (one evaluation at the end of training) belongs to the last period.
        series = series.compactMap { one in
            guard one.granularity == .step else {
                if aggregates.contains(one.name.canonical) { return nil }
                var moved = one
                for index in moved.points.indices { moved.points[index].epoch = periods }
                return moved
            }
            var cut = one
            for index in cut.points.indices {
                let step = cut.points[index].step ?? low
                cut.points[index].epoch = min(periods, Int(Double(step - low) / width) + 1)
                cut.points[index].epochProgress = nil
            }
            return cut
        }
        addEpochAggregates()
        notes.append("This log names no epochs and evaluates at most once: its \(longest) logged steps (\(low)–\(high)) were "
            + "grouped into \(periods) equal periods of about \(Int(width.rounded())) steps, which the report calls epochs.")
        return true
    }
}
