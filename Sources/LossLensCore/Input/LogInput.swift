import Foundation

/// What a parser reads: the bytes of one file (or of standard input), or the event files of a
/// TensorBoard log directory.
public struct LogInput: Sendable {
    /// The path as the user gave it (`-` for standard input).
    public var source: String
    public var data: Data
    /// For TensorBoard directories: the event files, keyed by their path relative to `source`
    /// (`train/events.out.tfevents...`), so the sub-folder can name the split.
    public var eventFiles: [(relativePath: String, data: Data)]

    public init(source: String, data: Data, eventFiles: [(relativePath: String, data: Data)] = []) {
        self.source = source
        self.data = data
        self.eventFiles = eventFiles
    }

    /// The file name without folders, lower-cased, for hints such as `trainer_state.json`.
    public var fileName: String {
        (source as NSString).lastPathComponent.lowercased()
    }

    /// The first bytes decoded as text, for cheap format sniffing.
    public func prefix(_ count: Int = 4096) -> String {
        String(decoding: data.prefix(count), as: UTF8.self)
    }

    /// The whole input as text; invalid UTF-8 (a GBK comment) becomes U+FFFD and never stops parsing.
    public var text: String {
        String(decoding: data, as: UTF8.self)
    }

    /// The input as terminal lines (see `LogLine`).
    public var lines: [LogLine] { LogLine.split(data) }
}
