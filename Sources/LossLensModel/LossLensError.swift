import Foundation
@_spi(Layers) import LossLensBytes

/// Errors about the user's input, with messages that say what to do.
public enum LossLensError: LocalizedError, Equatable {
    case noSuchFile(String)
    case noMetrics(source: String, tried: [InputFormat])
    case emptyInput(source: String)
    case tooLargeToLoad(source: String, size: Int, limit: Int)
    case invalidJSON(source: String, format: InputFormat, reason: String)
    case binaryInput(source: String)
    case noLogFiles(directory: String)
    /// A notebook that cannot be read as one (truncated, trailing bytes, too large): its JSON text
    /// is never read as console output instead.
    case brokenNotebook(source: String, reason: String)
    /// A tab-separated table of text (a manifest or notes file): it mentions losses, it logs none.
    case proseTable(source: String)

    /// Whether no other reader may try the input after this error.
    public var endsReading: Bool {
        if case .brokenNotebook = self { return true }
        return false
    }

    public var errorDescription: String? {
        switch self {
        case let .noSuchFile(path):
            return "\(path): no such file or directory"
        case let .noMetrics(source, tried):
            let names = tried.map(\.rawValue).joined(separator: ", ")
            return "\(source): no training metrics found (tried: \(names)). If this is a console log in a "
                + "format losslens does not know, add a pattern file with --patterns DIR (see README), "
                + "or force a dialect with --input-format."
        case let .emptyInput(source):
            return "\(source): the input is empty"
        case let .tooLargeToLoad(source, size, limit):
            return "\(source): \(size >> 20) MB is too large to read as one document (the limit is \(limit >> 20) MB); "
                + "console logs of any size are read line by line: force that with --input-format <console dialect>, "
                + "or export the metrics to a smaller file."
        case let .invalidJSON(source, format, reason):
            return "\(source): not valid JSON, so it cannot be read as \(format.rawValue): \(reason)"
        case let .binaryInput(source):
            return "\(source): binary data, not a training log (losslens reads console output, CSV, JSON, "
                + "notebooks and TensorBoard event files)"
        case let .brokenNotebook(source, reason):
            return "\(source): a broken notebook, so it was not read: \(reason). Open and save it in Jupyter, or pass its "
                + "outputs as a log."
        case let .proseTable(source):
            return "\(source): a tab-separated table of text (a manifest or notes), not a training log"
        case let .noLogFiles(directory):
            return "\(directory): no log files in this directory (losslens reads *.log, *.txt, *.out, *.err, *.json, "
                + "*.jsonl, *.csv, *.tsv, *.ipynb, TensorBoard event files and MLflow run folders; symbolic links inside it are "
                + "not followed)"
        }
    }
}
