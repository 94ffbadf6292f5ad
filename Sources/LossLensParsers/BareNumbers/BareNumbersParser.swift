import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Files of bare numbers, what `np.savetxt("loss.txt", losses)` or `f.write(f"{epoch},{loss}\n")`
/// leave:
///
///     6.2338                     one value per line
///     1,6.2338                   a counter, then values (comma, tab or blanks between them)
///
/// Nothing in such a file says what its numbers are, so it is read only when its name says it is a
/// log (`loss_log.txt`, `train_losses.csv`, `history.txt`) or when it comes on standard input. The
/// name also names a single value column when it names a metric (`loss`, `val_acc`); other columns
/// are `value`, `value_2`, …. A first column of whole numbers going up by one is the epoch; one that
/// goes back starts a new run, as a counter does in every other format. Without a counter each line
/// is a logged step. The run carries a note saying all this.
public struct BareNumbersParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.bareNumbers] }

    /// How the numbers of a file are laid out, read from its first lines.
    struct Layout: Equatable {
        /// Numbers per line.
        var width: Int
        /// Whether the first number of a line is its epoch.
        var counts: Bool
    }

    /// More numbers than this on a line is a table of data, not a log of a few metrics.
    static let widest = 4
    static let fewestRows = 3

    public func confidence(for input: LogInput) -> Double {
        guard input.source == "-" || !Self.logWords(in: input.fileName).isEmpty else { return 0 }
        // Below every reader that finds names in the file.
        return Self.layout(of: input.prefixData(LogInput.sniffBytes)) == nil ? 0 : 0.1
    }

    /// The layout when every line of the head holds the same number of numbers and nothing else.
    static func layout(of head: Data) -> Layout? {
        // A cheap refusal of the many inputs that open with a letter or a bracket.
        guard let first = head.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }),
              "-+.0123456789nNiI".utf8.contains(first) else { return nil }
        var rows: [[Double]] = []
        var consistent = true
        try? LineStream.screenLines(of: .memory(head)) { line in
            guard let state = line.lastSegment else { return true }
            // A line cut off by the end of the head is not judged.
            if state.upperBound == head.count, !rows.isEmpty { return false }
            let text = String(decoding: line.bytes[state], as: UTF8.self)
            guard !text.allSatisfy(\.isWhitespace) else { return true }
            guard let numbers = numbers(in: text), numbers.count <= widest, rows.first.map({ $0.count == numbers.count }) ?? true else {
                consistent = false
                return false
            }
            rows.append(numbers)
            return rows.count < 200
        }
        guard consistent, rows.count >= fewestRows else { return nil }
        let counters = rows.map(\.[0])
        let counts = rows[0].count >= 2 && counters.allSatisfy { $0 == $0.rounded() }
            && zip(counters, counters.dropFirst()).prefix(fewestRows).allSatisfy { $1 == $0 + 1 }
        return Layout(width: rows[0].count, counts: counts)
    }

    /// The numbers of a line, nil when anything else is on it.
    static func numbers(in text: String) -> [Double]? {
        let pieces = text.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == " " || $0 == "\r" })
        guard !pieces.isEmpty else { return nil }
        var values: [Double] = []
        for piece in pieces {
            guard piece.first.map({ $0.isNumber || "-+.nNiI".contains($0) }) == true, let value = NumberParsing.value(piece) else { return nil }
            values.append(value)
        }
        return values
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        guard let layout = Self.layout(of: input.prefixData(LogInput.sniffBytes)) else { return [] }
        let names = Self.valueNames(count: layout.width - (layout.counts ? 1 : 0), fileName: input.fileName)
        var assembler = RunAssembler(source: input.source, format: .bareNumbers, limits: input.runLimits)
        var row = 0
        try LineStream.screenLines(of: input.content) { line in
            guard let state = line.lastSegment, let numbers = Self.numbers(in: String(decoding: line.bytes[state], as: UTF8.self)),
                  numbers.count == layout.width else { return true }
            if layout.counts {
                assembler.add(MetricRecord(epoch: numbers[0], values: Array(zip(names, numbers.dropFirst())), line: line.number))
            } else {
                // Without a counter a line may as well be one batch's loss (`np.savetxt` of every
                // step): logged steps, which the analysis judges in medians of ten when there are many.
                row += 1
                assembler.add(MetricRecord(step: row, stepIsGlobal: true, values: Array(zip(names, numbers)), line: line.number))
            }
            return true
        }
        let note = Self.note(names: names, layout: layout, fileName: (input.source as NSString).lastPathComponent)
        return assembler.finish().map { run in
            var described = run
            described.notes.append(note)
            return described
        }
    }

    /// The words of a file name that say it holds a log (`loss`, `history`) or name a metric.
    static func logWords(in fileName: String) -> [String] {
        let stem = (fileName as NSString).deletingPathExtension
        return MetricName.words(of: stem).filter { logNames.contains($0) || metricNames.contains($0) }
    }

    // Not `train` or `metrics`: `data/train.csv` holds samples, not a log.
    private static let logNames: Set<String> = ["log", "logs", "history", "hist", "losses", "curve"]
    private static let splitWords: Set<String> = ["train", "training", "val", "valid", "validation", "eval", "test", "dev"]
    private static let metricNames: Set<String> = ["loss", "acc", "accuracy", "perplexity", "ppl", "bleu", "f1", "mae", "mse", "rmse"]

    /// `loss` for the one value of `loss_log.txt`, `val_acc` for `val_acc.csv`; `value`, `value_2`, …
    /// when the name names no metric or there are several values.
    static func valueNames(count: Int, fileName: String) -> [MetricName] {
        let stem = (fileName as NSString).deletingPathExtension
        // The metric and its split (`val`, `train`): the rest of a name is the project's or the run's.
        let words = MetricName.words(of: stem).map { $0 == "losses" ? "loss" : $0 }.filter { metricNames.contains($0) || splitWords.contains($0) }
        if count == 1, words.contains(where: metricNames.contains) {
            return [MetricName(raw: words.joined(separator: "_"))]
        }
        return (1...max(1, count)).map { MetricName(raw: $0 == 1 ? "value" : "value_\($0)") }
    }

    static func note(names: [MetricName], layout: Layout, fileName: String) -> String {
        let columns = names.map { "`\($0.canonical)`" }.joined(separator: ", ")
        let named = names.first?.base != "value" ? "named \(columns) after the file's name"
            : names.count > 1 ? "named \(columns) (several columns: the file's name cannot say which is which)"
            : "named \(columns) (the file's name names no metric)"
        let file = fileName == "-" ? "standard input" : fileName
        return "Read as bare numbers: \(file) holds only numbers, so "
            + (layout.counts ? "its first column was taken as the epoch and its values " : "each line was taken as a logged step and its values ")
            + "\(named). A header line (such as `epoch,loss`) would make the reading exact."
    }
}
