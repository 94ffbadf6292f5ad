import Foundation

/// A file or descriptor that cannot be read, with the system's reason.
public enum ReadError: LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    /// A pipe, FIFO or device that gave nothing for the idle timeout.
    case idle(path: String, seconds: Double)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot be read (\(reason))"
        case let .idle(path, seconds):
            let shown = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            return "\(path): nothing arrived for \(shown) s (--idle-timeout); is anything writing to it?"
        }
    }
}
