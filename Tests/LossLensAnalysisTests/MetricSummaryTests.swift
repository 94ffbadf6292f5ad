import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensReport

final class MetricSummaryTests: XCTestCase {
    func testBestIsTheMinimumForLossesAndTheMaximumForAccuracies() {
        let loss = MetricSummary(ReportTestSupport.series("val_loss", [0.9, 0.4, .nan, 0.4, 0.6]))
        XCTAssertEqual(loss.best?.value, 0.4)
        XCTAssertEqual(loss.best?.epoch, 2, "the first of equal values")
        XCTAssertEqual(loss.first?.value, 0.9)
        XCTAssertEqual(loss.last?.value, 0.6)

        let accuracy = MetricSummary(ReportTestSupport.series("val_accuracy", [0.5, 0.8, 0.7]))
        XCTAssertEqual(accuracy.best?.value, 0.8)
        XCTAssertEqual(accuracy.best?.epoch, 2)
    }

    func testNonFiniteValuesAreNeverBest() {
        XCTAssertNil(MetricSummary(ReportTestSupport.series("loss", [.nan, .infinity])).best)
        XCTAssertEqual(MetricSummary(ReportTestSupport.series("loss", [-.infinity, 1.0])).best?.value, 1.0)
    }

    func testMetricsWithoutADirectionHaveNoBest() {
        XCTAssertNil(MetricSummary(ReportTestSupport.series("lr", [0.1, 0.01])).best)
        XCTAssertNil(MetricSummary(ReportTestSupport.series("grad_norm", [3, 2])).best)
        XCTAssertEqual(MetricSummary(ReportTestSupport.series("val_mae", [3, 2])).best?.value, 2)
        XCTAssertEqual(MetricSummary(ReportTestSupport.series("val_f1", [0.3, 0.5])).best?.value, 0.5)
    }

    func testJSONStatesTheFilters() {
        let report = AnalysisReport(runs: [], errors: [], ignoredRules: ["spike", "flat"], minimumSeverity: .warning)
        let json = JSONReport.document(report).serialized(pretty: false)
        XCTAssertTrue(json.hasSuffix(#""ignoredRules":["flat", "spike"],"minSeverity":"warning"}"#), json)
    }
}
