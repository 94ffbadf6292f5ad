import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class NotebookParserTests: XCTestCase {
    private func parser() throws -> NotebookParser {
        NotebookParser(library: try PatternLibrary.bundled(adding: nil))
    }

    func testKerasOutputInCellsIsReadAsConsole() throws {
        let runs = try parser().parse(StructuredFixture.input("keras-console-notebook.ipynb"))
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.format, .notebook)
        XCTAssertEqual(run.name, "run 1 (keras-console)")
        XCTAssertEqual(run.values("val_loss"), [0.2990, 0.2286, 0.2109])
        XCTAssertEqual(run.values("acc"), [0.7357, 0.9109, 0.9353])
    }

    func testTextAsOneStringAndSwitchBetweenStreamsEndsALine() throws {
        let notebook = #"""
        {"cells": [{"cell_type": "code", "source": [], "outputs": [
          {"output_type": "stream", "name": "stderr", "text": " 16%|#         | 100/608 [00:06<00:15, 33.10it/s]"},
          {"output_type": "stream", "name": "stdout", "text": "Epoch 1/2\n10/10 - 1s - loss: 0.9000 - val_loss: 0.9500\n"},
          {"output_type": "stream", "name": "stdout", "text": "Epoch 2/2\n10/10 - 1s - loss: 0.8000 - val_loss: 0.8500\n"}
        ]}], "nbformat": 4}
        """#
        let runs = try parser().parse(LogInput(source: "n.ipynb", data: Data(notebook.utf8)))
        XCTAssertEqual(runs.first?.values("loss"), [0.9, 0.8])
        XCTAssertEqual(runs.first?.values("val_loss"), [0.95, 0.85])
    }

    func testFastaiProgressTableMetricsAreValidationMetrics() throws {
        let runs = try parser().parse(StructuredFixture.input("fastai-table-notebook.ipynb"))
        XCTAssertEqual(runs.count, 1)
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.name, "run 1 (fastai table)")
        XCTAssertEqual(run.values("loss"), [2.571932, 1.904674, 1.586909])
        XCTAssertEqual(run.values("val_loss"), [2.685040, 1.852589, 1.374908])
        XCTAssertEqual(run.values("val_acc"), [0.322548, 0.437452, 0.594904])
        XCTAssertEqual(run.series(named: "loss")?.points.map(\.epoch), [1, 2, 3])
    }

    func testHTMLTableCells() {
        let tables = HTMLTables.tables(in: "<table><thead><tr><th>epoch</th><th>a &amp; b</th></tr></thead>"
            + "<tbody><tr><td>0</td><td><b>1.5</b></td></tr></tbody></table>")
        XCTAssertEqual(tables, [[["epoch", "a & b"], ["0", "1.5"]]])
    }
}
