import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Ultralytics `results.csv` (YOLOv5, YOLOv8, YOLO11): one row per epoch, columns padded with
/// blanks in older versions.
///
///     epoch,train/box_loss,train/obj_loss,train/cls_loss,metrics/precision,metrics/recall,metrics/mAP_0.5,metrics/mAP_0.5:0.95,val/box_loss,val/obj_loss,val/cls_loss,x/lr0,x/lr1,x/lr2
///     epoch,train/box_loss,train/cls_loss,train/dfl_loss,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B),val/box_loss,val/cls_loss,val/dfl_loss,lr/pg0,lr/pg1,lr/pg2
///     epoch,time,train/box_loss,…                                 (8.3 and later add the time)
///     epoch,train/loss,metrics/accuracy_top1,metrics/accuracy_top5,val/loss,lr/pg0,…   (classification)
///
/// `train/` and `val/` name the split; `metrics/` columns are computed on the validation set, so
/// they are validation metrics, named readably: `precision`, `recall`, `map50`, `map50_95`, with
/// `mask_`/`pose_` before them for the `(M)` and `(P)` columns of segmentation and pose models, and
/// `top1_acc`/`top5_acc` for classification. The first learning rate (`lr/pg0`, `x/lr0`) is `lr`.
public struct UltralyticsParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.ultralyticsCSV] }

    public func confidence(for input: LogInput) -> Double {
        // Every input is asked: most say no at once.
        guard input.prefix(8192, holds: "train/") || input.prefix(8192, holds: "metrics/") else { return 0 }
        let head = input.prefix(8192)
        let header = head.prefix { $0 != "\n" }
        guard header.contains("epoch"), header.contains(",") else { return 0 }
        // Above plain CSV (0.9): the same table, named for what it is.
        return header.contains("train/box_loss") || header.contains("metrics/mAP") || header.contains("metrics/accuracy_top1") ? 0.92 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        try CSVParser.parse(input, format: .ultralyticsCSV) { $0.map(Self.name(ofColumn:)) }
    }

    /// The name losslens reads for a column of `results.csv`.
    static func name(ofColumn raw: String) -> String {
        let column = raw.trimmingCharacters(in: .whitespaces)
        guard let slash = column.firstIndex(of: "/") else { return column }
        let group = column[..<slash].lowercased()
        var metric = String(column[column.index(after: slash)...])
        switch group {
        case "metrics":
            var model = ""
            for (suffix, kind) in [("(B)", ""), ("(M)", "mask_"), ("(P)", "pose_")] where metric.hasSuffix(suffix) {
                metric = String(metric.dropLast(suffix.count))
                model = kind
            }
            let readable: [String: String] = [
                "mAP50": "map50", "mAP_0.5": "map50", "mAP50-95": "map50_95", "mAP_0.5:0.95": "map50_95",
                "precision": "precision", "recall": "recall", "accuracy_top1": "top1_acc", "accuracy_top5": "top5_acc",
            ]
            return "val_" + model + (readable[metric] ?? metric)
        case "lr", "x":
            return metric == "pg0" || metric == "lr0" ? "lr" : metric.hasPrefix("lr") ? metric : "lr_" + metric
        default:
            return column
        }
    }
}
