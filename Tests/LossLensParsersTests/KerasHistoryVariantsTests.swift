import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// The dict-of-lists JSON files PyTorch loops and multi-model Keras scripts write.
final class KerasHistoryVariantsTests: XCTestCase {
    func testHistorySuffixIsDroppedFromMetricNames() {
        XCTAssertEqual(MetricName(raw: "train_acc_history").canonical, "acc")
        XCTAssertEqual(MetricName(raw: "val_loss_history").canonical, "val_loss")
        XCTAssertEqual(MetricName(raw: "history").canonical, "history")
    }

    func testSuffixedKeys() throws {
        let run = try XCTUnwrap(try KerasHistoryParser().parse(StructuredFixture.input("history-suffix-keys.json")).first)
        XCTAssertEqual(run.series.map(\.key).sorted(), ["acc", "loss", "val_acc", "val_loss"])
        XCTAssertEqual(run.values("val_loss")?.count, 5)
    }

    func testConfigDictAndScalarsAreIgnoredAndEpochsListNumbersEpochs() throws {
        let run = try XCTUnwrap(try KerasHistoryParser().parse(StructuredFixture.input("history-config-epochs.json")).first)
        XCTAssertEqual(run.series.map(\.key).sorted(), ["cer", "loss", "lr", "val_cer", "val_loss", "val_wer", "wer"])
        XCTAssertEqual(run.series(named: "loss")?.points.map(\.epoch), [1, 2, 3, 4, 5])
    }

    func testPercentAccuraciesAndIndexListsOfPhases() throws {
        let run = try XCTUnwrap(try KerasHistoryParser().parse(StructuredFixture.input("history-percent-phases.json")).first)
        // `phase_starts` [0, 15, 40] indexes epochs; it is not a curve.
        XCTAssertEqual(run.series.map(\.key).sorted(), ["acc", "loss", "val_acc", "val_loss"])
        let accuracy = try XCTUnwrap(run.values("acc"))
        XCTAssertEqual(accuracy.first ?? 0, 0.35575473729543496, accuracy: 1e-12)
    }

    func testTwoModelsWithPrefixedKeysBecomeTwoRuns() throws {
        let runs = try KerasHistoryParser().parse(StructuredFixture.input("history-two-models.json"))
        XCTAssertEqual(runs.map(\.name), ["cls", "reg"])
        XCTAssertEqual(runs[0].values("val_loss")?.count, 4)
        XCTAssertEqual(runs[1].values("val_loss")?.count, 6)
        XCTAssertNotNil(runs[0].series(named: "acc"))
        XCTAssertNotNil(runs[1].series(named: "mae"))
    }

    func testExactZeroAndOneAreNumbersAndLongDecimalsAreExact() throws {
        let json = #"{"acc": [0.5, 1.0, 1], "lr": [0, 0.0], "loss": [0.6933928489685058, 0.5], "flag": [true, false]}"#
        let run = try XCTUnwrap(try KerasHistoryParser().parse(LogInput(source: "h.json", data: Data(json.utf8))).first)
        XCTAssertEqual(run.values("acc"), [0.5, 1.0, 1.0])
        XCTAssertEqual(run.values("lr"), [0, 0])
        XCTAssertEqual(run.values("loss")?.first, 0.6933928489685058)
        XCTAssertNil(run.values("flag"))
    }

    func testPlainKerasHistoryStaysOneRun() throws {
        let runs = try KerasHistoryParser().parse(StructuredFixture.input("keras-healthy-s11/history.json"))
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.values("val_acc")?.count, 26)
    }
}
