@_spi(Layers) import LossLensBytes
/// The records and callback events read from console lines, stored flat: the values of every
/// record in one array, and each distinct list of names once. The thread that places the batch then
/// copies, allocates and frees nothing per record. Workers fill one per block; reading in order fills
/// one at a time and hands it over every `RecordBatch.handOverRecords` records.
///
/// Console records never start a run by themselves (`startsNewRun`, `runLabel`): those come from
/// structured sources, which are not read through batches.
@_spi(Layers) public struct RecordBatch {
    @usableFromInline struct Head {
        @usableFromInline var position: RecordPosition
        @usableFromInline var line: Int
        @usableFromInline var valueStart: Int
        @usableFromInline var nameList: Int
        @usableFromInline var redrawsPrevious: Bool

        @inlinable init(position: RecordPosition, line: Int, valueStart: Int, nameList: Int, redrawsPrevious: Bool) {
            self.position = position
            self.line = line
            self.valueStart = valueStart
            self.nameList = nameList
            self.redrawsPrevious = redrawsPrevious
        }
    }

    /// Reading in order hands a batch over at this many records, so it stays small.
    @_spi(Layers) public static let handOverRecords = 4096

    /// Lists searched for a record's names before its list is stored as a new one: a log alternates
    /// between a few kinds of lines (training steps, evaluations).
    private static let listsSearched = 16

    // Inlined into the reader of the layer above (see `append(line:names:reading:)`).
    @usableFromInline var heads: [Head] = []
    @usableFromInline var values: [Double] = []
    /// The names of every list, one after the other; `nameLists` tells where each list is.
    private var names: [MetricName] = []
    @usableFromInline var nameLists: [Range<Int>] = []
    /// Per list: whether its names may restate epoch values (see `lastRecordRestatesEpochValues`).
    private var listsMayRestate: [Bool] = []
    private var lastNameList: Int?
    /// The shared list the last templated record named, and its list here: lines of one shape name
    /// the same shared list, so most records find their list without comparing a name.
    @usableFromInline var lastShared: (names: SharedNames, list: Int)?
    /// Each event with the number of records read before it.
    private var events: [(recordsBefore: Int, event: RunEvent)] = []

    @_spi(Layers) public var recordCount: Int { heads.count }

    /// Room for the records of a block of `bytes`, so the worker does not move them as they grow.
    @_spi(Layers) public init(expectedBytes bytes: Int = 0) {
        self.init(expectedRecords: bytes / 64, expectedValues: bytes / 16)
    }

    /// Room for `records` records with `values` values in all.
    @_spi(Layers) public init(expectedRecords records: Int, expectedValues values: Int) {
        heads.reserveCapacity(records)
        self.values.reserveCapacity(values)
    }

    /// Empties the batch and keeps its room, for a worker to fill again: the pages of a fresh
    /// batch are faulted in anew.
    @_spi(Layers) public mutating func removeAll() {
        heads.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        nameLists.removeAll(keepingCapacity: true)
        listsMayRestate.removeAll(keepingCapacity: true)
        lastNameList = nil
        lastShared = nil
        events.removeAll(keepingCapacity: true)
    }

    @_spi(Layers) public mutating func append(_ event: RunEvent) {
        events.append((heads.count, event))
    }

    @_spi(Layers) public mutating func append(_ record: MetricRecord) {
        assert(!record.startsNewRun && record.runLabel == nil, "console records do not start runs")
        let list = nameList(of: record.values.lazy.map(\.name))
        let valueStart = values.count
        for (_, value) in record.values { values.append(value) }
        appendHead(RecordPosition(of: record), line: record.line, list: list, valueStart: valueStart, redrawsPrevious: record.redrawsPrevious)
    }

    /// A record whose names are a list shared by the lines of one shape.
    @_spi(Layers) public mutating func append(_ position: RecordPosition, line: Int, names shared: SharedNames, values: [Double]) {
        let valueStart = self.values.count
        self.values.append(contentsOf: values)
        appendHead(position, line: line, list: list(of: shared), valueStart: valueStart, redrawsPrevious: false)
    }

    /// A record whose names are a list shared by the lines of one shape, and whose values `read`
    /// appends to the batch's own; `read` gives the position, or nil to leave the record out (what
    /// it appended is then removed). Returns whether the record was appended. Inlinable: most lines
    /// of a per-step log are read through it, and inlined with `read` it calls no closure.
    @inlinable
    @_spi(Layers) public mutating func append(line: Int, names shared: SharedNames, reading read: (inout [Double]) -> RecordPosition?) -> Bool {
        let valueStart = values.count
        guard let position = read(&values) else {
            values.removeSubrange(valueStart...)
            return false
        }
        appendHead(position, line: line, list: list(of: shared), valueStart: valueStart, redrawsPrevious: false)
        return true
    }

    @inlinable
    mutating func list(of shared: SharedNames) -> Int {
        if let last = lastShared, last.names === shared { return last.list }
        return newList(of: shared)
    }

    @usableFromInline
    mutating func newList(of shared: SharedNames) -> Int {
        let list = nameList(of: shared.names)
        lastShared = (shared, list)
        return list
    }

    @inlinable
    mutating func appendHead(_ position: RecordPosition, line: Int, list: Int, valueStart: Int, redrawsPrevious: Bool) {
        // A record's values are one per name of its list, so the records of a list are rows.
        assert(values.count - valueStart == nameLists[list].count, "one value per name")
        heads.append(Head(position: position, line: line, valueStart: valueStart, nameList: list, redrawsPrevious: redrawsPrevious))
    }

    private mutating func nameList<Names: Collection>(of candidate: Names) -> Int where Names.Element == MetricName {
        func holds(_ list: Int) -> Bool {
            nameLists[list].count == candidate.count && names[nameLists[list]].elementsEqual(candidate)
        }
        if let last = lastNameList, holds(last) { return last }
        if let found = nameLists.indices.prefix(Self.listsSearched).first(where: holds) {
            lastNameList = found
            return found
        }
        names.append(contentsOf: candidate)
        nameLists.append(names.count - candidate.count..<names.count)
        listsMayRestate.append(candidate.allSatisfy(\.mayRestateEpochValue))
        lastNameList = nameLists.count - 1
        return nameLists.count - 1
    }

    /// Whether the last record only restates values of the current epoch, with no position of its
    /// own: a later record with the same names replaces them all (see `RunAssembler`).
    @_spi(Layers) public var lastRecordRestatesEpochValues: Bool {
        guard let head = heads.last else { return false }
        return head.position.isUnplaced && listsMayRestate[head.nameList]
    }

    /// Whether record `index` names what the last record names, in the same order.
    @_spi(Layers) public func lastRecordHasNames(ofRecord index: Int) -> Bool {
        guard let last = heads.last else { return false }
        let list = heads[index].nameList
        return list == last.nameList || names[nameLists[list]].elementsEqual(names[nameLists[last.nameList]])
    }

    /// Marks the last record as a redraw of the one before it (the same progress bar, redrawn in place).
    @_spi(Layers) public mutating func markLastRecordAsRedraw() {
        heads[heads.count - 1].redrawsPrevious = true
    }

    /// Hands over the records and events in the order they were read, the records in runs of
    /// neighbours that name the same list (a per-step log is long runs of one list). `serial` tells
    /// this batch apart from the others placed into the same runs (see `NameListKey`). The records
    /// point into the batch: they are valid only during `placeRecords`.
    @_spi(Layers) public func forEach(serial: Int, records placeRecords: (Records) -> Void, event placeEvent: (RunEvent) -> Void) {
        names.withArrayView { names in
            values.withArrayView { values in
                heads.withArrayView { heads in
                    var nextEvent = 0
                    var start = 0
                    while start < heads.count {
                        while nextEvent < events.count, events[nextEvent].recordsBefore == start {
                            placeEvent(events[nextEvent].event)
                            nextEvent += 1
                        }
                        let list = heads[start].nameList
                        let stop = nextEvent < events.count ? events[nextEvent].recordsBefore : heads.count
                        var end = start + 1
                        while end < stop, heads[end].nameList == list { end += 1 }
                        placeRecords(run(heads, start..<end, list: list, serial: serial, names: names, values: values))
                        start = end
                    }
                    for (_, event) in events[nextEvent...] { placeEvent(event) }
                }
            }
        }
    }

    private func run(
        _ heads: ArrayView<Head>, _ range: Range<Int>, list: Int, serial: Int,
        names: ArrayView<MetricName>, values: ArrayView<Double>
    ) -> Records {
        let end = range.upperBound < heads.count ? heads[range.upperBound].valueStart : values.count
        let names = names.extracting(nameLists[list])
        return Records(heads: heads.extracting(range), nameList: NameListKey(batch: serial, list: list), names: names,
                       values: ValueRows(values.extracting(heads[range.lowerBound].valueStart..<end), width: names.count))
    }

    /// Neighbouring records that name one list, read in place: record `i` has the values of row `i`.
    @_spi(Layers) public struct Records: RandomAccessCollection {
        fileprivate let heads: ArrayView<Head>
        @_spi(Layers) public let nameList: NameListKey
        @_spi(Layers) public let names: ArrayView<MetricName>
        /// Row `i` holds the values of record `i`, one per name.
        @_spi(Layers) public let values: ValueRows

        @_spi(Layers) public var startIndex: Int { 0 }
        @_spi(Layers) public var endIndex: Int { heads.count }

        @_spi(Layers) public subscript(index: Int) -> Record {
            Record(head: heads[index], nameList: nameList, values: Values(names: names, values: values.row(index)))
        }

        @_spi(Layers) public func position(_ index: Int) -> RecordPosition { heads[index].position }
        @_spi(Layers) public func line(_ index: Int) -> Int { heads[index].line }
    }

    /// Values in rows of `width`, read in place from the batch.
    @_spi(Layers) public struct ValueRows {
        /// Row after row.
        private let values: ArrayView<Double>
        @_spi(Layers) public let width: Int

        fileprivate init(_ values: ArrayView<Double>, width: Int) {
            self.values = values
            self.width = width
        }

        /// Rows `range`, as rows numbered from 0.
        @_spi(Layers) public func rows(_ range: Range<Int>) -> ValueRows {
            ValueRows(values.extracting(range.lowerBound * width..<range.upperBound * width), width: width)
        }

        /// The values of one row, one per name.
        fileprivate func row(_ row: Int) -> ArrayView<Double> {
            values.extracting(row * width..<(row + 1) * width)
        }

        /// The values of one name, row after row.
        @_spi(Layers) public func column(_ column: Int) -> ValueColumn {
            precondition(column >= 0 && column < width, "column out of range")
            return ValueColumn(values: values, column: column, width: width)
        }
    }

    /// One column of `ValueRows`, a value per row.
    @_spi(Layers) public struct ValueColumn {
        private let values: ArrayView<Double>
        private let column: Int
        private let width: Int

        fileprivate init(values: ArrayView<Double>, column: Int, width: Int) {
            self.values = values
            self.column = column
            self.width = width
        }

        /// The value of `row`. The column is within a row, so a row past either end is past the
        /// values, and the view's check covers it (the arithmetic wraps: a row that overflows it
        /// cannot come from a count of rows).
        @_spi(Layers) public subscript(row: Int) -> Double {
            values[row &* width &+ column]
        }
    }

    /// One record of the batch, read in place.
    @_spi(Layers) public struct Record: PlaceableRecord {
        fileprivate let head: Head
        @_spi(Layers) public let nameList: NameListKey?
        @_spi(Layers) public let values: Values

        fileprivate init(head: Head, nameList: NameListKey, values: Values) {
            self.head = head
            self.nameList = nameList
            self.values = values
            epoch = head.position.epoch
        }

        @_spi(Layers) public var epoch: Double?
        @_spi(Layers) public var plannedEpochs: Int? { head.position.plannedEpochs }
        @_spi(Layers) public var step: Int? { head.position.step }
        @_spi(Layers) public var stepIsGlobal: Bool { head.position.stepIsGlobal }
        @_spi(Layers) public var line: Int { head.line }
        @_spi(Layers) public var startsNewRun: Bool { false }
        @_spi(Layers) public var runLabel: String? { nil }
        @_spi(Layers) public var perStep: Bool { head.position.perStep }
        @_spi(Layers) public var redrawsPrevious: Bool { head.redrawsPrevious }
    }

    /// A record's names and values, read where the batch holds them.
    @_spi(Layers) public struct Values: RandomAccessCollection {
        @_spi(Layers) public let names: ArrayView<MetricName>
        @_spi(Layers) public let values: ArrayView<Double>

        @_spi(Layers) public var startIndex: Int { 0 }
        @_spi(Layers) public var endIndex: Int { values.count }

        @_spi(Layers) public subscript(position: Int) -> (name: MetricName, value: Double) {
            (names[position], values[position])
        }
    }
}

/// Where in training a console record is, as its line states it.
@_spi(Layers) public struct RecordPosition {
    @_spi(Layers) public var epoch: Double?
    @_spi(Layers) public var plannedEpochs: Int?
    @_spi(Layers) public var step: Int?
    @_spi(Layers) public var stepIsGlobal = false
    /// The dialect says its values are per step even without a step number.
    @_spi(Layers) public var perStep = false

    @inlinable
    @_spi(Layers) public init(epoch: Double? = nil, plannedEpochs: Int? = nil, step: Int? = nil, stepIsGlobal: Bool = false, perStep: Bool = false) {
        self.epoch = epoch
        self.plannedEpochs = plannedEpochs
        self.step = step
        self.stepIsGlobal = stepIsGlobal
        self.perStep = perStep
    }

    @_spi(Layers) public init(of record: MetricRecord) {
        self.init(epoch: record.epoch, plannedEpochs: record.plannedEpochs, step: record.step,
                  stepIsGlobal: record.stepIsGlobal, perStep: record.perStep)
    }

    /// States no epoch, step or granularity at all.
    var isUnplaced: Bool { epoch == nil && plannedEpochs == nil && step == nil && !stepIsGlobal && !perStep }
}

/// A list of metric names shared by every line of one shape, so a batch recognizes it by identity.
@_spi(Layers) public final class SharedNames {
    @_spi(Layers) public let names: [MetricName]

    @_spi(Layers) public init(_ names: [MetricName]) {
        self.names = names
    }
}

extension MetricName {
    /// Whether a value of this name, printed without a position, can restate the epoch's value.
    /// Names with digits (`top5_acc`) are left out, since lines of one digit shape may name
    /// different metrics.
    var mayRestateEpochValue: Bool {
        granularityHint != .step && !base.utf8.contains { $0 &- 0x30 < 10 }
    }
}
