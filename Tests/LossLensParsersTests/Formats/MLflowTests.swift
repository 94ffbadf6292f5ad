import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel

/// MLflow's file store, laid out as `FileStore` writes it: `mlruns/<experiment>/<run>/meta.yaml`,
/// `metrics/<name>` with lines `timestamp value step`, `params/`, `tags/mlflow.runName`.
final class MLflowTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try FormatTesting.folder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func metric(_ run: String, _ name: String, _ lines: [(value: Double, step: Int)]) throws {
        let text = lines.enumerated().map { "\(1_700_000_000_000 + $0.offset * 1000) \($0.element.value) \($0.element.step)" }
        try FormatTesting.write(text.joined(separator: "\n") + "\n", to: root.appendingPathComponent("mlruns/1/\(run)/metrics/\(name)"))
    }

    private func run(_ id: String, name: String?, tag: String? = nil) throws {
        try FormatTesting.write("name: demo\nexperiment_id: '1'\n", to: root.appendingPathComponent("mlruns/1/meta.yaml"))
        try FormatTesting.write("run_id: \(id)\nexperiment_id: '1'\n" + (name.map { "run_name: \($0)\n" } ?? "") + "status: 3\n",
                                to: root.appendingPathComponent("mlruns/1/\(id)/meta.yaml"))
        try FormatTesting.write("0.001", to: root.appendingPathComponent("mlruns/1/\(id)/params/lr"))
        if let tag { try FormatTesting.write(tag, to: root.appendingPathComponent("mlruns/1/\(id)/tags/mlflow.runName")) }
    }

    func testStepsAreEpochsWithoutAnEpochMetric() throws {
        try run("abc123", name: "brave-fox-1", tag: "brave-fox")
        try metric("abc123", "train/loss", (0..<6).map { (1.0 / Double($0 + 1), $0) })
        try metric("abc123", "val_loss", (0..<6).map { (1.2 / Double($0 + 1) + 0.05 * Double($0), $0) })
        let report = try Analyzer().analyze(paths: [root.appendingPathComponent("mlruns").path])
        XCTAssertEqual(report.errors.map(\.message), [], "params and meta files are not logs")
        let run = try XCTUnwrap(report.runs.first?.run)
        XCTAssertEqual(report.runs.count, 1)
        XCTAssertEqual(run.format, .mlflow)
        XCTAssertEqual(run.name, "brave-fox")
        XCTAssertTrue(run.source.hasSuffix("mlruns/1/abc123"))
        XCTAssertEqual(run.epochCount, 6)
        XCTAssertValues(run.values("loss"), (0..<6).map { 1.0 / Double($0 + 1) })
        XCTAssertEqual(run.series(named: "val_loss")?.points.map(\.epoch), [1, 2, 3, 4, 5, 6])
    }

    func testAnEpochMetricGivesStepsTheirEpochs() throws {
        try run("def456", name: "calm-owl-2")
        try metric("def456", "train_loss_step", [49, 99, 149, 199, 249, 299].map { (2.0 / (Double($0) / 50 + 1), $0) })
        try metric("def456", "epoch", [(0, 49), (0, 99), (1, 149), (1, 199), (2, 249), (2, 299)])
        try metric("def456", "val_loss", [(0.9, 99), (0.7, 199), (0.6, 299)])
        let report = try Analyzer().analyze(paths: [root.appendingPathComponent("mlruns/1/def456").path])
        let run = try XCTUnwrap(report.runs.first?.run)
        XCTAssertEqual(run.name, "calm-owl-2", "named from meta.yaml without a runName tag")
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [49, 99, 149, 199, 249, 299])
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.epoch), [1, 1, 2, 2, 3, 3])
        XCTAssertValues(run.values("val_loss"), [0.9, 0.7, 0.6])
    }

    func testOneMetricFileNamedAlone() throws {
        try run("abc123", name: "x")
        try metric("abc123", "loss", (0..<3).map { (1.0 - 0.1 * Double($0), $0) })
        let path = root.appendingPathComponent("mlruns/1/abc123/metrics/loss").path
        let report = try Analyzer().analyze(paths: [path])
        XCTAssertEqual(report.runs.first?.run.format, .mlflow)
        XCTAssertValues(report.runs.first?.run.values("loss"), [1.0, 0.9, 0.8])
    }

    func testManyStepsAreSteps() throws {
        try run("ghi789", name: "long")
        try metric("ghi789", "loss", (0..<1500).map { (1.0 / Double($0 + 1), $0) })
        try metric("ghi789", "val_loss", stride(from: 299, to: 1500, by: 300).map { (0.5 / Double($0 + 1), $0) })
        let run = try XCTUnwrap(try Analyzer().analyze(paths: [root.path]).runs.first?.run)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.count, 1500)
        XCTAssertEqual(run.values("val_loss")?.count, 5)
        XCTAssertEqual(run.epochCount, 5, "the last evaluation, at the last step, closes the fifth period")
    }
}
