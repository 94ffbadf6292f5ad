@_spi(Layers) import LossLensBytes
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

    init(kind: Kind, value: Double) {
        self.kind = kind
        self.value = value
    }

    /// What `cell` reads as: no value (`CSVColumns.isMissing`), a number (`NumberParsing`), or text.
    init(cell: ByteView) {
        // Most cells are empty or a plain decimal (a digit at both ends), which `NumberParsing`
        // reads as `DecimalBytes` does when it can.
        if cell.isEmpty {
            self.init(kind: .missing, value: 0)
        } else if cell[0] &- UInt8(ascii: "0") < 10, cell[cell.count - 1] &- UInt8(ascii: "0") < 10, let value = DecimalBytes.double(cell) {
            self.init(kind: .number, value: value)
        } else if CSVColumns.isMissing(cell) {
            self.init(kind: .missing, value: 0)
        } else if let value = NumberParsing.value(cell) {
            self.init(kind: .number, value: value)
        } else {
            self.init(kind: .text, value: 0)
        }
    }
}
