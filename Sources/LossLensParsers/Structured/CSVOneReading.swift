@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Reading a table once: each section's columns are decided from its first rows, and its records are
/// made with that decision while the rest of the section is still gathered. When the whole section
/// decides otherwise (text further down a numeric column, a column that turns out to be per step,
/// short rows that turn out to be the norm), the reading gives up and the table is read in passes.
extension CSVTableReading {
    /// The rows a section's columns are first decided from.
    static let defaultDecidingRows = 1024

    /// Adds the records of the whole table and returns true, or returns false and leaves `assembler`
    /// as it was when a decision taken from the first rows did not hold.
    func addRecordsInOneReading(to assembler: inout RunAssembler, firstStartsNewRun: Bool) throws -> Bool {
        var reading = assembler
        var section: GuessedSection?
        var sectionCount = 0
        do {
            try forEachRow(header: { header in
                try section?.finish(adding: &reading)
                section = GuessedSection(
                    header: header, decidingRows: decidingRows, startsNewRun: firstStartsNewRun || sectionCount > 0)
                sectionCount += 1
            }) { _, row in
                section?.add(row, to: &reading)
            }
            try section?.finish(adding: &reading)
        } catch is DecisionDidNotHold {
            return false
        }
        assembler = reading
        return true
    }
}

/// A decision taken from a section's first rows that the whole section overturned.
struct DecisionDidNotHold: Error {}

/// A section whose columns are decided from its first rows and checked against all of them.
private struct GuessedSection {
    private var gathered: CSVTableReading.Section
    private var firstRows: [CSVRow] = []
    private var decision: CSVColumnDecision?
    private var recorder: SectionRecorder?
    private let decidingRows: Int
    private let startsNewRun: Bool

    @_spi(Layers) public init(header: [String], decidingRows: Int, startsNewRun: Bool) {
        gathered = CSVTableReading.Section(header: header)
        self.decidingRows = max(1, decidingRows)
        self.startsNewRun = startsNewRun
    }

    @_spi(Layers) public mutating func add(_ row: CSVRow, to assembler: inout RunAssembler) {
        gathered.add(row)
        guard decision != nil else {
            firstRows.append(row.detached)
            if firstRows.count == decidingRows { decide(adding: &assembler) }
            return
        }
        decision?.track(row)
        if let record = recorder?.record(for: row) { assembler.add(record) }
    }

    private mutating func decide(adding assembler: inout RunAssembler) {
        let decision = CSVColumnDecision(gathered: gathered, firstRows: firstRows)
        var recorder = SectionRecorder(section: decision.section, startsNewRun: startsNewRun)
        for row in firstRows {
            if let record = recorder.record(for: row) { assembler.add(record) }
        }
        self.decision = decision
        self.recorder = recorder
        firstRows = []
    }

    /// Adds the section's warning, or throws when the whole section decides otherwise than its first rows.
    @_spi(Layers) public mutating func finish(adding assembler: inout RunAssembler) throws {
        if decision == nil { decide(adding: &assembler) }
        try decision?.finish(gathered, adding: &assembler)
    }
}

/// The columns of a section as its first rows decide them, and what the rows tell, one after the
/// other, of the granularity of the metrics whose values tell it (`CSVGranularity`).
struct CSVColumnDecision {
    private(set) var section: CSVTableReading.Section
    /// The metrics whose granularity their values tell, by position, and what the rows so far told.
    let undecided: [Int]
    var trackers: [CSVGranularity]

    /// Decides the columns of `gathered`, the section's first rows so far, which are `firstRows`.
    init(gathered: CSVTableReading.Section, firstRows: [CSVRow]) {
        section = gathered
        section.decideColumns()
        undecided = section.columns.undecidedMetrics
        let columns = section.columns
        trackers = undecided.map { CSVGranularity(column: columns.metrics[$0].index) }
        for row in firstRows { track(row) }
        granularities(into: &section.columns)
    }

    mutating func track(_ row: CSVRow) {
        guard !trackers.isEmpty, section.fits(row), let epoch = section.columns.epoch, let step = section.columns.step
        else { return }
        for index in trackers.indices { trackers[index].add(row, epoch: epoch, step: step) }
    }

    func granularities(into columns: inout CSVColumns) {
        for (tracker, position) in undecided.enumerated() {
            columns.metrics[position].name.granularityHint = trackers[tracker].isPerStep ? .step : .epoch
        }
    }

    /// Adds the warning of `gathered`, the whole section, or throws when it decides otherwise.
    func finish(_ gathered: CSVTableReading.Section, adding assembler: inout RunAssembler) throws {
        var whole = gathered
        whole.decideColumns()
        guard whole.shortRowsAreNormal == section.shortRowsAreNormal, whole.columns.undecidedMetrics == undecided
        else { throw DecisionDidNotHold() }
        granularities(into: &whole.columns)
        guard whole.columns.isSameDecision(as: section.columns) else { throw DecisionDidNotHold() }
        if !whole.columns.metrics.isEmpty, let warning = whole.skippedRowsEvent { assembler.addEvent(warning) }
        if !whole.columns.metrics.isEmpty, let note = whole.columns.constantEpochNote { assembler.addNote(note) }
    }
}
