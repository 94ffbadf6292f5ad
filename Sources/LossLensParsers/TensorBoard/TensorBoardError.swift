import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// An event file that yielded nothing because it is damaged from its start.
public enum TensorBoardError: LocalizedError, Equatable {
    case damagedFile(path: String, record: Int, problem: String)

    public var errorDescription: String? {
        switch self {
        case let .damagedFile(path, record, problem):
            return "\(path): TensorBoard event file unreadable at record \(record): \(problem). "
                + "Nothing could be read before it; if training is still running, wait for the writer to flush, "
                + "otherwise re-export the scalars (or pass the history.json / CSV log instead)."
        }
    }
}
