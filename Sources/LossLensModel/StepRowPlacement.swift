@_spi(Layers) import LossLensBytes
/// Where in training each of a run of per-step records is: what their points share, column by column.
@_spi(Layers) public struct StepRows {
    @_spi(Layers) public struct Row {
        @_spi(Layers) public var epoch: Int
        @_spi(Layers) public var step: Int
        @_spi(Layers) public var progress: Double?
        @_spi(Layers) public var line: Int
    }

    @_spi(Layers) public private(set) var rows: [Row] = []

    @_spi(Layers) public var count: Int { rows.count }

    @_spi(Layers) public mutating func removeAll() { rows.removeAll(keepingCapacity: true) }

    @_spi(Layers) public mutating func append(_ row: Row) { rows.append(row) }

    @inline(__always)
    @_spi(Layers) public func point(_ row: Int, value: Double) -> MetricPoint {
        let position = rows[row]
        return MetricPoint(epoch: position.epoch, step: position.step, epochProgress: position.progress, value: value, line: position.line)
    }
}

extension RunBuilder {
    /// Places records `start...` of `records` while each is a per-step record that names its epoch
    /// and starts no new run, as `add` would one by one, but a column at a time: the records of a
    /// per-step log are rows of one list of names, and a value is then appended without looking
    /// at its name or its record again. Returns how many records it placed (0: the record at
    /// `start` must be placed by `add`).
    mutating func addStepRows(of records: RecordBatch.Records, from start: Int, linesBefore: Int) -> Int {
        let width = records.names.count
        let first = records.position(start)
        guard width > 0, let epoch = first.epoch, first.step != nil || first.perStep || !epoch.isWhole,
              let perStep = stepColumns(of: records.names) else { return 0 }
        let countsSteps = perStep.contains(true)
        stepRows.removeAll()
        var row = start
        // The epoch of the record before, as placed: a record of the same epoch has the same number,
        // finds its epoch admitted and changes nothing that depends on the epoch alone.
        var placed: (epoch: Double, index: Int, progress: Double?)?
        while row < records.count {
            let position = records.position(row)
            guard let epoch = position.epoch, epoch.magnitude <= RunAssembler.largestEpoch,
                  position.step != nil || position.perStep || !epoch.isWhole else { break }
            let sameEpoch = placed.flatMap { $0.epoch == epoch ? $0 : nil }
            // The checks `isRestart` makes; a record placed before it here gave the builder content.
            if hasContent || row > start {
                if position.stepIsGlobal, let step = position.step, let last = lastGlobalStep, step < last { break }
                if !position.stepIsGlobal || position.step == nil, sameEpoch?.index ?? numbering.index(of: epoch) < currentEpoch { break }
            }
            if let planned = position.plannedEpochs, numbering.repeatedSingleEpochFits == 0 { plannedEpochs = planned }
            let current: (epoch: Double, index: Int, progress: Double?)
            if let sameEpoch {
                current = sameEpoch
            } else {
                sawEpoch = true
                let isWhole = epoch.isWhole
                if numbering.offset == nil, isWhole { numbering.offset = epoch == 0 ? 1 : 0 }
                let epochIndex = numbering.index(of: epoch)
                // `add` drops the record, saying so.
                if epochIndex != lastPlacedEpoch, epochsPlaced >= epochBudget { break }
                currentEpoch = Swift.max(currentEpoch, epochIndex)
                current = (epoch, epochIndex, isWhole ? nil : epoch)
            }
            if position.stepIsGlobal, let step = position.step { lastGlobalStep = step }
            if currentEpoch == 0 { currentEpoch = 1 }
            if countsSteps { stepCounter += 1 }
            if sameEpoch == nil { _ = admitsValues(of: current.index) }
            placed = current
            stepRows.append(StepRows.Row(epoch: current.index, step: position.step ?? stepCounter, progress: current.progress,
                                         line: records.line(row) + linesBefore))
            row += 1
        }
        guard row > start else { return 0 }
        // Made only now, as `add` makes them for the first record it places.
        let known = records.nameList == recentList
        let slots = records.names.indices.map { known ? recentSlots[$0] : slot(at: $0, of: records.names[$0]) }
        recentList = records.nameList
        let rows = records.values.rows(start..<row)
        for (column, slot) in slots.enumerated() {
            if perStep[column] {
                stepPoints[slot].append(rows.column(column), at: stepRows)
            } else {
                let values = rows.column(column)
                for (index, position) in stepRows.rows.enumerated() {
                    let entry = (value: values[index], line: position.line)
                    if (epochValues[slot]?[position.epoch] = entry) == nil { epochValues[slot] = [position.epoch: entry] }
                }
            }
        }
        return row - start
    }

    /// Whether each of the names is per step, when every value of a record goes to a slot of its
    /// own: two names of one slot and kind would take turns in it, which a column at a time would
    /// not keep.
    private func stepColumns(of names: ArrayView<MetricName>) -> [Bool]? {
        let perStep = names.map { ($0.granularityHint ?? .step) == .step }
        let plain = names.map { name -> MetricName in
            var plain = name
            plain.granularityHint = nil
            return plain
        }
        for index in names.indices {
            for other in names.indices.prefix(index) where perStep[other] == perStep[index] && plain[other] == plain[index] {
                return nil
            }
        }
        return perStep
    }
}
