import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel

final class KerasConsoleTests: XCTestCase {
    /// Keras prints 4 decimals; the history keeps full precision.
    private let printedPrecision = 0.00005 + 1e-9

    func testVerbose1EqualsTheHistoryOfTheSameRun() throws {
        // Each epoch line holds several redraws of the bar (\r, \b, ANSI colours); the last one is the epoch.
        let run = try ConsoleFixtures.onlyRun("keras-verbose1.log")
        XCTAssertEqual(run.format, .kerasConsole)
        XCTAssertEqual(run.plannedEpochs, 26)
        let history = try JSONSerialization.jsonObject(with: ConsoleFixtures.data("keras-verbose1.history.json"))
        let expected = try XCTUnwrap(history as? [String: [Double]])
        let keys = ["accuracy": "acc", "loss": "loss", "val_accuracy": "val_acc", "val_loss": "val_loss"]
        for (historyKey, seriesKey) in keys {
            XCTAssertValues(run.values(seriesKey), try XCTUnwrap(expected[historyKey]), accuracy: printedPrecision)
        }
        XCTAssertEqual(run.epochs("val_loss"), [1, 2, 3, 4])
    }

    func testFitCalledForOneEpochInALoopIsOneRunOfConsecutiveEpochs() throws {
        // for _ in range(4): model.fit(x, y, epochs=1, validation_split=0.2)
        var log = ""
        for call in 1...4 {
            log += "Epoch 1/1\n"
            log += "\r 1/50 ━━━━━━━━━━━━━━━━━━━━ 0s 9ms/step - accuracy: 0.1000 - loss: 9.0000"
            log += "\r50/50 ━━━━━━━━━━━━━━━━━━━━ 1s 5ms/step - accuracy: 0.\(5 + call)000 - loss: \(1.0 / Double(call)) "
            log += "- val_accuracy: 0.\(4 + call)000 - val_loss: \(1.2 / Double(call))\n"
        }
        let runs = try ConsoleFixtures.runs(text: log)
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        XCTAssertValues(run.values("loss"), [1.0, 0.5, 1.0 / 3, 0.25], accuracy: 1e-12)
        XCTAssertValues(run.values("val_acc"), [0.5, 0.6, 0.7, 0.8], accuracy: 1e-12)
        XCTAssertEqual(run.epochs("val_loss"), [1, 2, 3, 4])
        XCTAssertNil(run.plannedEpochs, "the number of calls is not printed")

        // One call of one epoch stays one epoch, planned as printed.
        let single = try XCTUnwrap(try ConsoleFixtures.runs(text: "Epoch 1/1\n50/50 - 1s - loss: 0.5000 - accuracy: 0.8000\n").first)
        XCTAssertEqual(single.epochs("loss"), [1])
        XCTAssertEqual(single.plannedEpochs, 1)
    }

    func testVerbose2WithEpochAndStepTimes() throws {
        // 128/128 - 0s - loss: 2.9102 - accuracy: 0.1586 - 358ms/epoch - 3ms/step
        let run = try ConsoleFixtures.onlyRun("keras-verbose2.log")
        XCTAssertValues(run.values("loss"), [3.1494, 2.9102, 2.8229])
        XCTAssertValues(run.values("acc"), [0.1463, 0.1586, 0.1977])
        XCTAssertEqual(run.plannedEpochs, 100)
        XCTAssertEqual(run.series.count, 2, "times are not metrics: \(run.series.map(\.key))")
    }

    func testKeras1ThreeFitCallsWithEarlyStoppingInsideAnEpoch() throws {
        // "Epoch 9/10" / "Epoch 00008: early stopping" / "3124s - loss: 0.0516 - ..." ; three fit() calls.
        let runs = try ConsoleFixtures.runs("keras1-runs-early-stopping.log")
        XCTAssertEqual(runs.map(\.epochCount), [10, 9, 6])
        XCTAssertEqual(runs.map(\.name), ["run 1", "run 2", "run 3"])
        XCTAssertValues(runs[0].values("loss")?.prefix(2).map { $0 }, [1.7197, 0.6644])
        // The early-stopping line between the header and the values does not break epoch 9.
        XCTAssertEqual(runs[1].values("loss")?.last, 0.0516)
        XCTAssertEqual(runs[1].values("val_acc")?.last, 0.9836)
        XCTAssertEqual(runs[1].epochs("loss")?.last, 9)
        let event = try XCTUnwrap(runs[1].events.first)
        XCTAssertEqual(event.kind, .earlyStopping)
        XCTAssertEqual(event.epoch, 8)
        XCTAssertEqual(event.line, 40)
        XCTAssertEqual(runs[2].events.map(\.kind), [.earlyStopping])
        XCTAssertTrue(runs[0].events.isEmpty)
    }

    func testCallbackLinesAreEventsNotEpochs() throws {
        let log = """
            Epoch 9/10
            45/45 - 0s - 2ms/step - accuracy: 0.9500 - loss: 0.2000 - val_accuracy: 0.9000 - val_loss: 0.3000
            Epoch 9: val_accuracy did not improve from 0.91000
            Epoch 10/10
            45/45 - 0s - 2ms/step - accuracy: 0.9600 - loss: 0.1900 - val_accuracy: 0.9050 - val_loss: 0.3100
            Epoch 10: ReduceLROnPlateau reducing learning rate to 0.0001.
            Epoch 10: early stopping
            Restoring model weights from the end of the best epoch: 8.
            """
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.epochs("loss"), [9, 10])
        XCTAssertValues(run.values("val_loss"), [0.3, 0.31])
        XCTAssertEqual(run.events.map(\.kind), [.checkpoint, .learningRateReduced, .earlyStopping, .restoredWeights])
        XCTAssertEqual(run.events.map(\.epoch), [9, 10, 10, nil])
    }

    func testLoggingLinesWithDashesAreNotKerasValues() throws {
        // A Python logging line has " - " separators too; without a batch counter or epoch time it is no Keras line.
        let log = """
            2020-02-10 21:04:50,178 - train - INFO - accuracy: 0.5 - loss: 0.7
            2020-02-10 21:05:50,178 - train - INFO - accuracy: 0.6 - loss: 0.6
            """
        let runs = try ConsoleFixtures.runs(text: log)
        XCTAssertFalse(runs.contains { $0.format == .kerasConsole })
    }
}
