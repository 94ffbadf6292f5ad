import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// JSON lines of metric records: losslens's own (README "JSON lines"), W&B history, detectron2,
/// MMDetection; and W&B's summary.
final class JSONLinesTests: XCTestCase {
    /// What the callbacks of the ecosystem issue write: a record per logging step, per epoch and per evaluation.
    func testCallbackRecords() throws {
        let run = try FormatTesting.onlyRun("""
            {"kind": "step", "epoch": 0, "step": 10, "loss": 2.30, "lr": 0.001}
            {"kind": "step", "epoch": 0, "step": 20, "loss": 2.10, "lr": 0.001}
            {"kind": "epoch", "epoch": 0, "loss": 2.2, "accuracy": 0.21, "val_loss": 2.05, "val_accuracy": 0.3}
            {"kind": "step", "epoch": 1, "step": 30, "loss": 1.90, "lr": 0.0005}
            {"kind": "step", "epoch": 1, "step": 40, "loss": "NaN", "lr": 0.0005}
            {"kind": "epoch", "epoch": 1, "loss": 1.8, "accuracy": 0.41, "val_loss": 1.75, "val_accuracy": 0.45}
            {"kind": "eval", "epoch": 1, "step": 40, "f1": 0.4, "eval_loss": 1.75}
            """, source: "-")
        XCTAssertEqual(run.format, .jsonLines)
        XCTAssertValues(run.values("loss"), [2.2, 1.8])
        XCTAssertValues(run.values("loss@step"), [2.3, 2.1, 1.9, .nan])
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [10, 20, 30, 40])
        XCTAssertValues(run.values("val_acc"), [0.3, 0.45])
        // An evaluation's unprefixed names are held out.
        XCTAssertValues(run.values("val_f1"), [0.4])
        XCTAssertEqual(run.series(named: "val_f1")?.points.map(\.epoch), [2])
        XCTAssertEqual(run.series(named: "lr", granularity: .step)?.split, .train)
    }

    func testHuggingFaceStyleRecordsWithFractionalEpochs() throws {
        let run = try FormatTesting.onlyRun("""
            {"kind": "step", "epoch": 0.5, "step": 50, "loss": 0.69, "grad_norm": 1.2, "learning_rate": 4e-05}
            {"kind": "step", "epoch": 1.0, "step": 100, "loss": 0.52, "grad_norm": 1.1, "learning_rate": 3e-05}
            {"kind": "eval", "epoch": 1.0, "step": 100, "eval_loss": 0.48, "eval_accuracy": 0.81}
            {"kind": "step", "epoch": 1.5, "step": 150, "loss": 0.41, "grad_norm": 0.9, "learning_rate": 2e-05}
            {"kind": "step", "epoch": 2.0, "step": 200, "loss": 0.33, "grad_norm": 0.8, "learning_rate": 1e-05}
            {"kind": "eval", "epoch": 2.0, "step": 200, "eval_loss": 0.45, "eval_accuracy": 0.84}
            """)
        XCTAssertValues(run.values("loss"), [0.605, 0.37])
        XCTAssertValues(run.values("val_loss"), [0.48, 0.45])
        XCTAssertValues(run.values("val_acc"), [0.81, 0.84])
    }

    /// Keys and media records as in the public `wandb-history.jsonl` files W&B's client wrote.
    func testWandbHistory() throws {
        let run = try FormatTesting.onlyRun("""
            {"train/loss": 2.31, "trainer/global_step": 49, "epoch": 0, "_runtime": 12.2, "_timestamp": 1700000000.1, "_step": 0}
            {"train/loss": 1.91, "trainer/global_step": 99, "epoch": 0, "_runtime": 22.2, "_timestamp": 1700000010.1, "_step": 1}
            {"val/loss": 1.85, "val/acc": 0.41, "trainer/global_step": 99, "epoch": 0, "_runtime": 25.0, "_timestamp": 1700000013.0, "_step": 2}
            {"gameplays": {"_type": "video-file", "path": "media/videos/x.mp4", "size": 192147}, "_runtime": 26.2, "_timestamp": 1700000014.5, "_step": 3}
            {"train/loss": 1.51, "trainer/global_step": 149, "epoch": 1, "_runtime": 32.2, "_timestamp": 1700000020.1, "_step": 4}
            {"train/loss": 1.21, "trainer/global_step": 199, "epoch": 1, "_runtime": 42.2, "_timestamp": 1700000030.1, "_step": 5}
            {"val/loss": 1.35, "val/acc": 0.61, "trainer/global_step": 199, "epoch": 1, "_runtime": 45.0, "_timestamp": 1700000033.0, "_step": 6}
            """, source: "wandb/run-20240101_000000-abc/files/wandb-history.jsonl")
        XCTAssertEqual(run.format, .wandbHistory)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [49, 99, 149, 199])
        XCTAssertValues(run.values("loss"), [2.11, 1.36])
        XCTAssertValues(run.values("val_loss"), [1.85, 1.35])
        XCTAssertFalse(run.series.contains { $0.name.base.contains("runtime") || $0.name.base.contains("timestamp") || $0.name.base.contains("size") })
    }

    /// The keys W&B's Keras callback (`WandbMetricsLogger`) and Hugging Face's W&B callback log.
    func testWandbHistoryOfKerasAndHuggingFaceCallbacks() throws {
        let keras = try FormatTesting.onlyRun("""
            {"epoch/epoch": 0, "epoch/loss": 0.9, "epoch/accuracy": 0.5, "epoch/val_loss": 1.0, "epoch/val_accuracy": 0.45, "epoch/learning_rate": 0.001, "_step": 0, "_runtime": 3.1, "_timestamp": 1.7e9}
            {"epoch/epoch": 1, "epoch/loss": 0.7, "epoch/accuracy": 0.6, "epoch/val_loss": 0.8, "epoch/val_accuracy": 0.55, "epoch/learning_rate": 0.001, "_step": 1, "_runtime": 6.1, "_timestamp": 1.7e9}
            """, source: "wandb-history.jsonl")
        XCTAssertValues(keras.values("val_loss"), [1.0, 0.8])
        XCTAssertValues(keras.values("acc"), [0.5, 0.6])
        let huggingFace = try FormatTesting.onlyRun("""
            {"train/loss": 0.69, "train/learning_rate": 4e-05, "train/epoch": 0.5, "train/global_step": 50, "_step": 0, "_runtime": 10, "_timestamp": 1.7e9}
            {"train/loss": 0.52, "train/learning_rate": 3e-05, "train/epoch": 1.0, "train/global_step": 100, "_step": 1, "_runtime": 20, "_timestamp": 1.7e9}
            {"eval/loss": 0.48, "eval/accuracy": 0.81, "eval/runtime": 2.1, "eval/samples_per_second": 120.5, "train/epoch": 1.0, "train/global_step": 100, "_step": 2, "_runtime": 22, "_timestamp": 1.7e9}
            {"train/loss": 0.41, "train/learning_rate": 2e-05, "train/epoch": 1.5, "train/global_step": 150, "_step": 3, "_runtime": 30, "_timestamp": 1.7e9}
            {"train/loss": 0.33, "train/learning_rate": 1e-05, "train/epoch": 2.0, "train/global_step": 200, "_step": 4, "_runtime": 40, "_timestamp": 1.7e9}
            {"eval/loss": 0.45, "eval/accuracy": 0.84, "eval/runtime": 2.1, "eval/samples_per_second": 120.5, "train/epoch": 2.0, "train/global_step": 200, "_step": 5, "_runtime": 42, "_timestamp": 1.7e9}
            """, source: "wandb-history.jsonl")
        XCTAssertEqual(huggingFace.series(named: "loss", granularity: .step)?.points.map(\.step), [50, 100, 150, 200])
        XCTAssertValues(huggingFace.values("val_loss"), [0.48, 0.45])
        XCTAssertValues(huggingFace.values("val_acc"), [0.81, 0.84])
        XCTAssertNil(huggingFace.values("val_runtime"))
    }

    func testWandbHistoryWithoutEpochsMakesEpochsOfEvaluations() throws {
        let run = try FormatTesting.onlyRun("""
            {"episodic_reward": 180.0, "loss": 1.2, "_runtime": 4.98, "_timestamp": 1582070918.23, "_step": 0}
            {"loss": 1.0, "_runtime": 5.0, "_timestamp": 1582070918.24, "_step": 1}
            {"val_loss": 1.1, "_runtime": 6.0, "_timestamp": 1582070919.24, "_step": 2}
            {"loss": 0.8, "_runtime": 7.0, "_timestamp": 1582070920.24, "_step": 3}
            {"val_loss": 0.9, "_runtime": 8.0, "_timestamp": 1582070921.24, "_step": 4}
            """)
        XCTAssertValues(run.values("val_loss"), [1.1, 0.9])
        XCTAssertValues(run.values("loss"), [1.1, 0.8])
        XCTAssertTrue(run.notes.contains { $0.contains("each evaluation") })
    }

    /// detectron2's `metrics.json` (keys as its `JSONWriter` writes them): losses per logged
    /// iteration, evaluation results on the test set at the evaluation period.
    func testDetectron2Metrics() throws {
        let run = try FormatTesting.onlyRun("""
            {"data_time": 0.0021, "eta_seconds": 1200.5, "fast_rcnn/cls_accuracy": 0.8815, "fast_rcnn/false_negative": 0.5488, "fast_rcnn/fg_cls_accuracy": 0.4511, "iteration": 19, "loss_box_reg": 0.5407, "loss_cls": 0.6957, "loss_rpn_cls": 0.0227, "loss_rpn_loc": 0.0176, "lr": 0.000399, "roi_head/num_bg_samples": 215.3, "roi_head/num_fg_samples": 40.6, "rpn/num_neg_anchors": 249.1, "rpn/num_pos_anchors": 6.8, "time": 0.35, "total_loss": 1.2767}
            {"data_time": 0.0020, "eta_seconds": 1190.5, "iteration": 39, "loss_box_reg": 0.5007, "loss_cls": 0.5957, "lr": 0.000799, "time": 0.35, "total_loss": 1.1337}
            {"bbox/AP": 31.02, "bbox/AP50": 55.1, "bbox/AP75": 30.2, "iteration": 39}
            {"data_time": 0.0020, "iteration": 59, "loss_box_reg": 0.4007, "loss_cls": 0.4957, "lr": 0.0011, "time": 0.35, "total_loss": 0.9337}
            {"bbox/AP": 35.02, "bbox/AP50": 58.1, "bbox/AP75": 33.2, "iteration": 59}
            """, source: "output/metrics.json")
        XCTAssertEqual(run.format, .detectron2Metrics)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [19, 39, 59])
        XCTAssertValues(run.values("loss"), [1.2052, 0.9337])
        XCTAssertValues(run.values("val_bbox_ap"), [31.02, 35.02])
        XCTAssertEqual(run.series(named: "val_bbox_ap")?.split, .validation)
        for noise in ["eta_seconds", "data_time", "time", "roi_head_num_bg_samples", "rpn_num_pos_anchors"] {
            XCTAssertFalse(run.series.contains { $0.name.base == noise }, noise)
        }
    }

    /// MMDetection 2.x `*.log.json`: the environment first, then train and val records.
    func testMMDetectionLogJSON() throws {
        let run = try FormatTesting.onlyRun("""
            {"env_info": "sys.platform: linux\\nPython: 3.8", "config": "model = dict(type='FasterRCNN')", "seed": 42, "exp_name": "faster_rcnn.py"}
            {"mode": "train", "epoch": 1, "iter": 50, "lr": 0.00198, "memory": 3820, "data_time": 0.05, "loss_rpn_cls": 0.61, "loss_cls": 1.2, "acc": 91.2, "loss_bbox": 0.3, "loss": 2.21, "time": 0.42}
            {"mode": "train", "epoch": 1, "iter": 100, "lr": 0.00398, "memory": 3820, "data_time": 0.05, "loss_rpn_cls": 0.41, "loss_cls": 0.9, "acc": 92.2, "loss_bbox": 0.3, "loss": 1.71, "time": 0.42}
            {"mode": "val", "epoch": 1, "iter": 625, "lr": 0.00398, "bbox_mAP": 0.101, "bbox_mAP_50": 0.21, "bbox_mAP_copypaste": "0.101 0.21 0.09"}
            {"mode": "train", "epoch": 2, "iter": 50, "lr": 0.02, "memory": 3820, "data_time": 0.05, "loss_rpn_cls": 0.31, "loss_cls": 0.7, "acc": 93.2, "loss_bbox": 0.3, "loss": 1.41, "time": 0.42}
            {"mode": "val", "epoch": 2, "iter": 625, "lr": 0.02, "bbox_mAP": 0.151, "bbox_mAP_50": 0.29}
            """, source: "work_dirs/faster_rcnn/20230101_120000.log.json")
        XCTAssertEqual(run.format, .mmdetectionLog)
        XCTAssertValues(run.values("loss"), [1.96, 1.41])
        // Percent accuracies become fractions.
        XCTAssertValues(run.values("acc"), [0.917, 0.932])
        XCTAssertValues(run.values("val_bbox_m_ap"), [0.101, 0.151])
        XCTAssertNil(run.values("val_lr"), "the learning rate an evaluation repeats is not held out")
        XCTAssertNil(run.values("memory@step"))
    }

    func testMMEngineScalarsValidationRecordsCountEpochsInStep() throws {
        let run = try FormatTesting.onlyRun("""
            {"lr": 0.0001, "data_time": 0.01, "loss": 1.2, "time": 0.4, "epoch": 1, "iter": 50, "memory": 2000, "step": 50}
            {"lr": 0.0001, "data_time": 0.01, "loss": 1.0, "time": 0.4, "epoch": 1, "iter": 100, "memory": 2000, "step": 100}
            {"coco/bbox_mAP": 0.21, "coco/bbox_mAP_50": 0.4, "data_time": 0.01, "time": 0.1, "step": 1}
            {"lr": 0.0001, "data_time": 0.01, "loss": 0.8, "time": 0.4, "epoch": 2, "iter": 150, "memory": 2000, "step": 150}
            {"coco/bbox_mAP": 0.25, "coco/bbox_mAP_50": 0.45, "data_time": 0.01, "time": 0.1, "step": 2}
            """, source: "work_dirs/exp/20240101_000000/vis_data/scalars.json")
        XCTAssertEqual(run.format, .mmdetectionLog)
        XCTAssertValues(run.values("val_coco_bbox_m_ap"), [0.21, 0.25])
        XCTAssertEqual(run.series(named: "val_coco_bbox_m_ap")?.points.map(\.epoch), [1, 2])
    }

    func testLinesThatAreNotObjectsAreSkippedAndCounted() throws {
        let run = try FormatTesting.onlyRun("""
            {"epoch": 1, "loss": 0.9}
            {"epoch": 2, "loss": 0.7}
            not json
            {"epoch": 3, "loss": 0.5}
            {"epoch": 4, "lo
            """)
        XCTAssertValues(run.values("loss"), [0.9, 0.7, 0.5])
        XCTAssertEqual(run.events.first?.kind, .inputDamaged)
        XCTAssertTrue(run.events.first?.text.contains("2 lines") == true)
    }

    func testAOneLineKerasHistoryIsStillAHistory() throws {
        let run = try FormatTesting.onlyRun(#"{"loss": [0.9, 0.7, 0.5], "val_loss": [1.0, 0.8, 0.7]}"#, source: "history.json")
        XCTAssertEqual(run.format, .kerasHistoryJSON)
    }

    func testWandbSummaryHasFinalValuesAndSaysTheHistoryIsNeeded() throws {
        let run = try FormatTesting.onlyRun("""
            {"_runtime": 4, "_step": 4, "_timestamp": 1644345412, "_wandb": {"runtime": 3}, "loss": 0.041, "val_loss": 0.09, "epoch": 9}
            """, source: "wandb/run-1/files/wandb-summary.json")
        XCTAssertEqual(run.format, .wandbSummary)
        XCTAssertValues(run.values("loss"), [0.041])
        XCTAssertTrue(run.notes.contains(WandbSummaryParser.note))
    }

    func testASummaryBesideItsHistoryIsItsCompanion() throws {
        let folder = try FormatTesting.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = folder.appendingPathComponent("wandb/run-1/files")
        try FormatTesting.write((0..<6).map { #"{"epoch": \#($0), "loss": \#(1.0 / Double($0 + 1)), "_step": \#($0)}"# }.joined(separator: "\n"),
                                to: files.appendingPathComponent("wandb-history.jsonl"))
        try FormatTesting.write(#"{"_runtime": 4, "_step": 5, "_wandb": {"runtime": 3}, "loss": 0.1667, "epoch": 5}"#,
                                to: files.appendingPathComponent("wandb-summary.json"))
        let report = try Analyzer().analyze(paths: [folder.path])
        XCTAssertEqual(report.runs.count, 1, "\(report.runs.map(\.run.source))")
        XCTAssertEqual(report.runs.first?.run.format, .wandbHistory)
        XCTAssertEqual(report.runs.first?.run.companions.map(\.format), [.wandbSummary])
    }
}
