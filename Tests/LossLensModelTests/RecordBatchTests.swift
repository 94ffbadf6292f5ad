import XCTest

@_spi(Layers) @testable import LossLensModel

/// A worker's block of records is handed over flat (`RecordBatch`): what comes out must be what
/// went in, in the same order, with each list of names stored once.
final class RecordBatchTests: XCTestCase {
    private func record(_ line: Int, _ pairs: [(String, Double)], epoch: Double? = nil, step: Int? = nil) -> MetricRecord {
        var record = MetricRecord(epoch: epoch, step: step, values: pairs.map { (MetricName(raw: $0.0), $0.1) }, line: line)
        record.perStep = true
        return record
    }

    private struct Placed: Equatable {
        var line: Int
        var epoch: Double?
        var step: Int?
        var perStep: Bool
        var names: [String]
        var values: [Double]
        var list: NameListKey?
    }

    private func placed(_ batch: RecordBatch, serial: Int = 1) -> (records: [Placed], order: [String]) {
        var records: [Placed] = []
        var order: [String] = []
        batch.forEach(serial: serial, records: { run in
            for record in run {
                records.append(Placed(line: record.line, epoch: record.epoch, step: record.step, perStep: record.perStep,
                                      names: record.values.map(\.name.canonical), values: record.values.map(\.value),
                                      list: record.nameList))
                order.append("record \(record.line)")
                XCTAssertEqual(record.nameList, run.nameList, "a run's records name its list")
            }
        }, event: { event in
            order.append("event \(event.line)")
        })
        return (records, order)
    }

    func testRecordsAndEventsComeOutAsTheyWentIn() {
        var batch = RecordBatch(expectedBytes: 1024)
        batch.append(RunEvent(kind: .checkpoint, text: "saving model to a", line: 1))
        batch.append(record(2, [("loss", 0.5), ("acc", 0.7)], epoch: 0.25))
        batch.append(record(3, [("loss", 0.4), ("acc", 0.8)], epoch: 0.5, step: 9))
        batch.append(RunEvent(kind: .earlyStopping, text: "early stopping", line: 4))
        batch.append(RunEvent(kind: .other, text: "x", line: 5))
        batch.append(record(6, [("val_loss", .nan)]))
        batch.append(record(7, []))
        batch.append(RunEvent(kind: .other, text: "last", line: 8))
        let (records, order) = placed(batch)
        XCTAssertEqual(order, ["event 1", "record 2", "record 3", "event 4", "event 5", "record 6", "record 7", "event 8"])
        XCTAssertEqual(records.map(\.names), [["loss", "acc"], ["loss", "acc"], ["val_loss"], []])
        XCTAssertEqual(records[0].values, [0.5, 0.7])
        XCTAssertEqual(records[1].values, [0.4, 0.8])
        XCTAssertTrue(records[2].values[0].isNaN)
        XCTAssertEqual(records.map(\.epoch), [0.25, 0.5, nil, nil])
        XCTAssertEqual(records.map(\.step), [nil, 9, nil, nil])
        XCTAssertTrue(records.allSatisfy(\.perStep))
    }

    func testEqualNameListsShareAKeyAndDifferentOnesDoNot() {
        var batch = RecordBatch()
        let train = [("loss", 0.5), ("lr", 0.1)], evaluation = [("val_loss", 0.6)]
        for (line, pairs) in [train, evaluation, train, train, evaluation].enumerated() {
            batch.append(record(line + 1, pairs))
        }
        let lists = placed(batch, serial: 7).records.map(\.list)
        XCTAssertEqual(lists[0], lists[2])
        XCTAssertEqual(lists[0], lists[3])
        XCTAssertEqual(lists[1], lists[4])
        XCTAssertNotEqual(lists[0], lists[1])
        XCTAssertTrue(lists.allSatisfy { $0?.batch == 7 }, "keys of one batch differ from those of the next")
    }

    func testSameNamesInAnotherOrderAreAnotherList() {
        var batch = RecordBatch()
        batch.append(record(1, [("loss", 0.5), ("acc", 0.7)]))
        batch.append(record(2, [("acc", 0.7), ("loss", 0.5)]))
        let records = placed(batch).records
        XCTAssertNotEqual(records[0].list, records[1].list)
        XCTAssertEqual(records[1].names, ["acc", "loss"])
    }

    func testRecordsOfSharedNamesShareTheListOfEqualNames() {
        var batch = RecordBatch()
        let shape1 = SharedNames([MetricName(raw: "loss"), MetricName(raw: "lr")])
        let shape2 = SharedNames([MetricName(raw: "loss"), MetricName(raw: "lr")])
        let position = RecordPosition(epoch: 0.5, step: 10, stepIsGlobal: true, perStep: true)
        batch.append(position, line: 1, names: shape1, values: [0.5, 0.1])
        batch.append(record(2, [("loss", 0.4), ("lr", 0.1)]))
        batch.append(position, line: 3, names: shape2, values: [0.3, 0.05])
        batch.append(position, line: 4, names: SharedNames([MetricName(raw: "val_loss")]), values: [0.7])
        let records = placed(batch).records
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4])
        XCTAssertEqual(records.map(\.values), [[0.5, 0.1], [0.4, 0.1], [0.3, 0.05], [0.7]])
        XCTAssertEqual(records[0].list, records[1].list)
        XCTAssertEqual(records[0].list, records[2].list, "equal names of another shape are the same list")
        XCTAssertNotEqual(records[0].list, records[3].list)
        XCTAssertEqual(records[3].names, ["val_loss"])
        XCTAssertEqual(records.map(\.step), [10, nil, 10, 10])
    }

    func testOnlyUnplacedRecordsOfNamesWithoutDigitsRestateEpochValues() {
        var batch = RecordBatch()
        batch.append(MetricRecord(values: [(MetricName(raw: "loss"), 0.5)], line: 1))
        XCTAssertTrue(batch.lastRecordRestatesEpochValues)
        batch.append(MetricRecord(values: [(MetricName(raw: "loss"), 0.4)], line: 1))
        XCTAssertTrue(batch.lastRecordHasNames(ofRecord: 0))
        batch.markLastRecordAsRedraw()
        batch.append(MetricRecord(values: [(MetricName(raw: "top5_acc"), 0.4)], line: 2))
        XCTAssertFalse(batch.lastRecordRestatesEpochValues, "a name with a digit may differ between lines of one shape")
        XCTAssertFalse(batch.lastRecordHasNames(ofRecord: 0))
        batch.append(MetricRecord(step: 3, values: [(MetricName(raw: "loss"), 0.4)], line: 3))
        XCTAssertFalse(batch.lastRecordRestatesEpochValues, "a record with a step has a place of its own")
        var redraws: [Bool] = []
        batch.forEach(serial: 1, records: { run in redraws += run.map(\.redrawsPrevious) }, event: { _ in })
        XCTAssertEqual(redraws, [false, true, false, false])
    }

    func testNeighboursOfOneListComeOutAsOneRunUntilAnEventOrAnotherList() {
        var batch = RecordBatch()
        let train = [("loss", 0.5), ("lr", 0.1)], evaluation = [("val_loss", 0.6)]
        for (line, pairs) in [train, train, train, evaluation, train].enumerated() {
            batch.append(record(line + 1, pairs))
        }
        batch.append(RunEvent(kind: .other, text: "x", line: 6))
        batch.append(record(7, train))
        batch.append(record(8, train))
        var runs: [[Int]] = []
        batch.forEach(serial: 1, records: { run in runs.append(run.map(\.line)) }, event: { _ in })
        XCTAssertEqual(runs, [[1, 2, 3], [4], [5], [7, 8]])
    }
}
