/// The records and callback events a worker read in one block, stored flat: the values of every
/// record in one array, and each distinct list of names once. The thread that places the block then
/// copies, allocates and frees nothing per record, and the worker's value buffer is free again for
/// its next line instead of travelling to another thread inside the record.
///
/// Console records never start a run by themselves (`startsNewRun`, `runLabel`): those come from
/// structured sources, which are not read in blocks.
struct RecordBatch {
    fileprivate struct Head {
        var epoch: Double?
        var plannedEpochs: Int?
        var step: Int?
        var line: Int
        var valueStart: Int
        var nameList: Int
        var stepIsGlobal: Bool
        var perStep: Bool
        var redrawsPrevious: Bool
    }

    /// Lists searched for a record's names before its list is stored as a new one: a log alternates
    /// between a few kinds of lines (training steps, evaluations).
    private static let listsSearched = 16

    private var heads: [Head] = []
    private var values: [Double] = []
    /// The names of every list, one after the other; `nameLists` tells where each list is.
    private var names: [MetricName] = []
    private var nameLists: [Range<Int>] = []
    private var lastNameList: Int?
    /// Each event with the number of records read before it.
    private var events: [(recordsBefore: Int, event: RunEvent)] = []

    var recordCount: Int { heads.count }

    /// Room for the records of a block of `bytes`, so the worker does not move them as they grow.
    init(expectedBytes bytes: Int = 0) {
        heads.reserveCapacity(bytes / 64)
        values.reserveCapacity(bytes / 16)
    }

    mutating func append(_ item: ConsoleItem) {
        switch item {
        case let .record(record): append(record)
        case let .event(event): events.append((heads.count, event))
        }
    }

    private mutating func append(_ record: MetricRecord) {
        assert(!record.startsNewRun && record.runLabel == nil, "console records do not start runs")
        heads.append(Head(
            epoch: record.epoch, plannedEpochs: record.plannedEpochs, step: record.step, line: record.line,
            valueStart: values.count, nameList: nameList(of: record.values), stepIsGlobal: record.stepIsGlobal,
            perStep: record.perStep, redrawsPrevious: record.redrawsPrevious))
        for (_, value) in record.values { values.append(value) }
    }

    private mutating func nameList(of pairs: [(name: MetricName, value: Double)]) -> Int {
        func holds(_ list: Int) -> Bool {
            nameLists[list].count == pairs.count && zip(names[nameLists[list]], pairs).allSatisfy { $0 == $1.name }
        }
        if let last = lastNameList, holds(last) { return last }
        if let found = nameLists.indices.prefix(Self.listsSearched).first(where: holds) {
            lastNameList = found
            return found
        }
        names.append(contentsOf: pairs.lazy.map(\.name))
        nameLists.append(names.count - pairs.count..<names.count)
        lastNameList = nameLists.count - 1
        return nameLists.count - 1
    }

    /// Hands over the records and events in the order they were read. `serial` tells this batch
    /// apart from the others placed into the same runs (see `NameListKey`). The records point into
    /// the batch: they are valid only during `placeRecord`.
    func forEach(serial: Int, record placeRecord: (Record) -> Void, event placeEvent: (RunEvent) -> Void) {
        names.withUnsafeBufferPointer { names in
            values.withUnsafeBufferPointer { values in
                var nextEvent = 0
                for (index, head) in heads.enumerated() {
                    while nextEvent < events.count, events[nextEvent].recordsBefore == index {
                        placeEvent(events[nextEvent].event)
                        nextEvent += 1
                    }
                    let end = index + 1 < heads.count ? heads[index + 1].valueStart : values.count
                    placeRecord(Record(
                        head: head, nameList: NameListKey(batch: serial, list: head.nameList),
                        values: Values(names: UnsafeBufferPointer(rebasing: names[nameLists[head.nameList]]),
                                       values: UnsafeBufferPointer(rebasing: values[head.valueStart..<end]))))
                }
                for (_, event) in events[nextEvent...] { placeEvent(event) }
            }
        }
    }

    /// One record of the batch, read in place.
    struct Record: PlaceableRecord {
        fileprivate let head: Head
        let nameList: NameListKey?
        let values: Values

        fileprivate init(head: Head, nameList: NameListKey, values: Values) {
            self.head = head
            self.nameList = nameList
            self.values = values
            epoch = head.epoch
        }

        var epoch: Double?
        var plannedEpochs: Int? { head.plannedEpochs }
        var step: Int? { head.step }
        var stepIsGlobal: Bool { head.stepIsGlobal }
        var line: Int { head.line }
        var startsNewRun: Bool { false }
        var runLabel: String? { nil }
        var perStep: Bool { head.perStep }
        var redrawsPrevious: Bool { head.redrawsPrevious }
    }

    /// A record's names and values, read where the batch holds them.
    struct Values: RandomAccessCollection {
        let names: UnsafeBufferPointer<MetricName>
        let values: UnsafeBufferPointer<Double>

        var startIndex: Int { 0 }
        var endIndex: Int { values.count }

        subscript(position: Int) -> (name: MetricName, value: Double) {
            (names[position], values[position])
        }
    }
}
