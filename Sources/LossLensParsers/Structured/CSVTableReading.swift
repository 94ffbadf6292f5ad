@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Reads a metrics table without holding it whole: once, with each section's columns decided from
/// its first rows (`addRecordsInOneReading`), or, when a later row overturns that decision, in passes
/// over its rows: the row counts of each section (a header and the rows up to the next header) and
/// what each column holds, then (Lightning tables only) which columns are per step, then the records.
@_spi(Layers) public struct CSVTableReading {
    @_spi(Layers) public enum Source {
        /// A file or standard input: a row that reads as a header starts a section.
        case content(CSVRowReader)
        /// One table whose header is known (a notebook's HTML progress table).
        case table(header: [String], rows: [CSVRow])
    }

    /// A header and what the rows under it hold.
    @_spi(Layers) public struct Section {
        @_spi(Layers) public var header: [String]
        @_spi(Layers) public var columns = CSVColumns()
        fileprivate var rowCount = 0
        /// What the cells held in rows as wide as the header (or wider, with empty extra cells),
        /// and in shorter rows, which count only where they are the norm.
        fileprivate var fullRowCells: CSVCellKinds
        fileprivate var shortRowCells: CSVCellKinds
        fileprivate var overlongRows = SkippedRows()
        fileprivate var shortRows = SkippedRows()

        @_spi(Layers) public init(header: [String]) {
            self.header = header
            let counted = CSVColumns.columnsWhoseNumbersCount(in: header)
            fullRowCells = CSVCellKinds(width: header.count, counted: counted)
            shortRowCells = CSVCellKinds(width: header.count, counted: counted)
        }

        /// Missing trailing cells are accepted only when most rows lack them (a writer that omits
        /// trailing empty cells); otherwise such a row is damaged.
        var shortRowsAreNormal: Bool { shortRows.count * 2 > rowCount }

        /// Whether `row` has the header's shape: as many cells, extra cells that are empty, or
        /// fewer cells where that is the norm (they read as empty).
        @_spi(Layers) public func fits(_ row: CSVRow) -> Bool {
            rowShape.fits(row)
        }

        /// What `fits` asks of a row, taken out of the section for the readers of every row.
        var rowShape: RowShape { RowShape(width: header.count, shortRowsAreNormal: shortRowsAreNormal) }

        struct RowShape {
            let width: Int
            let shortRowsAreNormal: Bool

            @inline(__always)
            func fits(_ row: CSVRow) -> Bool {
                row.count == width || fitsOtherwise(row)
            }

            private func fitsOtherwise(_ row: CSVRow) -> Bool {
                if row.count < width && shortRowsAreNormal { return true }
                return row.count > width && (width..<row.count).allSatisfy { row.cell($0, \.isEmpty) }
            }
        }

        /// Inlined into the readers of every row, as `CSVCellKinds.add` is.
        @inline(__always)
        @_spi(Layers) public mutating func add(_ row: CSVRow) {
            rowCount += 1
            if row.count < header.count {
                shortRows.add(row)
                shortRowCells.add(row)
            } else if fits(row) {
                fullRowCells.add(row)
            } else {
                overlongRows.add(row)
            }
        }

        /// Adds what `later` gathered from the rows that follow these, its lines counted from a
        /// block that starts after `linesBefore` lines: what adding those rows here would have gathered.
        mutating func append(_ later: Section, linesBefore: Int) {
            rowCount += later.rowCount
            fullRowCells.append(later.fullRowCells)
            shortRowCells.append(later.shortRowCells)
            overlongRows.merge(later.overlongRows, linesBefore: linesBefore)
            shortRows.merge(later.shortRows, linesBefore: linesBefore)
        }

        mutating func decideColumns() {
            var cells = fullRowCells
            if shortRowsAreNormal { cells.merge(shortRowCells) }
            columns = CSVColumns(header: header, cells: cells)
        }

        /// A warning naming the damaged rows left out, so a partial table is not taken as whole.
        var skippedRowsEvent: RunEvent? {
            var skipped = overlongRows
            if !shortRowsAreNormal { skipped.merge(shortRows) }
            guard let first = skipped.first else { return nil }
            let rows = skipped.count == 1 ? "1 row was" : "\(skipped.count) rows were"
            return RunEvent(
                kind: .inputDamaged,
                text: "\(rows) skipped because the number of cells differs from the header's \(header.count) "
                    + "(first at line \(first.line), \(first.cells) cells)",
                line: first.line)
        }
    }

    /// Rows of one kind of damage: how many, and the first.
    fileprivate struct SkippedRows {
        @_spi(Layers) public var count = 0
        @_spi(Layers) public var first: (line: Int, cells: Int)?

        @_spi(Layers) public mutating func add(_ row: CSVRow) {
            count += 1
            if first == nil { first = (row.line, row.count) }
        }

        @_spi(Layers) public mutating func merge(_ other: SkippedRows, linesBefore: Int = 0) {
            count += other.count
            if let theirs = other.first, theirs.line + linesBefore < first?.line ?? .max { first = (theirs.line + linesBefore, theirs.cells) }
        }
    }

    @_spi(Layers) public let source: Source
    /// How many rows of a section decide its columns when the table is read once.
    @_spi(Layers) public var decidingRows = defaultDecidingRows
    /// The names a table's writer means by its column names (Ultralytics' `metrics/mAP50(B)` is the
    /// validation mAP at IoU 0.5); nil keeps them as printed.
    var headerNames: (([String]) -> [String])?

    /// Calls `header` at each header and `row` with each data row and the index of its section.
    func forEachRow(header: ([String]) throws -> Void, row: (Int, CSVRow) throws -> Void) throws {
        switch source {
        case let .content(reader):
            var section = -1
            try reader.forEachRow { line in
                if CSVColumns.isHeader(line) {
                    section += 1
                    try header(headerNames?(line.strings) ?? line.strings)
                } else if section >= 0 {
                    try row(section, line)
                }
                return true
            }
        case let .table(names, rows):
            try header(names)
            for line in rows { try row(0, line) }
        }
    }

    /// Reads the rows once to tell what each column holds, and once more for Lightning tables
    /// whose columns do not say whether they are per step or per epoch.
    func sections() throws -> [Section] {
        var sections: [Section] = []
        try forEachRow(header: { sections.append(Section(header: $0)) }) { index, row in sections[index].add(row) }
        for index in sections.indices { sections[index].decideColumns() }
        try decideGranularity(of: &sections)
        return sections
    }

    private func decideGranularity(of sections: inout [Section]) throws {
        let undecided = sections.map(\.columns.undecidedMetrics)
        guard undecided.contains(where: { !$0.isEmpty }) else { return }
        var trackers = sections.indices.map { index in
            undecided[index].map { CSVGranularity(column: sections[index].columns.metrics[$0].index) }
        }
        try forEachRow(header: { _ in }) { index, row in
            guard index < sections.count, !trackers[index].isEmpty, sections[index].fits(row),
                let epoch = sections[index].columns.epoch, let step = sections[index].columns.step
            else { return }
            for tracker in trackers[index].indices { trackers[index][tracker].add(row, epoch: epoch, step: step) }
        }
        for index in sections.indices {
            for (tracker, position) in undecided[index].enumerated() {
                sections[index].columns.metrics[position].name.granularityHint = trackers[index][tracker].isPerStep ? .step : .epoch
            }
        }
    }

    /// How many workers read a table in blocks (`CSVBlockReading`), and blocks of how many bytes;
    /// nil: as `ParallelConsoleReading` decides for a log of the table's size. One worker reads in order.
    var blockWorkers: Int?
    var blockBytes: Int?

    /// Adds a record for each row, and each section's warning after it: in one reading when the
    /// columns decided from each section's first rows hold for all of it (in blocks on all cores
    /// when the table is large), else in passes.
    func addRecords(to assembler: inout RunAssembler, firstStartsNewRun: Bool) throws {
        guard case let .content(reader) = source else {
            return try addRecordsInPasses(to: &assembler, firstStartsNewRun: firstStartsNewRun)
        }
        let workers = blockWorkers ?? ParallelConsoleReading.workers(for: reader.content)
        if workers > 1, !firstStartsNewRun {
            let blocks = CSVBlockReading(table: self, workers: workers, blockBytes: blockBytes ?? CSVBlockReading.defaultBlockBytes)
            switch try blocks.read(reader, into: &assembler) {
            case .read: return
            case .decisionDidNotHold: return try addRecordsInPasses(to: &assembler, firstStartsNewRun: firstStartsNewRun)
            case .mustReadInOrder: break
            }
        }
        if try addRecordsInOneReading(to: &assembler, firstStartsNewRun: firstStartsNewRun) { return }
        try addRecordsInPasses(to: &assembler, firstStartsNewRun: firstStartsNewRun)
    }

    /// Reads the rows to decide the columns, then once more to add a record for each.
    func addRecordsInPasses(to assembler: inout RunAssembler, firstStartsNewRun: Bool) throws {
        let sections = try sections()
        var current = -1
        var recorder: SectionRecorder?
        func finishSection() {
            if sections.indices.contains(current), !sections[current].columns.metrics.isEmpty, let warning = sections[current].skippedRowsEvent {
                assembler.addEvent(warning)
            }
            if sections.indices.contains(current), !sections[current].columns.metrics.isEmpty, let note = sections[current].columns.constantEpochNote {
                assembler.addNote(note)
            }
        }
        try forEachRow(header: { _ in
            finishSection()
            current += 1
            // A file rewritten between the readings may show a header the first reading did not.
            recorder = current < sections.count
                ? SectionRecorder(section: sections[current], startsNewRun: firstStartsNewRun || current > 0) : nil
        }) { _, row in
            if let record = recorder?.record(for: row) { assembler.add(record) }
        }
        finishSection()
    }
}
