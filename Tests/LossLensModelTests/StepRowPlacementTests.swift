import Foundation
import XCTest

@_spi(Layers) @testable import LossLensModel

/// Placing runs of per-step records a column at a time must give the runs that placing the
/// records one by one gives, whatever the records: restarts, whole and fractional epochs, epochs no
/// training reaches, global and local steps, NaN and infinities, names with a granularity of
/// their own, names that share a slot, events between them, and series long enough to be reduced.
final class StepRowPlacementTests: XCTestCase {
    private let names: [[MetricName]] = [
        ["loss", "grad_norm", "learning_rate"],
        ["train_loss_step", "train_loss_epoch"],
        ["loss", "loss"],
        ["eval_loss", "eval_accuracy"],
        ["loss"],
    ].map { $0.map { MetricName(raw: $0) } }

    private func randomBatch(records count: Int, using generator: inout some RandomNumberGenerator) -> RecordBatch {
        var batch = RecordBatch()
        var epoch = 0.0, step = 0
        for line in 1...count {
            if Int.random(in: 0..<200, using: &generator) == 0 {
                batch.append(RunEvent(kind: .other, text: "note", line: line))
                continue
            }
            switch Int.random(in: 0..<100, using: &generator) {
            case 0: epoch = 0                                   // a restart
            case 1: epoch = 1e13                                // no training reaches it
            case 2..<30: epoch = (epoch + 1).rounded(.down)      // a whole epoch
            default: epoch += 0.125
            }
            step = Int.random(in: 0..<100, using: &generator) == 0 ? 1 : step + 1
            let list = names[Int.random(in: 0..<(Bool.random(using: &generator) ? 1 : names.count), using: &generator)]
            let values = list.map { name -> (name: MetricName, value: Double) in
                let value = [Double.nan, .infinity, -.infinity].randomElement(using: &generator)!
                return (name, Int.random(in: 0..<500, using: &generator) == 0 ? value : Double.random(in: 0...3, using: &generator))
            }
            var record = MetricRecord(
                epoch: Int.random(in: 0..<50, using: &generator) == 0 ? nil : epoch,
                plannedEpochs: Int.random(in: 0..<20, using: &generator) == 0 ? 40 : nil,
                step: Bool.random(using: &generator) ? step : nil, stepIsGlobal: Bool.random(using: &generator),
                values: values, line: line)
            record.perStep = Int.random(in: 0..<4, using: &generator) == 0
            batch.append(record)
        }
        return batch
    }

    private func runs(_ batch: RecordBatch, byColumns: Bool) -> String {
        var assembler = RunAssembler(source: "x.log", format: .pytorchConsole)
        batch.forEach(serial: 1, records: { records in
            if byColumns {
                assembler.add(records, linesBefore: 10)
            } else {
                for record in records { assembler.add(record, linesBefore: 10) }
            }
        }, event: { assembler.addEvent($0) })
        // Described, not compared with ==: NaN values are not equal to themselves.
        return String(describing: assembler.finish())
    }

    func testColumnsGiveWhatRecordsGive() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let batch = randomBatch(records: Int.random(in: 1...400, using: &generator), using: &generator)
            XCTAssertEqual(runs(batch, byColumns: true), runs(batch, byColumns: false))
        }
    }

    func testColumnsGiveWhatRecordsGiveInSeriesLongEnoughToBeReduced() {
        var generator = SystemRandomNumberGenerator()
        var batch = RecordBatch()
        for line in 1...(StepSeriesBuffer.exactLimit + 20_000) {
            let value = line % 9_999 == 0 ? Double.nan : Double.random(in: 0...3, using: &generator)
            batch.append(MetricRecord(epoch: Double(line) / 5000, step: line, stepIsGlobal: true,
                                      values: [(MetricName(raw: "loss"), value), (MetricName(raw: "lr"), 1e-3)], line: line))
        }
        let byColumns = runs(batch, byColumns: true)
        XCTAssertEqual(byColumns, runs(batch, byColumns: false))
        XCTAssertTrue(byColumns.contains("originalCount: \(StepSeriesBuffer.exactLimit + 20_000)"), "the series were reduced")
    }
}
