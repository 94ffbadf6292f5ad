@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Every parser losslens has. Order breaks ties between equal confidences: structured formats first.
@_spi(Layers) public enum ParserRegistry {
    @_spi(Layers) public static func parsers(library: PatternLibrary, restrictedTo formats: Set<InputFormat>?) -> [any LogParser] {
        let all: [any LogParser] = [
            MLflowParser(),
            JSONLinesParser(),
            WandbSummaryParser(),
            HuggingFaceStateParser(),
            KerasHistoryParser(),
            UltralyticsParser(),
            CSVParser(),
            NotebookParser(library: library),
            TensorBoardParser(),
            BoostingLogParser(),
            TFEstimatorParser(),
            CaffeSolverParser(),
            ConsoleParser(library: library, restrictedTo: formats),
            FastaiTableParser(),
            GenericConsoleParser(),
            BareNumbersParser(),
        ]
        guard let formats else { return all }
        return all.filter { !Set($0.formats).isDisjoint(with: formats) }
    }
}
