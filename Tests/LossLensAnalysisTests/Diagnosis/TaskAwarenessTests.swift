import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel

/// What a run trains decides which rules mean anything for it.
final class TaskAwarenessTests: XCTestCase {
    private func kind(_ names: [String], firstLoss: Double = 1.0, format: InputFormat = .csv) -> TaskProfile.Kind {
        let series = names.map { name in
            MetricSeries(name: MetricName(raw: name), granularity: .epoch,
                         points: (1...6).map { MetricPoint(epoch: $0, value: name == "loss" ? firstLoss / Double($0) : 0.5, line: $0) })
        }
        return TaskInference.profile(of: Run(source: "s", format: format, name: "r", series: series)).kind
    }

    func testTheTaskComesFromTheMetricNames() {
        XCTAssertEqual(kind(["train/box_loss", "train/cls_loss", "metrics/mAP50(B)"]), .detection)
        XCTAssertEqual(kind(["train/seg_loss", "train/box_loss"]), .segmentation)
        XCTAssertEqual(kind(["loss_D", "loss_G"]), .gan)
        XCTAssertEqual(kind(["D_A", "G_A", "cycle_A"]), .gan)
        XCTAssertEqual(kind(["loss", "val_loss", "mae"]), .regression)
        XCTAssertEqual(kind(["loss", "eval_loss", "eval_perplexity"]), .languageModel)
        XCTAssertEqual(kind(["loss", "val_loss", "val_accuracy"]), .classification)
        XCTAssertEqual(kind(["loss"], firstLoss: 10.9), .languageModel, "a loss starting above ln 1000 without an accuracy")
        XCTAssertEqual(kind(["loss"]), .other)
    }

    func testADetectionFrameworksLogIsADetectorWhateverItsLossLevel() {
        // A detectron2 metrics.json that logs only its total loss, starting above ln 1000.
        XCTAssertEqual(kind(["loss", "lr"], firstLoss: 986, format: .detectron2Metrics), .detection)
        XCTAssertEqual(kind(["loss"], firstLoss: 2.1, format: .ultralyticsCSV), .detection)
        XCTAssertEqual(kind(["loss", "val_top1_acc"], format: .ultralyticsCSV), .classification, "yolo-cls logs a top-1 accuracy")
    }

    func testATermIsJudgedAgainstTheSumOfTheTermsWhenNoSumIsPrinted() throws {
        let points = { (value: Double) in (1...6).map { MetricPoint(epoch: $0, value: value, line: $0) } }
        let terms = [("box_loss", 1.2), ("obj_loss", 0.6), ("cls_loss", 0.15)].map {
            MetricSeries(name: MetricName(raw: $0.0), granularity: .epoch, points: points($0.1))
        }
        let curves = RunCurves(Run(source: "results.csv", format: .ultralyticsCSV, name: "r", series: terms))
        let cls = try XCTUnwrap(curves.allLosses.first { $0.series.name.base == "cls_loss" })
        XCTAssertEqual(curves.shareOfSummedLoss(cls), 0.15 / 1.95, accuracy: 1e-9, "the sum of box, obj and cls, not the box loss")
        let withSum = RunCurves(Run(source: "metrics.json", format: .detectron2Metrics, name: "r",
                                    series: terms + [MetricSeries(name: MetricName(raw: "total_loss"), granularity: .epoch, points: points(3))]))
        let term = try XCTUnwrap(withSum.allLosses.first { $0.series.name.base == "cls_loss" })
        XCTAssertEqual(withSum.shareOfSummedLoss(term), 0.05, accuracy: 1e-9, "the printed sum")
    }

    func testABoxLossNearLnTwoIsNotChanceLevel() throws {
        let flat = Array(repeating: 0.6931, count: 12).map { String($0) }.joined(separator: ", ")
        let falling = (0..<12).map { String(format: "%.3f", 2.0 - 0.1 * Double($0)) }.joined(separator: ", ")
        let run = try DiagnosisSupport.analyze(#"{"train/box_loss": [\#(flat)], "train/cls_loss": [\#(falling)], "metrics/mAP50": [0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7]}"#)
        XCTAssertEqual(run.task.kind, .detection)
        XCTAssertFalse(run.findings.contains { $0.rule == "chance-level" })
    }

    func testACriticNearZeroIsNotAZeroLoss() throws {
        let critic = Array(repeating: "0.0", count: 10).joined(separator: ", ")
        let generator = (0..<10).map { String(format: "%.2f", 1.0 + 0.01 * Double($0 % 3)) }.joined(separator: ", ")
        let run = try DiagnosisSupport.analyze(#"{"loss_D": [\#(critic)], "loss_G": [\#(generator)]}"#)
        XCTAssertEqual(run.task.kind, .gan)
        XCTAssertFalse(run.findings.contains { $0.rule == "zero" })
        XCTAssertFalse(run.findings.contains { $0.rule == "flat" }, "a GAN's losses hover around their equilibrium")
    }

    func testATenClassRunAtChanceIsTenClassesAndClassesOverrides() throws {
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: nil, accuracy: 0.1083))
        XCTAssertEqual(estimate.classes, 10, "1/9 fits too, but 10 is a count people train with")
        let near = try XCTUnwrap(ClassCountInference.estimate(loss: 2.41, accuracy: nil))
        XCTAssertEqual(near.classes, 10, "e^2.41 rounds to 11; 10 fits as well")
        XCTAssertEqual(ClassCountInference.estimate(loss: 2.41, accuracy: nil, stated: 12)?.classes, 12)
        let flat = Array(repeating: "2.3026", count: 8).joined(separator: ", ")
        let run = try DiagnosisSupport.analyze(#"{"loss": [\#(flat)], "accuracy": [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]}"#, classes: 12)
        XCTAssertEqual(run.task.classes?.classes, 12)
    }

    func testTheLossAndTheAccuracySayWhenTheyDisagree() throws {
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: 1.1, accuracy: 0.26))
        XCTAssertEqual(estimate.classes, 3, "the loss decides: ln 3 = 1.099")
        XCTAssertTrue(estimate.explanation.contains("taken alone"), estimate.explanation)
    }

    func testAHealthyRunWhoseHeldOutAccuracyPlateausIsNotMajorityClass() throws {
        // A calibrated model at accuracy 0.875 has a loss near H(0.875) = 0.377: one split proves nothing.
        let run = try DiagnosisSupport.analyze(#"{"loss": [0.69, 0.5, 0.42, 0.38, 0.36, 0.35, 0.34, 0.33], "val_loss": [0.58, 0.38, 0.38, 0.375, 0.37, 0.369, 0.37, 0.37], "val_accuracy": [0.845, 0.875, 0.86, 0.875, 0.875, 0.875, 0.875, 0.875]}"#)
        XCTAssertFalse(run.findings.contains { $0.rule == "majority-class" })
    }

    func testAnAccuracyFrozenFromTheStartAtTheMajorityShareIsMajorityClass() throws {
        let frozen = Array(repeating: "0.94", count: 12).joined(separator: ", ")
        let run = try DiagnosisSupport.analyze(#"{"val_accuracy": [\#(frozen)], "val_loss": [0.279, 0.264, 0.26, 0.258, 0.257, 0.257, 0.258, 0.258, 0.259, 0.26, 0.261, 0.262]}"#)
        XCTAssertTrue(run.findings.contains { $0.rule == "majority-class" }, "\(run.findings.map(\.rule))")
    }

    func testATokenAccuracyFrozenLowWhileTheLossFallsIsReported() throws {
        let frozen = Array(repeating: "0.067", count: 10).joined(separator: ", ")
        let run = try DiagnosisSupport.analyze(#"{"loss": [5.2, 4.6, 4.3, 4.1, 4.0, 3.95, 3.9, 3.88, 3.87, 3.86], "token_accuracy": [\#(frozen)], "perplexity": [181, 99, 74, 60, 55, 52, 49, 48, 48, 47]}"#)
        XCTAssertEqual(run.task.kind, .languageModel)
        XCTAssertTrue(run.findings.contains { $0.rule == "majority-class" }, "\(run.findings.map(\.rule))")
    }
}
