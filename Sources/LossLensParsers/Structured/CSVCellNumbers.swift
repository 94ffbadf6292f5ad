@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// What a row's cells read as (no value, a number, text), each cell read at most once however many
/// readers ask: telling the columns apart, the granularity and the record all look at one cell.
///
/// One memo serves the reader's reused row: `reset` forgets the previous row's cells. The storage is
/// raw memory, not arrays, so asking costs no uniqueness or exclusivity check. A row copied to be
/// kept gets a memo of its own (`CSVRow.detached`).
@_spi(Layers) public final class CSVCellNumbers {
    @_spi(Layers) public enum Reading: UInt8 {
        case unread, missing, number, text
    }

    private var readings: UnsafeMutablePointer<Reading>
    private var values: UnsafeMutablePointer<Double>
    private var capacity: Int
    private var width = 0

    @_spi(Layers) public init() {
        capacity = 16
        readings = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
    }

    deinit {
        readings.deallocate()
        values.deallocate()
    }

    /// Forgets every cell: the row changed.
    func reset() {
        width = 0
    }

    /// The reading of cell `index`, made by `read` the first time it is asked for.
    @inline(__always)
    @_spi(Layers) public func reading(_ index: Int, _ read: () -> (Reading, Double)) -> (Reading, Double) {
        if index >= width { cover(index + 1) }
        if readings[index] == .unread { (readings[index], values[index]) = read() }
        return (readings[index], values[index])
    }

    /// Makes room for `newWidth` cells, the new ones unread.
    private func cover(_ newWidth: Int) {
        if newWidth > capacity {
            let grown = max(newWidth, 2 * capacity)
            let newReadings = UnsafeMutablePointer<Reading>.allocate(capacity: grown)
            let newValues = UnsafeMutablePointer<Double>.allocate(capacity: grown)
            newReadings.update(from: readings, count: width)
            newValues.update(from: values, count: width)
            readings.deallocate()
            values.deallocate()
            readings = newReadings
            values = newValues
            capacity = grown
        }
        (readings + width).initialize(repeating: .unread, count: newWidth - width)
        width = newWidth
    }
}
