import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensReport

final class EarlyStoppingReplayTests: XCTestCase {
    private func replay(_ validation: [Double?], trainEpochs: Int? = nil) -> EarlyStoppingReplay? {
        var series = [ReportTestSupport.series("val_loss", validation)]
        if let trainEpochs { series.append(ReportTestSupport.series("loss", Array(repeating: 1.0, count: trainEpochs))) }
        return EarlyStoppingReplay(run: ReportTestSupport.run(series))
    }

    func testStopsPatienceEpochsAfterTheLastImprovement() throws {
        // Best at epoch 4, then 16 epochs without a strictly lower value.
        let values: [Double?] = [1.0, 0.8, 0.7, 0.6] + Array(repeating: 0.65, count: 16)
        let result = try XCTUnwrap(replay(values))
        XCTAssertEqual(result.monitor, "val_loss")
        XCTAssertEqual(result.bestEpoch, 4)
        XCTAssertEqual(result.bestValue, 0.6)
        XCTAssertEqual(result.outcomes.map(\.patience), [3, 5, 10])
        XCTAssertEqual(result.outcomes.map(\.stopEpoch), [7, 9, 14])
        XCTAssertEqual(result.outcomes.map(\.epochsSaved), [13, 11, 6])
    }

    func testALateImprovementResetsTheWait() throws {
        // Four flat epochs after epoch 2, then a new best at epoch 7: patience 5 never runs out.
        let values: [Double?] = [1.0, 0.5, 0.6, 0.6, 0.6, 0.6, 0.4, 0.45, 0.45]
        let result = try XCTUnwrap(replay(values))
        XCTAssertEqual(result.bestEpoch, 7)
        XCTAssertEqual(result.outcomes[0].stopEpoch, 5, "patience 3 stops three epochs after epoch 2")
        XCTAssertNil(result.outcomes[1].stopEpoch)
        XCTAssertEqual(result.outcomes[1].epochsSaved, 0)
        XCTAssertNil(result.outcomes[2].stopEpoch)
    }

    func testEqualValuesAreNotImprovements() throws {
        let result = try XCTUnwrap(replay([0.5, 0.5, 0.5, 0.5, 0.5]))
        XCTAssertEqual(result.bestEpoch, 1, "the first of equal values is the best")
        XCTAssertEqual(result.outcomes[0].stopEpoch, 4)
    }

    func testNaNNeverCountsAsAnImprovement() throws {
        let values: [Double?] = [0.9, 0.8, .nan, .nan, .nan, 0.7, .nan, .nan, .nan]
        let result = try XCTUnwrap(replay(values))
        XCTAssertEqual(result.bestEpoch, 6)
        XCTAssertEqual(result.bestValue, 0.7)
        XCTAssertEqual(result.outcomes[0].stopEpoch, 5, "three NaN epochs after the best at epoch 2 use up patience 3")
    }

    func testAMonitorThatIsNeverFiniteHasNoReplay() {
        XCTAssertNil(replay(Array(repeating: Double.nan, count: 12)), "a loss that never improves has nothing to replay")
    }

    func testAStopBeforeTheBestEpochIsMarked() throws {
        // A plateau of four epochs, then the best epoch 9: patience 3 stops at epoch 5, before it.
        let values: [Double?] = [1.0, 0.8, 0.81, 0.82, 0.83, 0.79, 0.7, 0.6, 0.5, 0.55]
        let result = try XCTUnwrap(replay(values))
        XCTAssertEqual(result.bestEpoch, 9)
        XCTAssertEqual(result.outcomes[0].stopEpoch, 5)
        XCTAssertTrue(result.outcomes[0].stopsBeforeBest)
        XCTAssertEqual(result.outcomes[0].valueAtStop, 0.83)
        XCTAssertFalse(result.outcomes[1].stopsBeforeBest, "patience 5 trains through the plateau")
        let markdown = EarlyStoppingTable.render(result, run: ReportTestSupport.run([ReportTestSupport.series("val_loss", values.map { $0! })]))
        XCTAssertTrue(markdown.contains { $0.contains("before the best epoch 9") }, "\(markdown)")
    }

    func testEpochsWithoutValidationDoNotCountAndSavingsUseTheRunLength() throws {
        // Validation every other epoch; the training series runs to epoch 12.
        let values: [Double?] = [1.0, nil, 0.5, nil, 0.6, nil, 0.6, nil, 0.6, nil, 0.6, nil]
        let result = try XCTUnwrap(replay(values, trainEpochs: 12))
        XCTAssertEqual(result.outcomes[0].stopEpoch, 9, "three validations after epoch 3: epochs 5, 7, 9")
        XCTAssertEqual(result.outcomes[0].epochsSaved, 3)
    }

    func testNoValidationLossMeansNoReplay() {
        let run = ReportTestSupport.run([ReportTestSupport.series("loss", [1, 0.5, 0.4]), ReportTestSupport.series("val_acc", [0.5, 0.6, 0.7])])
        XCTAssertNil(EarlyStoppingReplay(run: run))
    }

    func testJSONCarriesTheReplayAndNullWithoutValidationLoss() throws {
        let withValidation = ReportTestSupport.run([ReportTestSupport.series("val_loss", [1.0, 0.5, 0.6, 0.7, 0.8])])
        XCTAssertEqual(try earlyStoppingNode(of: withValidation).serialized(pretty: false), """
            {"monitor":"val_loss","bestEpoch":2,"bestValue":0.5,"patience":[{"patience":3,"stopEpoch":5,"epochsSaved":0,"stopsBeforeBest":false}, \
            {"patience":5,"stopEpoch":null,"epochsSaved":0,"stopsBeforeBest":false}, {"patience":10,"stopEpoch":null,"epochsSaved":0,"stopsBeforeBest":false}]}
            """)
        let without = ReportTestSupport.run([ReportTestSupport.series("loss", [1.0, 0.5])])
        XCTAssertEqual(try earlyStoppingNode(of: without), .null)
    }

    private func earlyStoppingNode(of run: Run) throws -> JSONNode {
        guard case let .object(pairs) = JSONReport.run(AnalyzedRun(run: run, findings: [])) else {
            throw XCTSkip("run is not a JSON object")
        }
        return try XCTUnwrap(pairs.first { $0.0 == "earlyStopping" }?.1, "run object has no earlyStopping key")
    }
}
