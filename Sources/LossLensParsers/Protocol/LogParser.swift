@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// A reader for one or more dialects. Parsers are chosen by content, not by file extension.
public protocol LogParser: Sendable {
    /// The formats this parser can produce; `--input-format` selects parsers by these.
    var formats: [InputFormat] { get }
    /// How sure the parser is that the input is its dialect: 0 means not at all. Must be cheap.
    func confidence(for input: LogInput) -> Double
    /// The runs in the input; an empty result means the parser found no metrics.
    func parse(_ input: LogInput) throws -> [Run]
}
