import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensReport

final class MermaidChartTests: XCTestCase {
    private func chart(_ series: [MetricSeries]) -> [String] {
        MermaidChart(LossChart(run: ReportTestSupport.run(series))).render()
    }

    func testDrawsTrainAndValidationLossOverTheEpochs() throws {
        let lines = chart([
            ReportTestSupport.series("loss", [2.0, 1.0, 0.5, 0.25]),
            ReportTestSupport.series("val_loss", [2.2, 1.4, 1.2, 1.3]),
            ReportTestSupport.series("accuracy", [0.2, 0.5, 0.7, 0.8]),
        ])
        XCTAssertEqual(lines.first, "```mermaid")
        XCTAssertTrue(lines.contains("xychart-beta"))
        XCTAssertTrue(lines.contains("  x-axis \"epoch\" 1 --> 4"))
        XCTAssertTrue(lines.contains("  y-axis \"loss\" 0.000 --> 2.298"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("  line \"loss\" [2.000, 1.000, 0.500, 0.250]"))
        XCTAssertTrue(lines.contains("  line \"val_loss\" [2.200, 1.400, 1.200, 1.300]"))
        XCTAssertEqual(lines.filter { $0.hasPrefix("  line ") }.count, 2, "accuracy is not on the loss chart")
        XCTAssertTrue(lines.contains { $0.contains("blue: `loss` (training), orange: `val_loss` (validation)") })
    }

    func testALossFarFromZeroGetsATightAxis() {
        let lines = chart([ReportTestSupport.series("loss", [2.31, 2.30, 2.30, 2.29])])
        XCTAssertTrue(lines.contains("  y-axis \"loss\" 2.28900 --> 2.31100"), lines.joined(separator: "\n"))
    }

    func testValuesSpanningOrdersOfMagnitudeArePlottedAsLog10WithANote() {
        let lines = chart([ReportTestSupport.series("loss", [1e19, 3.1, 2.4, 2.4])])
        XCTAssertTrue(lines.contains { $0.hasPrefix("  y-axis \"log10(loss)\"") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("  line \"loss\" [19.00, 0.49") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("The y-axis is log10(loss)") })
    }

    func testNonFiniteValuesAreClampedToTheAxisEdgeAndNamed() {
        let lines = chart([ReportTestSupport.series("loss", [1.0, 0.5, .nan, .nan, -.infinity])])
        let text = lines.joined(separator: "\n")
        XCTAssertFalse(text.lowercased().contains("nan,"), "Mermaid cannot read NaN")
        XCTAssertTrue(lines.contains("  y-axis \"loss\" 0.000 --> 1.025"), text)
        XCTAssertTrue(lines.contains("  line \"loss\" [1.000, 0.500, 1.025, 1.025, 0.000]"), text)
        XCTAssertTrue(text.contains("`loss` is NaN or infinite at epochs 3–5"), text)
    }

    func testEpochsMissingFromOneSeriesAreInterpolatedAndSaid() {
        let lines = chart([
            ReportTestSupport.series("loss", [1.0, 0.8, 0.6, 0.4, 0.2]),
            ReportTestSupport.series("val_loss", [1.0, nil, 0.6, nil, 0.4]),
        ])
        XCTAssertTrue(lines.contains("  line \"val_loss\" [1.000, 0.800, 0.600, 0.500, 0.400]"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("`val_loss` was not logged at epochs 2, 4") })
    }

    func testNoChartWithoutTwoEpochsOrAFiniteValue() {
        XCTAssertEqual(chart([ReportTestSupport.series("loss", [0.5])]), ["_No loss chart: fewer than two epochs were logged._"])
        XCTAssertEqual(chart([ReportTestSupport.series("loss", [.nan, .nan])]), ["_No loss chart: no loss value is finite._"])
        XCTAssertEqual(chart([ReportTestSupport.series("accuracy", [0.5, 0.6])]), [])
    }

    func testLabelsCannotEndAMermaidString() {
        XCTAssertEqual(MermaidChart.label("a\"b`c\nd\u{1B}[31m"), "abcd")
    }
}
