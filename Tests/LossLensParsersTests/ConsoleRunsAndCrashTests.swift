import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class ConsoleRunsAndCrashTests: XCTestCase {
    func testEpochCounterGoingBackStartsANewRun() throws {
        let log = """
            Epoch 1, Loss: 0.90
            Epoch 2, Loss: 0.70
            Epoch 3, Loss: 0.60
            Epoch 1, Loss: 0.95
            Epoch 2, Loss: 0.80
            """
        let runs = try ConsoleFixtures.runs(text: log)
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map { $0.values("loss") ?? [] }, [[0.9, 0.7, 0.6], [0.95, 0.8]])
        XCTAssertEqual(runs.map(\.name), ["run 1", "run 2"])
    }

    func testResumedRunContinuingItsEpochNumbersStaysOneRun() throws {
        // Resumed from a checkpoint with a new total: the epoch numbers go on.
        let log = """
            Epoch [198]/[199] \t Training Phase Loss: 0.0374 \t Accuracy: 0.8260
            Epoch [199]/[199] \t Training Phase Loss: 0.0375 \t Accuracy: 0.8273
            Epoch [200]/[249] \t Training Phase Loss: 0.0467 \t Accuracy: 0.7731
            """
        let runs = try ConsoleFixtures.runs(text: log)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.values("loss"), [0.0374, 0.0375, 0.0467])
        XCTAssertEqual(runs.first?.plannedEpochs, 249)
    }

    func testZeroBasedEpochsAreShifted() throws {
        let log = "Epoch: 0/50, loss: 5.2\nEpoch: 1/50, loss: 5.0\n"
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.epochs("loss"), [1, 2])
    }

    func testCrashWithoutMetricsIsFound() throws {
        let run = try ConsoleFixtures.onlyRun("torch-crash.log")
        let crash = try XCTUnwrap(run.crash)
        XCTAssertEqual(crash.exceptionType, "RuntimeError")
        XCTAssertEqual(crash.message, "all elements of input should be between 0 and 1")
        XCTAssertEqual(crash.line, 17)
        XCTAssertFalse(run.hasMetrics)
        // The analyzer keeps such a run: the crash is what there is to report.
        let analyzed = try Analyzer().parse(LogInput(source: "torch-crash.log", data: ConsoleFixtures.data("torch-crash.log")))
        XCTAssertEqual(analyzed.first?.crash?.exceptionType, "RuntimeError")
    }

    func testCrashAfterEpochsIsAttachedToTheRun() throws {
        let log = """
            Epoch 1, Loss: 0.90
            Epoch 2, Loss: 0.70
            Traceback (most recent call last):
              File "train.py", line 10, in <module>
                loss.backward()
            torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB
            """
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.values("loss"), [0.9, 0.7])
        XCTAssertEqual(run.crash?.exceptionType, "torch.OutOfMemoryError")
        XCTAssertEqual(run.crash?.message, "CUDA out of memory. Tried to allocate 20.00 MiB")
        XCTAssertEqual(run.crash?.line, 6)
    }

    func testLogWithoutMetricsGivesTheNoMetricsError() throws {
        let input = LogInput(source: "notes.txt", data: Data("model saved\nall done\n".utf8))
        XCTAssertThrowsError(try Analyzer().parse(input)) { error in
            guard case LossLensError.noMetrics(let source, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(source, "notes.txt")
            XCTAssertTrue(error.localizedDescription.contains("--patterns"))
        }
    }
}
