/// What a cell of a table reads as (no value, a number, text). A row reads each of its cells at most
/// once however many readers ask (`CSVRow`): telling the columns apart, the granularity and the
/// record all look at one cell.
@_spi(Layers) public struct CSVCellReading: BitwiseCopyable {
    @_spi(Layers) public enum Kind: UInt8, BitwiseCopyable {
        case missing, number, text
    }

    @_spi(Layers) public var kind: Kind
    /// The number, when the cell is one.
    @_spi(Layers) public var value: Double
}
