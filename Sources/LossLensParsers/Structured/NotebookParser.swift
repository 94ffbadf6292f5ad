import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Jupyter notebooks: the outputs of the code cells are read as console output (any console
/// dialect), and fastai progress tables (HTML `<table>` with `epoch`, `train_loss`, `valid_loss`)
/// as per-epoch tables.
///
/// Runs keep the format `notebook`; their name says what was read (`run 1 (keras-console)`,
/// `run 2 (fastai table)`). Evidence lines count the lines of the joined cell outputs, not of the
/// `.ipynb` file.
public struct NotebookParser: LogParser {
    public let library: PatternLibrary

    public init(library: PatternLibrary) {
        self.library = library
    }

    public var formats: [InputFormat] { [.notebook] }

    public func confidence(for input: LogInput) -> Double {
        guard input.opensJSONObject(within: 1024) else { return 0 }
        if input.prefix(1024, holds: "\"cells\"") { return 0.95 }
        return input.fileName.hasSuffix(".ipynb") ? 0.5 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        let document: LenientJSON.Document
        do {
            document = try LenientJSON.document(of: input, as: .notebook)
        } catch let error as LossLensError {
            throw LossLensError.brokenNotebook(source: input.source, reason: Self.reason(error))
        }
        guard let outputs = NotebookOutputs(root: document.root) else { return [] }
        let text = LogContent.memory(Data(outputs.text.utf8))
        var consoleRuns = try ConsoleParser(library: library).parse(content: text, source: input.source, limits: input.runLimits)
            .map { run in Self.relabeled(run, dialect: run.format.rawValue) }
        // Print styles no dialect reads: fastai's table as text, then the generic reader.
        let textTableRuns = try FastaiTableParser.runs(in: text, source: input.source, format: .notebook)
            .map { Self.relabeled($0, dialect: "fastai table") }
        if !consoleRuns.contains(where: \.hasMetrics), textTableRuns.isEmpty {
            let textInput = LogInput(source: input.source, content: text)
            if GenericConsoleParser().confidence(for: textInput) > 0 {
                consoleRuns += try GenericConsoleParser().parse(textInput).map { Self.relabeled($0, dialect: InputFormat.genericConsole.rawValue) }
            }
        }
        let tableRuns = progressTableRuns(outputs.htmlTables, source: input.source, limits: input.runLimits)
            .map { Self.relabeled($0, dialect: "fastai table") }
        let runs = consoleRuns + textTableRuns + tableRuns
        guard runs.count > 1 else { return runs }
        return runs.enumerated().map { index, run in
            var numbered = run
            numbered.name = numbered.name.replacingOccurrences(of: "run \\d+", with: "run \(index + 1)", options: .regularExpression)
            return numbered
        }
    }

    /// Why a notebook could not be loaded, without the source the error names again.
    private static func reason(_ error: LossLensError) -> String {
        switch error {
        case let .invalidJSON(_, _, reason): return "not valid JSON: \(reason)"
        case let .tooLargeToLoad(_, size, limit): return "\(bytes(size)) is over the \(bytes(limit)) a notebook is loaded up to"
        default: return error.localizedDescription
        }
    }

    private static func bytes(_ count: Int) -> String {
        count >= 1 << 20 ? "\(count >> 20) MB" : "\(count) bytes"
    }

    private static func relabeled(_ run: Run, dialect: String) -> Run {
        var relabeled = run
        relabeled.format = .notebook
        relabeled.name = "\(run.name) (\(dialect))"
        return relabeled
    }

    /// fastai computes the metric columns (`accuracy`, `perplexity`, `error_rate`) on the validation
    /// set, so they are named as validation metrics. Each table is one `fit` call, one run.
    private func progressTableRuns(_ tables: [[[String]]], source: String, limits: RunLimits) -> [Run] {
        var assembler = RunAssembler(source: source, format: .notebook, limits: limits)
        var ordinal = 0
        for table in tables {
            guard let header = table.first, Self.isProgressTable(header) else { continue }
            let names = header.map { name -> String in
                let lower = name.lowercased()
                return ["epoch", "train_loss", "valid_loss", "time"].contains(lower) ? name : "valid_" + name
            }
            let rows = table.dropFirst().map { cells -> CSVRow in
                ordinal += 1
                return CSVRow(line: ordinal, cells: cells)
            }
            CSVParser.add(header: names, rows: rows, to: &assembler, startsNewRun: true)
        }
        return assembler.finish()
    }

    static func isProgressTable(_ header: [String]) -> Bool {
        let names = Set(header.map { $0.lowercased() })
        return names.contains("epoch") && names.contains("train_loss")
    }
}
