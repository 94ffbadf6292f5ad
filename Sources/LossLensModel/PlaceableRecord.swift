@_spi(Layers) import LossLensBytes
/// What `RunAssembler` reads of a record. A `MetricRecord` is one; a record a worker read is placed
/// straight from its block's flat storage (`RecordBatch`) without being made into one.
@_spi(Layers) public protocol PlaceableRecord {
    associatedtype Values: RandomAccessCollection where Values.Element == (name: MetricName, value: Double)
    /// Settable: an epoch no training reaches is dropped before the record is placed.
    var epoch: Double? { get set }
    var plannedEpochs: Int? { get }
    var step: Int? { get }
    var stepIsGlobal: Bool { get }
    var line: Int { get }
    var startsNewRun: Bool { get }
    var runLabel: String? { get }
    var perStep: Bool { get }
    var redrawsPrevious: Bool { get }
    var values: Values { get }
    /// Records with the same key name the same metrics in the same order (nil: not known).
    var nameList: NameListKey? { get }
}

/// One list of metric names of a `RecordBatch`: which batch, and which list within it.
@_spi(Layers) public struct NameListKey: Equatable {
    @_spi(Layers) public let batch: Int
    @_spi(Layers) public let list: Int
}

extension PlaceableRecord {
    /// Whether the values describe a point inside an epoch rather than the epoch as a whole.
    var isStepLevel: Bool {
        if step != nil || perStep { return true }
        if let epoch { return !epoch.isWhole }
        return false
    }
}

@_spi(Layers) extension MetricRecord: PlaceableRecord {
    @_spi(Layers) public var nameList: NameListKey? { nil }
}
