import Foundation
import XCTest

@testable import LossLensCore

final class ArtifactGroupingTests: XCTestCase {
    private func folder(_ name: String) throws -> String {
        try StructuredFixture.url("artifacts/\(name)").path
    }

    func testConsoleAndHistoryOfOneRunAreReportedOnceFromTheHistory() throws {
        let report = try Analyzer().analyze(paths: [folder("keras-run")])
        XCTAssertEqual(report.runs.count, 1)
        let run = try XCTUnwrap(report.runs.first?.run)
        XCTAssertEqual(run.format, .kerasHistoryJSON, "the full-precision source is preferred")
        XCTAssertEqual(run.companions.map(\.format), [.kerasConsole])
        XCTAssertEqual(run.plannedEpochs, 26, "what only the console said is kept")
    }

    func testDifferentRunsInOneFolderStayApart() throws {
        let report = try Analyzer().analyze(paths: [folder("two-runs")])
        XCTAssertEqual(report.runs.count, 2)
        XCTAssertTrue(report.runs.allSatisfy { $0.run.companions.isEmpty })
    }

    func testGroupingCanBeTurnedOff() throws {
        let analyzer = try Analyzer(options: AnalysisOptions(groupsArtifacts: false))
        XCTAssertEqual(analyzer.analyze(paths: [try folder("keras-run")]).runs.count, 2)
    }

    func testLightningConsoleShowingOnlyItsLastEpochUsesTheMetricsFileOfItsFolder() throws {
        let console = try folder("lightning-run") + "/console.log"
        let report = try Analyzer().analyze(paths: [console])
        let run = try XCTUnwrap(report.runs.first?.run)
        XCTAssertEqual(report.runs.count, 1)
        XCTAssertEqual(run.format, .csv)
        XCTAssertTrue(run.source.hasSuffix("lightning_logs/version_0/metrics.csv"), run.source)
        XCTAssertEqual(run.companions.map(\.source), [console])
        XCTAssertEqual(run.series(.loss, .validation)?.points.count, 15)
    }

    func testAgreementToleratesPrintedPrecisionButNotOtherValues() {
        XCTAssertTrue(ArtifactGrouping.closeEnough(0.6931, 0.69314718))
        XCTAssertTrue(ArtifactGrouping.closeEnough(0.037, 0.03712))
        XCTAssertFalse(ArtifactGrouping.closeEnough(0.69, 0.72))
        XCTAssertTrue(ArtifactGrouping.closeEnough(.nan, .nan))
        XCTAssertFalse(ArtifactGrouping.closeEnough(.nan, 0.5))
    }

    func testRunFolderSkipsLightningAndTensorBoardSubfolders() {
        let csv = Run(source: "exp/a/lightning_logs/version_3/metrics.csv", format: .csv, name: "run 1")
        XCTAssertEqual(ArtifactGrouping.runFolder(of: csv), "exp/a")
        let board = Run(source: "exp/a/tb", format: .tensorBoard, name: "run 1")
        XCTAssertEqual(ArtifactGrouping.runFolder(of: board), "exp/a")
        let console = Run(source: "exp/a/console.log", format: .kerasConsole, name: "run 1")
        XCTAssertEqual(ArtifactGrouping.runFolder(of: console), "exp/a")
    }
}
