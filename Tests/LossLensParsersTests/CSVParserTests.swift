import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class CSVParserTests: XCTestCase {
    private func parse(_ text: String) throws -> [Run] {
        try CSVParser().parse(LogInput(source: "test.csv", data: Data(text.utf8)))
    }

    func testCSVLoggerAgreesWithHistoryJSON() throws {
        let runs = try CSVParser().parse(StructuredFixture.input("keras-healthy-s11/training.csv"))
        let history = try StructuredFixture.kerasHistory()
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        assertValues(run.values("loss"), history["loss"])
        assertValues(run.values("acc"), history["accuracy"])
        assertValues(run.values("val_loss"), history["val_loss"])
        assertValues(run.values("val_acc"), history["val_accuracy"])
        // CSVLogger counts epochs from 0; runs count from 1.
        XCTAssertEqual(run.series(named: "loss")?.points.first?.epoch, 1)
        XCTAssertEqual(run.series(named: "loss")?.points.first?.line, 2)
    }

    func testAppendedRunsSplitWhereTheEpochGoesBack() throws {
        let runs = try CSVParser().parse(StructuredFixture.input("csvlogger-appended-runs.csv"))
        XCTAssertEqual(runs.map { $0.values("loss")?.count }, [5, 4, 2])
        XCTAssertEqual(runs[1].values("lr")?.first, 9.999999747378752e-05)
        XCTAssertEqual(runs[2].values("lr")?.first, 9.999999747378752e-06)
    }

    func testRepeatedHeaderStartsANewRunEvenWhenEpochsGoOn() throws {
        let runs = try parse("epoch,loss\n0,1.0\n1,0.8\nepoch,loss\n2,0.5\n3,0.4\n")
        XCTAssertEqual(runs.map { $0.values("loss") }, [[1.0, 0.8], [0.5, 0.4]])
    }

    func testDataFrameWithoutEpochColumnCountsRowsAsEpochs() throws {
        let runs = try CSVParser().parse(StructuredFixture.input("history-dataframe-no-epoch.csv"))
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.values("loss")?.count, 6)
        XCTAssertEqual(run.series(named: "val_mae")?.points.map(\.epoch), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(run.values("lr")?.first, 0.0010000000474974513)
    }

    func testDataFrameIndexColumnIsTheZeroBasedEpoch() throws {
        let runs = try parse(",loss,val_loss\n0,0.9,1.0\n1,0.7,0.8\n2,0.5,0.7\n")
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].series(named: "loss")?.points.map(\.epoch), [1, 2, 3])
        XCTAssertNil(runs[0].series.first { $0.name.base == "value" })
    }

    func testRaggedRowsAreSkipped() throws {
        let runs = try parse("epoch,loss,val_loss\n0,0.9,1.0\n1,0.7\n2,0.5,0.7,0.1\n3,0.4,0.6\n")
        XCTAssertEqual(runs[0].values("loss"), [0.9, 0.4])
        XCTAssertEqual(runs[0].series(named: "loss")?.points.map(\.epoch), [1, 4])
    }

    func testMissingTokensAreNoValueButNaNIsKept() throws {
        let runs = try parse("epoch,loss,val_loss,dice\n0,0.9,NA,nan\n1,0.7,,nan\n")
        XCTAssertNil(runs[0].series(named: "val_loss"))
        XCTAssertEqual(runs[0].values("dice")?.count, 2)
        XCTAssertTrue(runs[0].values("dice")?.allSatisfy(\.isNaN) ?? false)
    }

    func testStringColumnsAreIgnoredAndQuotedFieldsKeepTheirCommas() throws {
        let text = "epoch,phase,train_loss,note,val_acc\n1,P1,0.5,\"a, b\",0.7\n2,P2,0.4,\"say \"\"hi\"\"\",0.75\n"
        let run = try XCTUnwrap(try parse(text).first)
        XCTAssertEqual(run.series.map(\.key).sorted(), ["loss", "val_acc"])
        XCTAssertEqual(run.values("val_acc"), [0.7, 0.75])
    }

    func testSemicolonAndTabSeparatedTables() throws {
        XCTAssertEqual(try parse("epoch;loss;val_loss\n1;0.5;0.6\n2;0.4;0.5\n").first?.values("val_loss"), [0.6, 0.5])
        XCTAssertEqual(try parse("epoch\tloss\n1\t0.5\n2\t0.4\n").first?.values("loss"), [0.5, 0.4])
    }

    func testVersionColumnNamesRunsAndSummaryRowsAreSkipped() throws {
        let runs = try CSVParser().parse(StructuredFixture.input("versions-with-summary.csv"))
        XCTAssertEqual(runs.map(\.name), ["version V4", "version V5"])
        XCTAssertEqual(runs.map { $0.values("val_loss")?.count }, [3, 3])
    }

    func testLightningSparseRowsWithSuffixedColumns() throws {
        let runs = try CSVParser().parse(StructuredFixture.input("lightning-healthy-metrics.csv"))
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.values("loss@step")?.prefix(2), [2.2469711303710938, 2.1796019077301025])
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.first?.step, 9)
        XCTAssertEqual(run.values("loss")?.prefix(2), [2.1604034900665283, 1.7540054321289062])
        XCTAssertEqual(run.values("val_loss")?.prefix(2), [1.9932384490966797, 1.4999758005142212])
        XCTAssertEqual(run.series(named: "val_loss")?.points.prefix(2).map(\.epoch), [1, 2])
    }

    func testLightningColumnWithSeveralValuesPerEpochIsPerStep() throws {
        let runs = try CSVParser().parse(StructuredFixture.input("lightning-unsuffixed-metrics.csv"))
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.first?.value, 0.634955883026123)
        XCTAssertEqual(run.values("val_loss"), [0.07106363773345947, 0.045888353139162064])
        XCTAssertEqual(run.values("val_acc")?.count, 2)
    }

    func testConfidenceRejectsJSONAndConsoleText() {
        let parser = CSVParser()
        XCTAssertEqual(parser.confidence(for: LogInput(source: "a", data: Data("{\"loss\": [1, 2], \"acc\": [0.1, 0.2]}".utf8))), 0)
        let console = "Epoch 1/10, loss: 0.5, acc: 0.9\nEpoch 2/10, loss: 0.4, acc: 0.92\n"
        XCTAssertEqual(parser.confidence(for: LogInput(source: "a", data: Data(console.utf8))), 0)
        XCTAssertGreaterThan(parser.confidence(for: LogInput(source: "a", data: Data("epoch,loss\n0,0.5\n".utf8))), 0.5)
    }

    func testAQuotedBlankFirstRowDoesNotHideTheHeader() {
        let text = "\"\"\nepoch,loss\n0,0.5\n1,0.4\n"
        XCTAssertGreaterThan(CSVParser().confidence(for: LogInput(source: "a", data: Data(text.utf8))), 0.5)
    }
}
