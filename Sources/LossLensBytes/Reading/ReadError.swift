import Foundation

/// A file or descriptor that cannot be read, with the system's reason.
public enum ReadError: LocalizedError, Equatable {
    case unreadable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot be read (\(reason))"
        }
    }
}
