import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// The per-step scalars of event files are placed a step at a time, read from the files in step
/// order, rather than gathered and sorted: the runs must be those of gathering and sorting, and a
/// file must be read without holding its scalars.
final class TensorBoardStreamingTests: XCTestCase {
    /// Event files as PyTorch's SummaryWriter writes them: one Event per `add_scalar`.
    private struct EventFile {
        var data = Data()

        mutating func add(_ tag: String, _ value: Float, step: Int, wallTime: Double) {
            var value1 = Data([0x0A]) + varint(tag.utf8.count) + Data(tag.utf8)
            value1 += Data([0x15]) + withUnsafeBytes(of: value.bitPattern.littleEndian) { Data($0) }
            let summary = Data([0x0A]) + varint(value1.count) + value1
            var event = Data([0x09]) + withUnsafeBytes(of: wallTime.bitPattern.littleEndian) { Data($0) }
            event += Data([0x10]) + varint(step)
            event += Data([0x2A]) + varint(summary.count) + summary
            frame(event)
        }

        private mutating func frame(_ record: Data) {
            let length = withUnsafeBytes(of: UInt64(record.count).littleEndian) { Data($0) }
            data += length + checksum(length) + record + checksum(record)
        }

        private func checksum(_ bytes: Data) -> Data {
            let masked = bytes.withUnsafeBytes { CRC32C.masked(CRC32C.checksum($0)) }
            return withUnsafeBytes(of: masked.littleEndian) { Data($0) }
        }

        private func varint(_ value: Int) -> Data {
            var value = UInt64(value)
            var bytes = Data()
            repeat {
                bytes.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
                value >>= 7
            } while value > 0
            return bytes
        }
    }

    /// A training with a per-step loss, a validation loss every 50 steps and, like Keras, an
    /// `epoch_loss` at each epoch end.
    private func training(steps: Int = 600, wallTime: Double = 1_000) -> EventFile {
        var file = EventFile()
        for step in 1...steps {
            let time = wallTime + Double(step)
            file.add("Loss/train", 2.0 / Float(step), step: step, wallTime: time)
            if step % 50 == 0 { file.add("Loss/val", 2.5 / Float(step), step: step, wallTime: time) }
            if step % 200 == 0 { file.add("epoch_loss", 1.0 / Float(step), step: step / 200 - 1, wallTime: time + 0.5) }
        }
        return file
    }

    private func scalars(_ data: Data, holdingSteps: Bool, path: String = "train/events.out.tfevents.1") throws -> EventFileScalars {
        try EventFileScalars(relativePath: path, content: .memory(data), holdingSteps: holdingSteps)
    }

    private func records(_ files: [EventFileScalars]) throws -> String {
        var records: [MetricRecord] = []
        try TensorBoardRecords.forEachRecord(of: files) { records.append($0) }
        return String(describing: records)
    }

    func testStepsReadInOrderFromTheFileAreTheStepsSorted() throws {
        let data = training().data
        let streamed = try scalars(data, holdingSteps: false)
        XCTAssertNil(streamed.heldStepScalars, "a file whose steps never go back is not held")
        let held = try scalars(data, holdingSteps: true)
        XCTAssertEqual(held.heldStepScalars?.count, 612)
        XCTAssertEqual(try records([streamed]), try records([held]))
    }

    func testTheStepsOfTwoFilesAreMergedStepByStep() throws {
        var validation = EventFile()
        for step in stride(from: 25, through: 600, by: 25) {
            validation.add("epoch_accuracy", Float(step) / 700, step: step, wallTime: 1_000 + Double(step) + 0.2)
            validation.add("Accuracy", Float(step) / 600, step: step, wallTime: 1_000 + Double(step) + 0.1)
        }
        let train = training().data
        let streamed = [try scalars(train, holdingSteps: false), try scalars(validation.data, holdingSteps: false, path: "validation/events.out.tfevents.1")]
        let held = [try scalars(train, holdingSteps: true), try scalars(validation.data, holdingSteps: true, path: "validation/events.out.tfevents.1")]
        XCTAssertEqual(try records(streamed), try records(held))
        let input = LogInput(source: "board", data: Data(), eventFiles: [
            ("train/events.out.tfevents.1", train), ("validation/events.out.tfevents.1", validation.data),
        ])
        let run = try XCTUnwrap(try TensorBoardParser().parse(input).first)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.count, 600)
        XCTAssertEqual(run.series(named: "val_acc", granularity: .step)?.points.map(\.step).prefix(3), [25, 50, 75])
    }

    func testAFileWhoseStepsGoBackIsHeldAndSorted() throws {
        var file = training(steps: 300)
        // A second `fit` into the same file: the steps start over.
        for step in 1...100 { file.add("Loss/train", 3.0 / Float(step), step: step, wallTime: 5_000 + Double(step)) }
        let read = try scalars(file.data, holdingSteps: false)
        let steps = try XCTUnwrap(read.heldStepScalars).map(\.step)
        XCTAssertEqual(steps, steps.sorted(), "held in step order")
        XCTAssertEqual(try records([read]), try records([try scalars(file.data, holdingSteps: true)]))
        let run = try XCTUnwrap(try TensorBoardParser().parse(LogInput(source: "board", data: Data(), eventFiles: [("train/events.out.tfevents.1", file.data)])).first)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.count, 400)
    }

    func testADamagedRecordEndsBothReadingsAtTheSamePlace() throws {
        var data = training().data
        data[data.count * 2 / 3] ^= 0x40
        let streamed = try scalars(data, holdingSteps: false)
        let damage = try XCTUnwrap(streamed.damage)
        XCTAssertTrue(damage.problem.contains("CRC32C"), damage.problem)
        XCTAssertEqual(try records([streamed]), try records([try scalars(data, holdingSteps: true)]))
        let run = try XCTUnwrap(try TensorBoardParser().parse(LogInput(source: "board", data: Data(), eventFiles: [("train/events.out.tfevents.1", data)])).first)
        let count = try XCTUnwrap(run.series(named: "loss", granularity: .step)?.points.count)
        XCTAssertGreaterThan(count, 300)
        XCTAssertLessThan(count, 600)
        XCTAssertTrue(run.events.contains { $0.kind == .inputDamaged && $0.text.contains("record \(damage.record)") })
    }

    /// Bounded memory: while a file of 50 000 steps is placed, each file's cursor holds the
    /// scalars of one step (and the step read ahead), whatever the file's size.
    func testACursorHoldsOneStepAtATime() throws {
        var file = EventFile()
        for step in 1...50_000 { file.add("loss", 1 / Float(step), step: step, wallTime: Double(step)) }
        let read = try scalars(file.data, holdingSteps: false)
        XCTAssertEqual(read.recordCount, 50_000)
        XCTAssertTrue(read.epochScalars.isEmpty)
        XCTAssertNil(read.heldStepScalars)
        var steps = try read.steps()
        var count = 0
        var largest = 0
        while let step = try steps.nextStep() {
            count += 1
            largest = max(largest, step.count + steps.readAhead)
        }
        XCTAssertEqual(count, 50_000)
        XCTAssertEqual(largest, 2, "one step and the one read ahead")
    }
}
