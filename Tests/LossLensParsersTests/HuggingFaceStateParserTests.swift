import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class HuggingFaceStateParserTests: XCTestCase {
    func testTrainAndEvalEntriesBecomeStepSeriesWithEpochAggregates() throws {
        let runs = try HuggingFaceStateParser().parse(StructuredFixture.input("hf-healthy-trainer_state.json"))
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.format, .huggingFaceState)
        let loss = try XCTUnwrap(run.series(named: "loss", granularity: .step))
        XCTAssertEqual(loss.points.prefix(3).map(\.step), [10, 20, 30])
        XCTAssertEqual(loss.points.first?.value, 0.6933928489685058)
        XCTAssertEqual(loss.points.prefix(4).map(\.epoch), [1, 1, 1, 2])
        XCTAssertNotNil(run.series(named: "grad_norm", granularity: .step))
        XCTAssertNotNil(run.series(named: "lr", granularity: .step))
        let evalLoss = try XCTUnwrap(run.series(named: "val_loss", granularity: .step))
        XCTAssertEqual(evalLoss.points.first?.value, 0.5794468522071838)
        XCTAssertEqual(evalLoss.points.first?.epoch, 1)
        XCTAssertEqual(run.series(named: "val_acc")?.points.first?.value, 0.845)
        XCTAssertEqual(run.epochCount, 8)
        // Runtime and throughput keys are not metrics.
        XCTAssertFalse(run.series.contains { $0.name.base.contains("runtime") || $0.name.base.contains("second") })
    }

    func testSummaryEntryIsLeftOut() throws {
        let runs = try HuggingFaceStateParser().parse(StructuredFixture.input("hf-healthy-trainer_state.json"))
        let loss = try XCTUnwrap(runs.first?.series(named: "loss", granularity: .step))
        // The summary entry's train_loss (the mean over training) would be a last "loss" point at step 256.
        XCTAssertEqual(loss.points.last?.step, 250)
    }

    func testEpochCounterResetDoesNotSplitTheRun() throws {
        let runs = try HuggingFaceStateParser().parse(StructuredFixture.input("hf-epoch-reset-trainer_state.json"))
        XCTAssertEqual(runs.count, 1)
        let loss = try XCTUnwrap(runs.first?.series(named: "loss", granularity: .step))
        XCTAssertEqual(loss.points.map(\.step), [4900, 4950, 5000, 5050, 5100, 5150, 5200])
        // Epoch 0.05 is in epoch 1; after the reset to 0.0 the counter goes on with epoch 2.
        XCTAssertEqual(loss.points.map(\.epoch), [1, 1, 1, 2, 2, 2, 2])
        XCTAssertEqual(runs.first?.values("val_wer@step")?.count, 2)
    }

    func testConfidenceNeedsLogHistory() {
        let parser = HuggingFaceStateParser()
        XCTAssertGreaterThan(parser.confidence(for: LogInput(source: "x.json", data: Data(#"{"log_history": []}"#.utf8))), 0.9)
        XCTAssertEqual(parser.confidence(for: LogInput(source: "x.json", data: Data(#"{"loss": [1, 2]}"#.utf8))), 0)
    }
}
