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
        }
    }

    /// How exact its values are, most exact first: full-precision per-epoch records, then float32
    /// event files, then printed text. Artifacts of one run are reported from the most exact one.
    public var exactness: Int {
        switch self {
        case .kerasHistoryJSON: return 0
        case .csv: return 1
        case .huggingFaceState: return 2
        case .tensorBoard: return 3
        case .notebook: return 4
        case .kerasConsole, .pytorchConsole, .huggingFaceConsole, .lightningConsole: return 5
        }
    }

    /// Text a training printed (console output), as opposed to a file written for machines.
    public var isConsole: Bool { exactness == InputFormat.kerasConsole.exactness }

    /// The framework whose code a fix should show; nil when the format does not tell.
    public var framework: Framework? {
        switch self {
        case .kerasHistoryJSON, .kerasConsole: return .keras
        case .pytorchConsole, .huggingFaceConsole, .huggingFaceState, .lightningConsole: return .pytorch
        case .csv, .tensorBoard, .notebook: return nil
        }
    }
}

/// The framework family of a log: Keras/TensorFlow, or PyTorch (with Lightning and Hugging Face).
public enum Framework: String, Sendable {
    case keras, pytorch
}
