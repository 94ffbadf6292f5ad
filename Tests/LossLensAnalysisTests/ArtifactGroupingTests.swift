import Foundation
import XCTest

import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel

final class ArtifactGroupingTests: XCTestCase {
    private func folder(_ name: String) throws -> String {
        try TestFixtures.url("artifacts/\(name)").path
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

    private func run(_ format: InputFormat, _ metrics: [String: [Double]]) -> Run {
        let series = metrics.map { name, values in
            MetricSeries(name: MetricName(raw: name), granularity: .epoch,
                         points: values.enumerated().map { MetricPoint(epoch: $0.offset + 1, value: $0.element, line: $0.offset + 1) })
        }
        return Run(source: "x/\(format.rawValue)", format: format, name: "run 1", series: series)
    }

    func testOneSharedMetricIsNotEnoughToCallTwoArtifactsOneRun() {
        let history = run(.kerasHistoryJSON, ["loss": [2.31, 2.303, 2.3028], "val_loss": [1.38, 1.38, 1.38]])
        let onlyLoss = run(.pytorchConsole, ["loss": [2.3028]])
        XCTAssertFalse(ArtifactGrouping.agree(onlyLoss, history), "two runs at ln 10 have equal losses")
        let withTest = run(.pytorchConsole, ["loss": [2.3028], "test_loss": [0.05]])
        XCTAssertFalse(ArtifactGrouping.agree(withTest, history), "a metric the other artifact lacks")
        let same = run(.kerasConsole, ["loss": [2.303, 2.3028], "val_loss": [1.38, 1.38]])
        XCTAssertTrue(ArtifactGrouping.agree(same, history))
    }

    func testOnlyMoreExactArtifactsAreReadAsCompanions() {
        XCTAssertEqual(ArtifactGrouping.formats(moreExactThan: .lightningConsole),
                       [.kerasHistoryJSON, .csv, .huggingFaceState, .tensorBoard, .notebook, .jsonLines, .wandbHistory,
                        .detectron2Metrics, .mmdetectionLog, .mlflow, .ultralyticsCSV, .bareNumbers],
                       "other console logs in the folder are never read")
        XCTAssertEqual(ArtifactGrouping.formats(moreExactThan: .csv),
                       [.kerasHistoryJSON, .jsonLines, .wandbHistory, .detectron2Metrics, .mmdetectionLog, .mlflow])
        XCTAssertTrue(ArtifactGrouping.formats(moreExactThan: .kerasHistoryJSON).isEmpty)
    }

    func testCompanionSearchStaysShallow() throws {
        let fixture = try folder("lightning-run")
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-shallow-\(UUID())")
        let deep = temporary.appendingPathComponent("projects/old/results")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let console = temporary.appendingPathComponent("console.log")
        try FileManager.default.copyItem(atPath: fixture + "/console.log", toPath: console.path)
        try FileManager.default.copyItem(
            atPath: fixture + "/lightning_logs/version_0/metrics.csv", toPath: deep.appendingPathComponent("metrics.csv").path)
        let run = try XCTUnwrap(Analyzer().analyze(paths: [console.path]).runs.first?.run)
        XCTAssertEqual(run.format, .lightningConsole, "a metrics file deep below the log's folder is not its companion")
        XCTAssertTrue(run.companions.isEmpty)
    }
}
