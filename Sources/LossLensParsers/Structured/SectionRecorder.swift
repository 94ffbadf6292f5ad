@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Turns the rows of one section into records, in order.
@_spi(Layers) public struct SectionRecorder {
    private let section: CSVTableReading.Section
    /// Taken out of `section`, for every row.
    private let shape: CSVTableReading.Section.RowShape
    private let epochColumn: Int?
    private let stepColumn: Int?
    private let metricColumns: [Int]
    private var startsNewRun: Bool
    private var ordinal = 0
    private var currentLabel: [UInt8]?
    private var pendingLabel: String?
    /// The values of the row before, whose storage the next row reuses: the record handed out is
    /// gone by then, so refilling it allocates nothing (a table has millions of rows).
    private var values: [(name: MetricName, value: Double)] = []
    /// The names of each set of metrics a row of a batch has values for (bit `i`: the section's
    /// `i`-th metric), the last one at hand.
    private var sharedNames: [UInt64: SharedNames] = [:]
    private var lastSharedNames: (metrics: UInt64, names: SharedNames)?
    /// The number cells of the last row that held no text and the metrics it had values for:
    /// the rows of a per-step table repeat a few such sets (`CSVRow.numberCells`).
    private var lastNumberCells: (cells: UInt64, metrics: UInt64) = (0, 0)
    /// Every metric column is among the first 64 cells, which `CSVRow.numberCells` covers.
    private let metricsHaveCellBits: Bool

    @_spi(Layers) public init(section: CSVTableReading.Section, startsNewRun: Bool) {
        self.section = section
        self.startsNewRun = startsNewRun
        shape = section.rowShape
        epochColumn = section.columns.epoch
        stepColumn = section.columns.step
        metricColumns = section.columns.metrics.map(\.index)
        metricsHaveCellBits = metricColumns.allSatisfy { $0 < UInt64.bitWidth }
    }

    @_spi(Layers) public mutating func record(for row: CSVRow) -> MetricRecord? {
        guard let position = position(of: row) else { return nil }
        let columns = section.columns
        var record = MetricRecord(epoch: position.epoch, step: position.step, stepIsGlobal: position.stepIsGlobal, line: row.line)
        if let column = columns.runLabel {
            let label = row.cellOrEmpty(column) { Array($0.trimmingBlanks) }
            if !label.isEmpty, label != currentLabel {
                // The first label names the first run; starting a run before any values is harmless.
                let name = String(NumberParsing.trimmingWhitespace(section.header[column][...]))
                pendingLabel = "\(name) \(String(decoding: label, as: UTF8.self))"
                startsNewRun = true
                currentLabel = label
            }
        }
        values.removeAll(keepingCapacity: true)
        for column in columns.metrics {
            if let value = row.number(column.index) { values.append((column.name, value)) }
        }
        guard !values.isEmpty else { return nil }
        record.values = values
        record.startsNewRun = startsNewRun
        record.runLabel = pendingLabel
        startsNewRun = false
        pendingLabel = nil
        return record
    }

    /// Appends the record `record(for:)` makes of `row` to `batch`, its names shared by every row
    /// with values for the same metrics. Only for a section whose records start no run (no run
    /// label column, not the first section of a run): a batch's records never do.
    mutating func append(_ row: CSVRow, to batch: inout RecordBatch) {
        guard metricColumns.count <= UInt64.bitWidth else {
            if let record = record(for: row) { batch.append(record) }
            return
        }
        guard let position = position(of: row) else { return }
        let numberCells = metricsHaveCellBits ? row.numberCells : nil
        let present = numberCells == lastNumberCells.cells ? lastNumberCells.metrics : metrics(withValuesIn: row, numberCells: numberCells)
        guard present != 0 else { return }
        nameMetrics(present)
        // The columns to read are taken out of `self` first: a closure that captured it would make
        // the names passed beside it a copy, retained and released for every row.
        let columns = metricColumns
        _ = batch.append(line: row.line, names: lastSharedNames!.names) { values in
            var metrics = present
            while metrics != 0 {
                values.append(row.reading(columns[metrics.trailingZeroBitCount]).value)
                metrics &= metrics &- 1
            }
            return position
        }
    }

    /// The metrics `row` has values for: bit `i` for the section's `i`-th metric; kept with the
    /// row's number cells when known, for the rows that repeat them.
    private mutating func metrics(withValuesIn row: CSVRow, numberCells: UInt64?) -> UInt64 {
        var present: UInt64 = 0
        var bit: UInt64 = 1
        for column in metricColumns {
            if row.reading(column).kind == .number { present |= bit }
            bit &<<= 1
        }
        if let numberCells { lastNumberCells = (numberCells, present) }
        return present
    }

    /// Makes `lastSharedNames` the names of the metrics whose bits are set in `present`, in
    /// column order.
    @inline(__always)
    private mutating func nameMetrics(_ present: UInt64) {
        if lastSharedNames?.metrics == present { return }
        let names = sharedNames[present] ?? SharedNames(section.columns.metrics.indices.filter { present & (1 << UInt64($0)) != 0 }
            .map { section.columns.metrics[$0].name })
        sharedNames[present] = names
        lastSharedNames = (present, names)
    }

    /// Where the record of `row` is: its epoch and step, or its ordinal as the epoch in a table
    /// with neither; nil when the row makes no record (damaged, or a summary row).
    @inline(__always)
    private mutating func position(of row: CSVRow) -> RecordPosition? {
        ordinal += 1  // damaged rows still count as epochs
        guard !metricColumns.isEmpty, shape.fits(row) else { return nil }
        var position = RecordPosition()
        if let column = epochColumn {
            let epoch = row.number(column).flatMap(CSVColumns.position)
            if epoch == nil, stepColumn == nil { return nil }  // a summary row of a per-epoch table
            position.epoch = epoch
        }
        if let column = stepColumn, let step = row.number(column).flatMap(CSVColumns.position) {
            position.step = Int(step)
            position.stepIsGlobal = true
        }
        if epochColumn == nil, stepColumn == nil { position.epoch = Double(ordinal) }
        return position
    }
}
