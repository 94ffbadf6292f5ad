import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Which writer a JSON-lines log comes from, and what that says about its keys.
///
/// - losslens's own records (`InputFormat.jsonLines`, README "JSON lines"): `kind`, `epoch`, `step`.
/// - W&B `wandb-history.jsonl`: `_step` counts `wandb.log` calls; `trainer/global_step` (Lightning)
///   or `epoch` when logged; `_runtime`, `_timestamp`, `_wandb` and media objects are not metrics.
/// - detectron2 `metrics.json`: `iteration` (0-based) and the losses of the iteration; evaluation
///   results (`bbox/AP`, `segm/AP50`, …) are on the test set, so held out.
/// - MMDetection `*.log.json` (2.x: `mode` is `train` or `val`, `iter` counts within the epoch; the
///   first line is the environment) and MMEngine `scalars.json` (validation records carry only
///   `step`, which is then the epoch, and `coco/…` keys).
enum JSONLinesFlavor {
    case records, wandb, detectron2, mmdetection

    var format: InputFormat {
        switch self {
        case .records: return .jsonLines
        case .wandb: return .wandbHistory
        case .detectron2: return .detectron2Metrics
        case .mmdetection: return .mmdetectionLog
        }
    }

    /// The flavor told by the file name and the keys of the first records.
    static func of(fileName: String, keys: Set<String>, strings: Set<String>) -> JSONLinesFlavor {
        if fileName == "wandb-history.jsonl" || keys.contains("_step") || keys.contains("_runtime") || keys.contains("_timestamp") {
            return .wandb
        }
        if keys.contains("iteration"), fileName == "metrics.json" || keys.contains("total_loss") || keys.contains("eta_seconds") {
            return .detectron2
        }
        if strings.contains("mode") || strings.contains("env_info") || fileName.hasSuffix(".log.json") || fileName == "scalars.json"
            || keys.contains(where: { $0.hasPrefix("coco/") }) {
            return .mmdetection
        }
        return .records
    }

    /// Keys that place a record, never metrics. W&B's Keras callback (`WandbMetricsLogger`) writes
    /// `epoch/epoch` and `batch/batch_step`; Hugging Face's W&B callback `train/epoch` and
    /// `train/global_step`.
    static let epochKeys = ["epoch", "epoch/epoch", "train/epoch"]
    static let stepKeys = ["step", "global_step", "trainer/global_step", "train/global_step", "iteration", "iter", "batch/batch_step",
                           "_step", "round"]
    static let positionKeys = Set(epochKeys + stepKeys + ["kind", "mode"])

    /// Prefixes of evaluation results that name no split (detectron2's and MMEngine's evaluators).
    static let evaluationPrefixes = ["bbox/", "segm/", "keypoints/", "sem_seg/", "panoptic_seg/", "coco/", "pascal_voc/", "voc/"]
    /// Prefixes that say how often a value is logged, not what it is (`epoch/val_loss`, `batch/loss`).
    static let frequencyPrefixes = ["epoch/", "batch/"]

    /// The name a key is read under, nil for keys that are not metrics.
    static func metricKey(_ key: String) -> String? {
        if positionKeys.contains(key) || key.hasPrefix("_") { return nil }
        if evaluationPrefixes.contains(where: { key.hasPrefix($0) }) { return "val/" + key }
        if let prefix = frequencyPrefixes.first(where: { key.hasPrefix($0) }) { return String(key.dropFirst(prefix.count)) }
        return key
    }
}

extension JSONLineObject {
    /// The record's epoch (the first epoch key it holds).
    var epoch: Double? {
        JSONLinesFlavor.epochKeys.lazy.compactMap { number($0) }.first
    }
}
