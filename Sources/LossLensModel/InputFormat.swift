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
}
