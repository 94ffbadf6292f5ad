import Foundation

/// What a parser reads: the bytes of one file (or of standard input), or the event files of a
/// TensorBoard log directory.
///
/// A file is not read when the input is made: console logs stream through `LineStream` and CSV
/// tables through `CSVRowReader` a chunk at a time, so a gigabyte log never sits in memory; formats
/// that need the whole document (JSON, notebooks, single event files) load it with `wholeData()`,
/// up to `wholeFileLimit`.
public struct LogInput: Sendable {
    /// The path as the user gave it (`-` for standard input).
    public var source: String
    public var content: LogContent
    /// For TensorBoard directories: the event files, keyed by their path relative to `source`
    /// (`train/events.out.tfevents...`), so the sub-folder can name the split.
    public var eventFiles: [(relativePath: String, data: Data)]

    /// The largest input loaded whole (documents that cannot be read line by line). Console logs
    /// and CSV tables have no limit: they are streamed.
    public static let defaultWholeFileLimit = 256 << 20
    public var wholeFileLimit = LogInput.defaultWholeFileLimit

    public init(source: String, data: Data, eventFiles: [(relativePath: String, data: Data)] = []) {
        self.source = source
        self.content = .memory(data)
        self.eventFiles = eventFiles
    }

    public init(source: String, content: LogContent) {
        self.source = source
        self.content = content
        self.eventFiles = []
    }

    /// An input read from `path` when a parser asks for it; fails now when the file cannot be opened.
    public init(source: String, filePath path: String) throws {
        self.source = source
        let size = try LogContent.size(of: path)
        // Pseudo-files (/proc) state a size of 0 and still have content, or fail on read: they are
        // read at once, so an empty-looking file is either truly empty or reports its read error.
        self.content = size > 0 ? .file(path: path, size: size) : .memory(try LogContent.readAll(path))
        self.eventFiles = []
    }

    /// The file name without folders, lower-cased, for hints such as `trainer_state.json`.
    public var fileName: String {
        (source as NSString).lastPathComponent.lowercased()
    }

    public var byteCount: Int { content.byteCount }

    /// The first bytes, for cheap format sniffing (empty when the file has become unreadable).
    public func prefixData(_ count: Int) -> Data {
        (try? content.bytes(in: 0..<min(count, byteCount))) ?? Data()
    }

    /// The last bytes (a traceback at the end of a log).
    public func suffixData(_ count: Int) -> Data {
        let size = byteCount
        return (try? content.bytes(in: max(0, size - count)..<size)) ?? Data()
    }

    /// The first bytes decoded as text; invalid UTF-8 becomes U+FFFD.
    public func prefix(_ count: Int = 4096) -> String {
        String(decoding: prefixData(count), as: UTF8.self)
    }

    /// The whole input, for formats that must see the whole document at once.
    public func wholeData() throws -> Data {
        guard byteCount <= wholeFileLimit else {
            throw LossLensError.tooLargeToLoad(source: source, size: byteCount, limit: wholeFileLimit)
        }
        return try content.bytes(in: 0..<byteCount)
    }

    /// The whole input as text; invalid UTF-8 (a GBK comment) becomes U+FFFD and never stops parsing.
    public func text() throws -> String {
        String(decoding: try wholeData(), as: UTF8.self)
    }

    /// The input as terminal lines (see `LogLine`); for small inputs and tests.
    public func lines() throws -> [LogLine] {
        var lines: [LogLine] = []
        try LineStream.screenLines(of: content) { line in
            lines.append(line.logLine())
            return true
        }
        return lines
    }
}
