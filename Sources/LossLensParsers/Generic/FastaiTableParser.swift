import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// fastai's progress table as text, as a terminal (or a notebook's text output) shows it:
///
///     epoch     train_loss  valid_loss  accuracy  time
///     0         0.736318    0.379632    0.842000  00:12
///     1         0.412000    0.301000    0.870000  00:11
///
/// A header starts with `epoch` and names `train_loss`; the rows under it have as many cells, the
/// first a whole number. As with the HTML tables of notebooks, fastai computes the metric columns
/// (`accuracy`, `error_rate`, `perplexity`) on the validation set, so they are validation metrics,
/// `#na#` is no value, and each table is one `fit` call, one run. Lines between rows (a progress
/// bar's last state) do not end a table; a line of other text does.
public struct FastaiTableParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.fastaiConsole] }

    public func confidence(for input: LogInput) -> Double {
        // Every input is asked: most say no at once.
        guard input.prefix(LogInput.sniffBytes, holds: "train_loss") else { return 0 }
        var found = false
        var lines = 0
        try? LineStream.screenLines(of: .memory(input.prefixData(LogInput.sniffBytes))) { line in
            lines += 1
            if let state = line.lastSegment, Self.header(line.bytes[state]) != nil { found = true }
            return !found && lines < 3000
        }
        // Above the generic reader, which would read a row's numbers without their names.
        return found ? 0.115 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        try Self.runs(in: input.content, source: input.source, format: .fastaiConsole)
    }

    /// The runs of the tables in `content`.
    static func runs(in content: LogContent, source: String, format: InputFormat) throws -> [Run] {
        var assembler = RunAssembler(source: source, format: format)
        var header: [String]?
        var rows: [CSVRow] = []
        var tables = 0
        func finishTable() {
            if let header, !rows.isEmpty {
                CSVParser.add(header: header, rows: rows, to: &assembler, startsNewRun: tables > 0)
                tables += 1
            }
            header = nil
            rows = []
        }
        try LineStream.screenLines(of: content) { line in
            guard let state = line.lastSegment else { return true }
            let bytes = line.bytes[state]
            if let names = Self.header(bytes) {
                finishTable()
                header = names
                return true
            }
            guard let current = header else { return true }
            let cells = Self.cells(bytes)
            if cells.count == current.count, Int(cells[0]) != nil {
                rows.append(CSVRow(line: line.number, cells: cells))
            } else if !Self.isProgressBar(bytes) {
                finishTable()
            }
            return true
        }
        finishTable()
        return assembler.finish()
    }

    static func cells(_ bytes: ArraySlice<UInt8>) -> [String] {
        bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The column names of a header line (metric columns named as validation metrics), nil for other lines.
    /// A progress bar's last state may follow the names on the line (`time    ██████| 100.00% […]`).
    static func header(_ bytes: ArraySlice<UInt8>) -> [String]? {
        let names = Array(cells(bytes).prefix { name in
            name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        })
        guard names.count >= 3, names[0].lowercased() == "epoch", names.contains(where: { $0.lowercased() == "train_loss" })
        else { return nil }
        return names.map { name in
            ["epoch", "train_loss", "valid_loss", "time"].contains(name.lowercased()) ? name : "valid_" + name
        }
    }

    /// A progress bar's state between rows (`|████| 100.00% [2/2 00:10<00:00]`, `Epoch 1/4 : …`).
    private static func isProgressBar(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("%") && (text.contains("|") || text.contains("<")) || text.contains("█")
    }
}
