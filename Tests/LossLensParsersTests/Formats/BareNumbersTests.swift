import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Files of numbers only: `epoch,loss` rows without a header, one value per line.
final class BareNumbersTests: XCTestCase {
    func testHeaderlessEpochRowsNamedAfterTheFileWithARestart() throws {
        // A public poem-generation log: `f.write(f"{epoch},{loss}\n")`, a second training appended.
        let text = "1,6.2338\n2,5.5418\n3,5.1258\n4,4.9097\n1,3.9765\n2,3.9413\n3,3.9246\n4,3.9088\n5,3.8937\n"
        let runs = try FormatTesting.runs(text, source: "runs/loss_log.txt")
        XCTAssertEqual(runs.map(\.format), [.bareNumbers, .bareNumbers])
        XCTAssertValues(runs[0].values("loss"), [6.2338, 5.5418, 5.1258, 4.9097])
        XCTAssertValues(runs[1].values("loss"), [3.9765, 3.9413, 3.9246, 3.9088, 3.8937])
        XCTAssertEqual(runs[1].series(named: "loss")?.kind, .loss)
        XCTAssertTrue(runs[0].notes.contains { $0.contains("loss_log.txt") && $0.contains("first column was taken as the epoch") }, "\(runs[0].notes)")
    }

    func testOneValuePerLineIsALoggedStepEach() throws {
        // `np.savetxt` of every batch's loss as often as of every epoch's: steps, judged in medians when many.
        let run = try FormatTesting.onlyRun("0.912\n0.674\n0.523\n0.431\n0.388\n", source: "val_losses.txt")
        XCTAssertValues(run.values("val_loss@step"), [0.912, 0.674, 0.523, 0.431, 0.388])
        XCTAssertEqual(run.series.first { $0.key == "val_loss@step" }?.split, .validation)
        XCTAssertTrue(run.notes.contains { $0.contains("each line was taken as a logged step") }, "\(run.notes)")
    }

    func testPaddedValuesAndANaNFromTheFirstLineAreRead() throws {
        // `np.savetxt(fmt="%10.4f")` pads with blanks; a run that is NaN from the start prints `nan` first.
        let padded = try FormatTesting.onlyRun("    0.9000\n    0.8000\n    0.7000\n", source: "loss.txt")
        XCTAssertValues(padded.values("loss@step"), [0.9, 0.8, 0.7])
        let nan = try FormatTesting.onlyRun("nan\nnan\nnan\n", source: "loss.txt")
        XCTAssertEqual(nan.values("loss@step")?.filter(\.isNaN).count, 3)
    }

    func testColumnsAreValuesWhenTheNameNamesNoSingleMetric() throws {
        let run = try FormatTesting.onlyRun("1\t0.9\t0.8\n2\t0.7\t0.75\n3\t0.5\t0.7\n", source: "history.txt")
        XCTAssertValues(run.values("value"), [0.9, 0.7, 0.5])
        XCTAssertValues(run.values("value_2"), [0.8, 0.75, 0.7])
    }

    func testNumbersInAFileNotNamedAsALogAreNotRead() throws {
        XCTAssertEqual(BareNumbersParser().confidence(for: LogInput(source: "data/features.csv", data: Data("1,2.5\n2,3.5\n3,4.5\n".utf8))), 0)
        XCTAssertEqual(BareNumbersParser().confidence(for: LogInput(source: "data/train.csv", data: Data("1,2.5\n2,3.5\n3,4.5\n".utf8))), 0,
                       "a training set's samples, not a log")
        XCTAssertEqual((try? FormatTesting.runs("1,2.5\n2,3.5\n3,4.5\n", source: "data/features.csv"))?.count ?? 0, 0)
    }

    func testALineOfTextOrTooManyColumnsIsNotBareNumbers() {
        let parser = BareNumbersParser()
        XCTAssertEqual(parser.confidence(for: LogInput(source: "loss.txt", data: Data("1,0.5\nepoch 2 loss 0.4\n3,0.3\n".utf8))), 0)
        XCTAssertEqual(parser.confidence(for: LogInput(source: "loss.txt", data: Data("1,2,3,4,5\n2,3,4,5,6\n3,4,5,6,7\n".utf8))), 0)
        XCTAssertGreaterThan(parser.confidence(for: LogInput(source: "loss.txt", data: Data("1,0.5\n2,0.4\n3,0.3\n".utf8))), 0)
    }
}
