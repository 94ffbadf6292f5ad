import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// What a parser reads: the bytes of one file (or of standard input), or the event files of a
/// TensorBoard log directory.
///
/// A file is not read when the input is made: console logs stream through `LineStream`, CSV
/// tables through `CSVRowReader` and event files through `TFRecordReader` a chunk or a record at a
/// time, so a gigabyte log never sits in memory; formats that need the whole document (JSON,
/// notebooks) load it with `wholeData()`, up to `wholeFileLimit`.
public struct LogInput: Sendable {
    /// The path as the user gave it (`-` for standard input).
    public var source: String
    public var content: LogContent
    /// For TensorBoard directories: the event files, keyed by their path relative to `source`
    /// (`train/events.out.tfevents...`), so the sub-folder can name the split. Files are read
    /// record by record when parsed.
    public var eventFiles: [(relativePath: String, content: LogContent)]

    /// The largest input loaded whole (documents that cannot be read line by line). Console logs,
    /// CSV tables and event files have no limit: they are streamed.
    public static let defaultWholeFileLimit = 256 << 20
    public var wholeFileLimit = LogInput.defaultWholeFileLimit
    /// How many runs and series the input may make (`--max-runs`, `--max-series`).
    public var runLimits = RunLimits()

    public init(source: String, data: Data, eventFiles: [(relativePath: String, data: Data)] = []) {
        self.source = source
        self.content = .memory(data)
        self.eventFiles = eventFiles.map { ($0.relativePath, .memory($0.data)) }
    }

    /// A TensorBoard log directory whose event files are read when parsed.
    public init(source: String, eventFiles: [(relativePath: String, content: LogContent)]) {
        self.source = source
        self.content = .memory(Data())
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
        self.content = try LogContent.opening(path)
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

    /// Whether the first `count` bytes, past leading whitespace, start with `{`: what
    /// `prefix(count).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{")` tells, on
    /// bytes. Every input is asked, and a console log answers at its first byte.
    public func opensJSONObject(within count: Int) -> Bool {
        let head = prefixData(count)
        guard let first = head.firstIndex(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) else { return false }
        // Past ASCII, whitespace may be Unicode's (a no-break space): Foundation decides.
        if head[first] >= 0x80 {
            return prefix(count).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{")
        }
        return head[first] == UInt8(ascii: "{")
    }

    /// Whether the first `count` bytes hold `text` (ASCII), searched as bytes.
    public func prefix(_ count: Int, holds text: String) -> Bool {
        prefixData(count).withUnsafeBytes { ByteNeedle(text).occurs(in: $0.bindMemory(to: UInt8.self)) }
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
