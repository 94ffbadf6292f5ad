@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Reads a large table on several cores, as `ParallelConsoleReading` reads a console log: each
/// worker takes the next byte range and reads the rows that start in it (`LineBlock`), and the
/// worker that finishes the next block in table order places its records into runs (`OrderedJobs`).
///
/// The columns are decided from the first rows, as reading once decides them
/// (`CSVColumnDecision`); what every row tells of them is gathered block by block, joined in table
/// order and checked at the end, so the runs are those of reading once. Only rows that are lines
/// can be read from any block: a quote (which may hold a line break), a `\r` that ends no line, a
/// header after the first line or a line of `LineStream.lineCap` bytes makes the reading give up,
/// and the table is read in order.
struct CSVBlockReading {
    enum Outcome {
        case read
        /// The rows are not all lines, or the first rows cannot decide the columns alone.
        case mustReadInOrder
        /// The whole table overturned the decision taken from its first rows: only reading in passes is exact.
        case decisionDidNotHold
    }

    /// A block of short rows makes many records: the batches in flight (two per worker) and the
    /// ones kept for reuse hold some 100 bytes per row, so blocks are a quarter of a console log's.
    static let defaultBlockBytes = 256 << 10

    let table: CSVTableReading
    let workers: Int
    let blockBytes: Int

    func read(_ reader: CSVRowReader, into assembler: inout RunAssembler) throws -> Outcome {
        guard let (header, decision) = try firstRowsDecision(reader) else { return .mustReadInOrder }
        let rows = CSVBlockRows(delimiter: reader.delimiter, header: header, decision: decision, blockBytes: blockBytes)
        let placement = Guarded(CSVBlockPlacement(assembler: assembler, header: header, decision: decision.replayingTrackers()))
        let source = try reader.content.makePositionalReader()
        try OrderedJobs<CSVBlockOutcome>.runBlocks(
            size: reader.content.byteCount, blockBytes: blockBytes, workers: workers,
            read: { rows.read(rowsStartingIn: $0, of: source) },
            consume: { outcome in
                defer { rows.recycle(outcome.records) }
                return try placement.withLock { try $0.place(outcome) }
            })
        var placed = placement.withLock { $0 }
        if placed.mustReadInOrder { return .mustReadInOrder }
        do {
            try placed.decision.finish(placed.gathered, adding: &placed.assembler)
        } catch is DecisionDidNotHold {
            return .decisionDidNotHold
        }
        assembler = placed.assembler
        return .read
    }

    /// The header on the first line and the columns its first `decidingRows` rows decide; nil when
    /// the table does not start so, or when the decision is one that rows read apart cannot follow
    /// (rows numbered as epochs, a column naming runs).
    private func firstRowsDecision(_ reader: CSVRowReader) throws -> (header: [String], decision: CSVColumnDecision)? {
        let decidingRows = max(1, table.decidingRows)
        var gathered: CSVTableReading.Section?
        var firstRows: [CSVRow] = []
        var startsPlainly = true
        try reader.forEachRow { row in
            let isHeader = CSVColumns.isHeader(row)
            guard var section = gathered else {
                startsPlainly = row.line == 1 && isHeader
                gathered = CSVTableReading.Section(header: table.headerNames?(row.strings) ?? row.strings)
                return startsPlainly
            }
            startsPlainly = !isHeader
            guard startsPlainly else { return false }
            section.add(row)
            gathered = section
            firstRows.append(row.detached)
            return firstRows.count < decidingRows
        }
        guard startsPlainly, let gathered, firstRows.count == decidingRows else { return nil }
        let decision = CSVColumnDecision(gathered: gathered, firstRows: firstRows)
        let columns = decision.section.columns
        guard columns.epoch != nil || columns.step != nil, columns.runLabel == nil else { return nil }
        return (gathered.header, decision)
    }
}

/// What a worker read in one block of a table: its records, what its rows held, what they tell the
/// granularity trackers, and its line count.
private struct CSVBlockOutcome {
    var records: RecordBatch
    var gathered: CSVTableReading.Section
    var observations: [CSVColumnDecision.Observation] = []
    var newlines = 0
    /// A row of the block is not a line (see `CSVBlockReading`).
    var mustReadInOrder = false
    var error: Error?
}

/// Places the blocks in table order: their records into runs, what their rows held into the
/// section's whole, and their observations into the trackers.
private struct CSVBlockPlacement {
    var assembler: RunAssembler
    var gathered: CSVTableReading.Section
    var decision: CSVColumnDecision
    private(set) var mustReadInOrder = false
    private var linesBefore = 0
    private var batchesPlaced = 0

    init(assembler: RunAssembler, header: [String], decision: CSVColumnDecision) {
        self.assembler = assembler
        gathered = CSVTableReading.Section(header: header)
        self.decision = decision
    }

    mutating func place(_ outcome: CSVBlockOutcome) throws -> Bool {
        if let error = outcome.error { throw error }
        if outcome.mustReadInOrder {
            mustReadInOrder = true
            return false
        }
        gathered.append(outcome.gathered, linesBefore: linesBefore)
        for observation in outcome.observations { decision.replay(observation) }
        batchesPlaced += 1
        let linesBefore = linesBefore
        outcome.records.forEach(serial: batchesPlaced, records: { assembler.add($0, linesBefore: linesBefore) },
                                event: { assembler.addEvent($0) })
        self.linesBefore += outcome.newlines
        return true
    }
}

/// Reads the rows of one block; each worker takes a buffer and a row from the idle ones and gives
/// them back, so they are made once per worker, not once per block, and so are the batches of
/// records once placed.
private final class CSVBlockRows {
    private struct Worker {
        var row = CSVRow()
        var recorder: SectionRecorder
        let block: LineBlock
    }

    private let delimiter: UInt8
    private let header: [String]
    private let decision: CSVColumnDecision
    private let observer: CSVColumnDecision.GranularityObserver
    private let blockBytes: Int
    private let idle = Guarded<[Worker]>([])
    private let idleBatches = Guarded<[RecordBatch]>([])

    init(delimiter: UInt8, header: [String], decision: CSVColumnDecision, blockBytes: Int) {
        self.delimiter = delimiter
        self.header = header
        self.decision = decision
        observer = decision.observer
        self.blockBytes = blockBytes
    }

    /// Keeps a placed batch for a later block to fill.
    func recycle(_ batch: RecordBatch) {
        idleBatches.withLock { $0.append(batch) }
    }

    /// Reads the rows that start in `range`, each line of the block a row (the first line of the
    /// table is its header).
    func read(rowsStartingIn range: Range<Int>, of source: any PositionalReader) -> CSVBlockOutcome {
        var worker = idle.withLock { $0.popLast() }
            ?? Worker(recorder: SectionRecorder(section: decision.section, startsNewRun: false),
                      block: LineBlock(capacity: blockBytes + blockBytes / 4 + (64 << 10)))
        defer { idle.withLock { $0.append(worker) } }
        var records = idleBatches.withLock { $0.popLast() } ?? RecordBatch()
        records.removeAll()
        var outcome = CSVBlockOutcome(records: records, gathered: CSVTableReading.Section(header: header))
        let lines: LineBlock.Lines
        do {
            lines = try worker.block.load(linesStartingIn: range, from: source, lineCap: LineStream.lineCap)
        } catch {
            outcome.error = error
            return outcome
        }
        let all = lines.bytes
        guard !lines.reachesOverlongLine, all.firstIndex(of: UInt8(ascii: "\"")) == nil else {
            outcome.mustReadInOrder = true
            return outcome
        }
        let hasCarriageReturns = all.firstIndex(of: 0x0D) != nil
        var start = 0
        while start < all.count {
            let found = all.firstIndex(of: 0x0A, from: start)
            let end = found ?? all.count
            var line = all[start..<end]
            if hasCarriageReturns {
                if line.count > 0, line[line.count - 1] == 0x0D { line = line[..<(line.count - 1)] }
                guard line.firstIndex(of: 0x0D) == nil else {
                    outcome.mustReadInOrder = true
                    return outcome
                }
            }
            // Blank lines are no rows, as in `CSVRowReader`; the table's first line is its header.
            if !line.isEmpty, lines.offset + start > 0 {
                worker.row.clear()
                worker.row.borrow(line, delimiter: delimiter)
                worker.row.line = outcome.newlines + 1
                guard !CSVColumns.isHeader(worker.row) else {
                    outcome.mustReadInOrder = true
                    return outcome
                }
                outcome.gathered.add(worker.row)
                observer.observe(worker.row, into: &outcome.observations)
                worker.recorder.append(worker.row, to: &outcome.records)
            }
            if found != nil { outcome.newlines += 1 }
            start = end + 1
        }
        return outcome
    }
}

extension CSVColumnDecision {
    /// A row whose cell in a tracker's column holds a number, as the tracker takes it
    /// (`CSVGranularity.add(step:epochCell:)`).
    struct Observation {
        var tracker: Int
        var step: Double?
        var epochCell: [UInt8]
    }

    /// What tells the trackers that the first rows left per epoch what a row holds; the others
    /// stay per step whatever the rows hold.
    var observer: GranularityObserver {
        let columns = section.columns
        var observed = trackers.indices.filter { !trackers[$0].isPerStep }.map { (tracker: $0, column: trackers[$0].column) }
        if columns.epoch == nil || columns.step == nil { observed = [] }
        return GranularityObserver(shape: section.rowShape, epoch: columns.epoch ?? 0, step: columns.step ?? 0, observed: observed)
    }

    /// The observations of one row, as `track` takes it.
    struct GranularityObserver {
        let shape: CSVTableReading.Section.RowShape
        let epoch: Int
        let step: Int
        let observed: [(tracker: Int, column: Int)]
        /// The observed columns as cell bits (`CSVRow.numberCells`); nil when one is past the 64th.
        private let observedCells: UInt64?

        init(shape: CSVTableReading.Section.RowShape, epoch: Int, step: Int, observed: [(tracker: Int, column: Int)]) {
            self.shape = shape
            self.epoch = epoch
            self.step = step
            self.observed = observed
            observedCells = observed.allSatisfy { $0.column < UInt64.bitWidth }
                ? observed.reduce(0) { $0 | 1 << UInt64($1.column) } : nil
        }

        /// Inlined into the block reader: most rows of a per-step table have no number in an
        /// observed column.
        @inline(__always)
        func observe(_ row: CSVRow, into observations: inout [Observation]) {
            if let observedCells, let numberCells = row.numberCells, numberCells & observedCells == 0 { return }
            observeCells(of: row, into: &observations)
        }

        /// The observations of a row that may have a number in an observed column.
        private func observeCells(of row: CSVRow, into observations: inout [Observation]) {
            for (tracker, column) in observed where row.number(column) != nil {
                guard shape.fits(row) else { return }
                observations.append(Observation(tracker: tracker, step: row.number(step), epochCell: row.cellOrEmpty(epoch) { Array($0) }))
            }
        }
    }

    /// This decision with the trackers that the first rows left per epoch started again, to be
    /// told every row of the section in order (`replay`) by the observations of its blocks.
    func replayingTrackers() -> CSVColumnDecision {
        var replaying = self
        for index in trackers.indices where !trackers[index].isPerStep {
            replaying.trackers[index] = CSVGranularity(column: trackers[index].column)
        }
        return replaying
    }

    mutating func replay(_ observation: Observation) {
        trackers[observation.tracker].add(step: observation.step, epochCell: observation.epochCell)
    }
}
