import Foundation
import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class TensorBoardParserTests: XCTestCase {
    func testCRC32CKnownValue() {
        let checksum = Data("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) }
        XCTAssertEqual(checksum, 0xE306_9283)
    }

    func testKerasEventFilesAgreeWithHistoryJSON() throws {
        let runs = try TensorBoardParser().parse(StructuredFixture.kerasBoard())
        let history = try StructuredFixture.kerasHistory()
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.format, .tensorBoard)
        // Event files store float32: agreement to float32 precision.
        assertValues(run.values("loss"), history["loss"], tolerance: 1e-7)
        assertValues(run.values("acc"), history["accuracy"], tolerance: 1e-7)
        assertValues(run.values("val_loss"), history["val_loss"], tolerance: 1e-7)
        assertValues(run.values("val_acc"), history["val_accuracy"], tolerance: 1e-7)
        XCTAssertEqual(run.series(named: "val_loss")?.points.first?.epoch, 1)
        XCTAssertTrue(run.events.isEmpty)
    }

    func testTagNames() {
        func name(_ tag: String, _ split: Split? = nil) -> String {
            let (metric, perEpoch) = TensorBoardRecords.metric(for: tag, folderSplit: split)
            return metric.canonical + (perEpoch ? "" : "@step")
        }
        XCTAssertEqual(name("epoch_loss", .validation), "val_loss")
        XCTAssertEqual(name("epoch_learning_rate", .train), "lr")
        XCTAssertEqual(name("batch_loss", .train), "loss@step")
        XCTAssertEqual(name("Loss/train"), "loss@step")
        XCTAssertEqual(name("Accuracy/val"), "val_acc@step")
        XCTAssertEqual(name("evaluation_loss_vs_iterations", .validation), "val_loss@step")
    }

    /// The train file with one byte of a late record flipped: the epochs before it are kept.
    func testCorruptRecordKeepsWhatCameBeforeAndWarns() throws {
        var board = try StructuredFixture.kerasBoard()
        var train = try board.eventFiles[0].content.wholeData()
        let position = train.count * 3 / 4
        train[position] ^= 0xFF
        board.eventFiles[0].content = .memory(train)
        let runs = try TensorBoardParser().parse(board)
        let run = try XCTUnwrap(runs.first)
        let lossCount = try XCTUnwrap(run.values("loss")?.count)
        XCTAssertGreaterThan(lossCount, 0)
        XCTAssertLessThan(lossCount, 26)
        XCTAssertEqual(run.values("val_loss")?.count, 26)
        let warning = try XCTUnwrap(run.events.first { $0.kind == .inputDamaged })
        XCTAssertTrue(warning.text.contains("CRC32C"), warning.text)
        XCTAssertTrue(warning.text.hasPrefix("train/events.out.tfevents"), warning.text)
    }

    func testTruncatedFileIsReportedAndDoesNotCrash() throws {
        var board = try StructuredFixture.kerasBoard()
        let validation = try board.eventFiles[1].content.wholeData()
        board.eventFiles[1].content = .memory(validation.prefix(validation.count - 5))
        let run = try XCTUnwrap(try TensorBoardParser().parse(board).first)
        XCTAssertEqual(run.values("loss")?.count, 26)
        let warning = try XCTUnwrap(run.events.first { $0.kind == .inputDamaged })
        XCTAssertTrue(warning.text.contains("truncated"), warning.text)
    }

    func testFileDamagedFromTheStartThrowsATypedError() throws {
        var data = try StructuredFixture.data("keras-healthy-s11/tb/train/events.out.tfevents.1795388000.vm.990.0.v2")
        data[2] ^= 0x01
        let input = LogInput(source: "board", data: Data(), eventFiles: [("train/events.out.tfevents.x", data)])
        XCTAssertThrowsError(try TensorBoardParser().parse(input)) { error in
            XCTAssertEqual(error as? TensorBoardError,
                           .damagedFile(path: "train/events.out.tfevents.x", record: 1,
                                        problem: TFRecordDamage.lengthChecksumMismatch.description))
            XCTAssertTrue(error.localizedDescription.contains("record 1"))
        }
    }

    func testEventFilesOfTwoFitCallsAreTwoRuns() throws {
        let board = try StructuredFixture.kerasBoard()
        let train = try board.eventFiles[0].content.wholeData()
        let input = LogInput(source: "board", data: Data(), eventFiles: [
            ("train/events.out.tfevents.1", train), ("train/events.out.tfevents.2", train),
        ])
        let runs = try TensorBoardParser().parse(input)
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map { $0.values("loss")?.count }, [26, 26])
    }

    func testAnEventFileLargerThanTheWholeFileLimitIsReadRecordByRecord() throws {
        let path = try TestFixtures.url("keras-healthy-s11/tb/validation/events.out.tfevents.1795388001.vm.990.1.v2").path
        var input = try LogInput(source: path, filePath: path)
        input.wholeFileLimit = 1024
        XCTAssertGreaterThan(input.byteCount, input.wholeFileLimit)
        let run = try XCTUnwrap(try TensorBoardParser().parse(input).first)
        XCTAssertEqual(run.values("val_loss")?.count, 26)
    }

    func testARecordLengthNearTheLargestIntegerIsDamageNotACrash() throws {
        var header = Data(repeating: 0xFF, count: 8)
        let checksum = header.withUnsafeBytes { CRC32C.masked(CRC32C.checksum($0)) }
        withUnsafeBytes(of: checksum.littleEndian) { header.append(contentsOf: $0) }
        header.append(Data(repeating: 0, count: 20))
        let input = LogInput(source: "board", data: Data(), eventFiles: [("train/events.out.tfevents.x", header)])
        XCTAssertThrowsError(try TensorBoardParser().parse(input)) { error in
            XCTAssertTrue(error.localizedDescription.contains("truncated"), error.localizedDescription)
        }
    }
}
