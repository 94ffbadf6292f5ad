import Foundation

/// Metrics tables: Keras `CSVLogger` files, pandas `DataFrame(history.history).to_csv` dumps (with or
/// without the index column), Lightning `metrics.csv` (sparse step and epoch rows) and hand-written
/// per-epoch CSVs. Comma, semicolon and tab separated; quoted fields per RFC 4180.
///
/// Runs split where the epoch (or step) counter goes back (`CSVLogger(append=True)`), where the header
/// is written again, and where a `version`/`run` column changes value. Rows whose cell count differs
/// from the header's are skipped, as are rows without an epoch in a table that has an epoch column
/// (summary rows). `NA`, `null` and empty cells are "no value"; `nan` is a NaN value.
public struct CSVParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.csv] }

    public func confidence(for input: LogInput) -> Double {
        let head = input.prefix(8192)
        // Most inputs are not tables: their first row already says so, without splitting the rest.
        let isTableRow: (CSVTable.Row) -> Bool = { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard let firstRow = CSVTable(text: head, stopAfter: isTableRow).rows.first(where: isTableRow),
            CSVColumns.isHeader(firstRow.fields)
        else { return 0 }
        var rows = CSVTable(text: head).rows.map(\.fields).filter { !($0.count == 1 && $0[0].isEmpty) }
        if input.byteCount > 8192, rows.count > 2 { rows.removeLast() }  // possibly cut mid-row
        guard let header = rows.first, CSVColumns.isHeader(header) else { return 0 }
        let dataRows = Self.fitting(rows.dropFirst().map { CSVTable.Row(fields: $0, line: 0) }, header: header).map(\.fields)
        guard let first = dataRows.first else { return 0 }
        let columns = CSVColumns(header: header, rows: dataRows)
        guard !columns.metrics.isEmpty else { return 0 }
        let filled = first.filter { !CSVColumns.isMissing($0) }
        let numeric = filled.filter { CSVColumns.number($0) != nil }
        return numeric.count * 2 >= filled.count && !numeric.isEmpty ? 0.9 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        let table = CSVTable(text: try input.text())
        var assembler = RunAssembler(source: input.source, format: .csv)
        for (number, section) in Self.sections(of: table.rows).enumerated() {
            Self.add(header: section.header, rows: section.rows, to: &assembler, startsNewRun: number > 0)
        }
        return assembler.finish()
    }

    /// A header row and the rows up to the next header (a file appended to with its header repeated).
    private struct Section {
        var header: [String]
        var rows: [CSVTable.Row]
    }

    private static func sections(of rows: [CSVTable.Row]) -> [Section] {
        var sections: [Section] = []
        for row in rows {
            if CSVColumns.isHeader(row.fields) {
                sections.append(Section(header: row.fields, rows: []))
            } else if !sections.isEmpty {
                sections[sections.count - 1].rows.append(row)
            }
        }
        return sections
    }

    /// Adds the records of one table (a header and its rows) to `assembler`; also used for the HTML
    /// progress tables of notebooks.
    static func add(header: [String], rows allRows: [CSVTable.Row], to assembler: inout RunAssembler, startsNewRun first: Bool) {
        let rows = fitting(allRows, header: header)
        let columns = CSVColumns(header: header, rows: rows.map(\.fields))
        guard !columns.metrics.isEmpty else { return }
        var startsNewRun = first
        var currentLabel: String?
        var pendingLabel: String?
        for row in rows {
            var record = MetricRecord(line: row.line)
            if let column = columns.epoch {
                let epoch = CSVColumns.number(row.fields[column]).flatMap(CSVColumns.position)
                if epoch == nil, columns.step == nil { continue }  // a summary row of a per-epoch table
                record.epoch = epoch
            }
            if let column = columns.step, let step = CSVColumns.number(row.fields[column]).flatMap(CSVColumns.position) {
                record.step = Int(step)
                record.stepIsGlobal = true
            }
            if columns.epoch == nil, columns.step == nil { record.epoch = Double(row.ordinal) }
            if let column = columns.runLabel {
                let label = row.fields[column].trimmingCharacters(in: .whitespaces)
                if !label.isEmpty, label != currentLabel {
                    // The first label names the first run; starting a run before any values is harmless.
                    pendingLabel = "\(header[column].trimmingCharacters(in: .whitespaces)) \(label)"
                    startsNewRun = true
                    currentLabel = label
                }
            }
            record.values = columns.metrics.compactMap { column in
                CSVColumns.number(row.fields[column.index]).map { (column.name, $0) }
            }
            guard !record.values.isEmpty else { continue }
            record.startsNewRun = startsNewRun
            record.runLabel = pendingLabel
            startsNewRun = false
            pendingLabel = nil
            assembler.add(record)
        }
        if let warning = skippedRowsEvent(allRows, kept: rows, header: header) { assembler.addEvent(warning) }
    }

    /// A warning naming the damaged rows `fitting` left out, so a partial table is not taken as whole.
    private static func skippedRowsEvent(
        _ allRows: [CSVTable.Row], kept: [(fields: [String], line: Int, ordinal: Int)], header: [String]
    ) -> RunEvent? {
        let keptLines = Set(kept.map(\.line))
        let skipped = allRows.filter { !keptLines.contains($0.line) }
        guard let first = skipped.first else { return nil }
        let rows = skipped.count == 1 ? "1 row was" : "\(skipped.count) rows were"
        return RunEvent(
            kind: .inputDamaged,
            text: "\(rows) skipped because the number of cells differs from the header's \(header.count) "
                + "(first at line \(first.line), \(first.fields.count) cells)",
            line: first.line)
    }

    /// The rows that have the header's shape, each padded to the header's width, with its position
    /// among all rows (ragged rows still count as epochs). Extra cells must be empty; missing trailing
    /// cells are accepted only when most rows lack them (a writer that omits trailing empty cells),
    /// otherwise such a row is damaged and skipped.
    static func fitting(_ rows: [CSVTable.Row], header: [String]) -> [(fields: [String], line: Int, ordinal: Int)] {
        let shortRowsAreNormal = rows.filter { $0.fields.count < header.count }.count * 2 > rows.count
        return rows.enumerated().compactMap { index, row in
            let fields = row.fields
            if fields.count == header.count || (fields.count < header.count && shortRowsAreNormal) {
                return (fields + Array(repeating: "", count: header.count - fields.count), row.line, index + 1)
            }
            if fields.count > header.count, fields[header.count...].allSatisfy(\.isEmpty) {
                return (Array(fields.prefix(header.count)), row.line, index + 1)
            }
            return nil
        }
    }
}
