import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Metrics tables: Keras `CSVLogger` files, pandas `DataFrame(history.history).to_csv` dumps (with or
/// without the index column), Lightning `metrics.csv` (sparse step and epoch rows) and hand-written
/// per-epoch CSVs. Comma, semicolon and tab separated; quoted fields per RFC 4180.
///
/// Runs split where the epoch (or step) counter goes back (`CSVLogger(append=True)`), where the header
/// is written again, and where a `version`/`run` column changes value. Rows whose cell count differs
/// from the header's are skipped, as are rows without an epoch in a table that has an epoch column
/// (summary rows). `NA`, `null` and empty cells are "no value"; `nan` is a NaN value.
///
/// Files are streamed and read once: each section's columns are decided from its first rows and
/// checked against the rest, and the table is read in passes only when a later row overturns that
/// decision (see `CSVTableReading`); memory grows with the points, not with the file.
public struct CSVParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.csv] }

    public func confidence(for input: LogInput) -> Double {
        var head = input.prefixData(8192)
        // A header of thousands of columns runs past 8 KB: the sample reaches two rows below it.
        if head.count == 8192, head.lazy.filter({ $0 == 0x0A }).count < 3 { head = input.prefixData(LogInput.sniffBytes) }
        guard let reader = try? CSVRowReader(content: .memory(head)) else { return 0 }
        var rows: [CSVRow] = []
        // Most inputs are not tables: their first row already says so, without splitting the rest.
        try? reader.forEachRow { row in
            guard !(row.count == 1 && row.cell(0, \.isEmpty)) else { return true }
            rows.append(row.detached)
            return rows.count > 1 || CSVColumns.isHeader(row)
        }
        guard let header = rows.first, CSVColumns.isHeader(header) else { return 0 }
        if input.byteCount > head.count, rows.count > 2 { rows.removeLast() }  // possibly cut mid-row
        let table = CSVTableReading(source: .table(header: header.strings, rows: Array(rows.dropFirst())))
        guard let section = try? table.sections().first, !section.columns.metrics.isEmpty,
            let first = rows.dropFirst().first(where: { section.fits($0) })
        else { return 0 }
        var filled = 0
        var numeric = 0
        for index in 0..<section.header.count where !first.isMissing(index) {
            filled += 1
            if first.number(index) != nil { numeric += 1 }
        }
        return numeric * 2 >= filled && numeric > 0 ? 0.9 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        try parse(input, chunkBytes: CSVRowReader.defaultChunkBytes)
    }

    /// A table whose writer is known: its runs report `format`, its columns named by `headerNames`.
    static func parse(_ input: LogInput, format: InputFormat, headerNames: @escaping ([String]) -> [String]) throws -> [Run] {
        var assembler = RunAssembler(source: input.source, format: format, limits: input.runLimits)
        var table = CSVTableReading(source: .content(try CSVRowReader(content: input.content)))
        table.headerNames = headerNames
        try table.addRecords(to: &assembler, firstStartsNewRun: false)
        return assembler.finish()
    }

    /// Reads `input` in chunks of `chunkBytes`, so a fuzz target can check that where chunks end
    /// does not change the rows, that reading once with columns decided from the first
    /// `decidingRows` rows gives what reading in passes (`inPasses`) gives, and that reading in
    /// blocks of `blockBytes` on `blockWorkers` workers, whatever the size, gives what reading in
    /// order gives.
    @_spi(Fuzzing)
    public func parse(
        _ input: LogInput, chunkBytes: Int, decidingRows: Int? = nil, inPasses: Bool = false,
        blockWorkers: Int? = nil, blockBytes: Int? = nil
    ) throws -> [Run] {
        var assembler = RunAssembler(source: input.source, format: .csv, limits: input.runLimits)
        var table = CSVTableReading(source: .content(try CSVRowReader(content: input.content, chunkBytes: chunkBytes)))
        if let decidingRows { table.decidingRows = decidingRows }
        table.blockWorkers = blockWorkers
        table.blockBytes = blockBytes
        if inPasses {
            try table.addRecordsInPasses(to: &assembler, firstStartsNewRun: false)
        } else {
            try table.addRecords(to: &assembler, firstStartsNewRun: false)
        }
        return assembler.finish()
    }

    /// Adds the records of one table (a header and its rows) to `assembler`: the HTML progress
    /// tables of notebooks.
    @_spi(Layers) public static func add(header: [String], rows: [CSVRow], to assembler: inout RunAssembler, startsNewRun: Bool) {
        let table = CSVTableReading(source: .table(header: header, rows: rows))
        try? table.addRecords(to: &assembler, firstStartsNewRun: startsNewRun)
    }
}
