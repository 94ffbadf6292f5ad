@_spi(Layers) import LossLensBytes
/// The log dialects losslens reads. The raw value is the name used by `--input-format` and in JSON.
public enum InputFormat: String, Codable, Sendable, CaseIterable {
    case kerasHistoryJSON = "keras-history-json"
    case csv = "csv"
    case kerasConsole = "keras-console"
    case pytorchConsole = "pytorch-console"
    case huggingFaceConsole = "hf-trainer-console"
    case huggingFaceState = "hf-trainer-state"
    case lightningConsole = "lightning-console"
    case tensorBoard = "tensorboard"
    case notebook = "notebook"
    /// Any console print with a counter and name/value pairs that no pattern dialect reads.
    case genericConsole = "generic-console"
    /// One JSON object of metrics per line (the records losslens's callbacks write, and any such log).
    case jsonLines = "jsonl"
    case wandbHistory = "wandb-history"
    case wandbSummary = "wandb-summary"
    case detectron2Metrics = "detectron2-metrics"
    case mmdetectionLog = "mmdet-log-json"
    case mlflow = "mlflow"
    case ultralyticsCSV = "ultralytics-csv"
    case fastaiConsole = "fastai-console"
    case tfEstimatorConsole = "tf-estimator-console"
    case xgboostConsole = "xgboost-console"
    case lightgbmConsole = "lightgbm-console"
    case caffeConsole = "caffe-console"
    /// A file of numbers only (`epoch,loss` rows without a header, or one value per line).
    case bareNumbers = "bare-numbers"

    public var displayName: String {
        switch self {
        case .kerasHistoryJSON: return "Keras History JSON"
        case .csv: return "CSV (Keras CSVLogger / Lightning metrics.csv)"
        case .kerasConsole: return "Keras fit() console output"
        case .pytorchConsole: return "PyTorch console output"
        case .huggingFaceConsole: return "Hugging Face Trainer console output"
        case .huggingFaceState: return "Hugging Face trainer_state.json"
        case .lightningConsole: return "PyTorch Lightning console output"
        case .tensorBoard: return "TensorBoard event files"
        case .notebook: return "Jupyter notebook"
        case .genericConsole: return "console output read by the generic reader"
        case .jsonLines: return "JSON lines of metric records"
        case .wandbHistory: return "Weights & Biases wandb-history.jsonl"
        case .wandbSummary: return "Weights & Biases wandb-summary.json (final values only)"
        case .detectron2Metrics: return "detectron2 metrics.json"
        case .mmdetectionLog: return "MMDetection *.log.json"
        case .mlflow: return "MLflow file store run"
        case .ultralyticsCSV: return "Ultralytics results.csv"
        case .fastaiConsole: return "fastai text progress table"
        case .tfEstimatorConsole: return "TensorFlow 1 Estimator log"
        case .xgboostConsole: return "XGBoost evaluation log"
        case .lightgbmConsole: return "LightGBM evaluation log"
        case .caffeConsole: return "Caffe solver log"
        case .bareNumbers: return "a file of bare numbers"
        }
    }

    /// How exact its values are, most exact first: full-precision per-epoch records, then float32
    /// event files, then printed text. Artifacts of one run are reported from the most exact one.
    /// A summary of final values is last: it can never stand in for a run's curves.
    public var exactness: Int {
        switch self {
        case .kerasHistoryJSON, .jsonLines, .wandbHistory, .detectron2Metrics, .mmdetectionLog, .mlflow: return 0
        case .csv, .ultralyticsCSV, .bareNumbers: return 1
        case .huggingFaceState: return 2
        case .tensorBoard: return 3
        case .notebook: return 4
        case .kerasConsole, .pytorchConsole, .huggingFaceConsole, .lightningConsole, .genericConsole, .fastaiConsole,
             .tfEstimatorConsole, .xgboostConsole, .lightgbmConsole, .caffeConsole:
            return 5
        case .wandbSummary: return 6
        }
    }

    /// Text a training printed (console output), as opposed to a file written for machines.
    public var isConsole: Bool { exactness == InputFormat.kerasConsole.exactness }

    /// The framework whose code a fix should show; nil when the format does not tell.
    public var framework: Framework? {
        switch self {
        case .kerasHistoryJSON, .kerasConsole, .tfEstimatorConsole: return .keras
        case .pytorchConsole, .huggingFaceConsole, .huggingFaceState, .lightningConsole, .detectron2Metrics, .mmdetectionLog,
             .ultralyticsCSV, .fastaiConsole:
            return .pytorch
        case .csv, .tensorBoard, .notebook, .genericConsole, .jsonLines, .wandbHistory, .wandbSummary, .mlflow, .xgboostConsole,
             .lightgbmConsole, .caffeConsole, .bareNumbers:
            return nil
        }
    }
}

/// The framework family of a log: Keras/TensorFlow, or PyTorch (with Lightning and Hugging Face).
public enum Framework: String, Sendable {
    case keras, pytorch
}
