import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Each structured fixture is read by the parser of its format, chosen from the content alone: the
/// file is handed over under a name that says nothing about the format.
final class ParserSelectionTests: XCTestCase {
    private func format(of fixture: String) throws -> InputFormat? {
        let data = try StructuredFixture.data(fixture)
        return try Analyzer().parse(LogInput(source: "artifact", data: data)).first?.format
    }

    func testFormatsAreChosenByContent() throws {
        XCTAssertEqual(try format(of: "keras-healthy-s11/training.csv"), .csv)
        XCTAssertEqual(try format(of: "lightning-healthy-metrics.csv"), .csv)
        XCTAssertEqual(try format(of: "history-dataframe-no-epoch.csv"), .csv)
        XCTAssertEqual(try format(of: "keras-healthy-s11/history.json"), .kerasHistoryJSON)
        XCTAssertEqual(try format(of: "history-config-epochs.json"), .kerasHistoryJSON)
        XCTAssertEqual(try format(of: "hf-healthy-trainer_state.json"), .huggingFaceState)
        XCTAssertEqual(try format(of: "keras-console-notebook.ipynb"), .notebook)
        XCTAssertEqual(try format(of: "fastai-table-notebook.ipynb"), .notebook)
        XCTAssertEqual(try format(of: "keras-healthy-s11/tb/train/events.out.tfevents.1795388000.vm.990.0.v2"), .tensorBoard)
        XCTAssertEqual(try Analyzer().parse(StructuredFixture.kerasBoard()).first?.format, .tensorBoard)
    }
}
