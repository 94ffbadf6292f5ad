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
    public var content: LogContent {
        didSet { sample = SniffSample(content) }
    }
    /// The first and last bytes, read once: every parser sniffs them to decide how sure it is.
    private var sample: SniffSample
    /// For TensorBoard directories: the event files, keyed by their path relative to `source`
    /// (`train/events.out.tfevents...`), so the sub-folder can name the split. Files are read
    /// record by record when parsed.
    public var eventFiles: [(relativePath: String, content: LogContent)]
    /// For other folders read as one run (an MLflow run folder): its files, keyed by their path
    /// relative to `source` (`metrics/val/loss`, `meta.yaml`).
    public var folderFiles: [(relativePath: String, content: LogContent)] = []

    /// Keeps the spool of text decoded from UTF-16 (see `decodingUTF16`) while the input is read.
    private var decoded: DecodedText?

    /// The largest input loaded whole (documents that cannot be read line by line). Console logs,
    /// CSV tables and event files have no limit: they are streamed.
    public static let defaultWholeFileLimit = 256 << 20
    public var wholeFileLimit = LogInput.defaultWholeFileLimit
    /// How many runs and series the input may make (`--max-runs`, `--max-series`, `--max-epochs`).
    public var runLimits = RunLimits()

    public init(source: String, data: Data, eventFiles: [(relativePath: String, data: Data)] = []) {
        self.source = source
        self.content = .memory(data)
        self.sample = SniffSample(content)
        self.eventFiles = eventFiles.map { ($0.relativePath, .memory($0.data)) }
    }

    /// A TensorBoard log directory whose event files are read when parsed.
    public init(source: String, eventFiles: [(relativePath: String, content: LogContent)]) {
        self.source = source
        self.content = .memory(Data())
        self.sample = SniffSample(content)
        self.eventFiles = eventFiles
    }

    /// A folder whose files a parser reads together (an MLflow run).
    public init(source: String, folderFiles: [(relativePath: String, content: LogContent)]) {
        self.init(source: source, content: .memory(Data()))
        self.folderFiles = folderFiles
    }

    public init(source: String, content: LogContent) {
        self.source = source
        self.content = content
        self.sample = SniffSample(content)
        self.eventFiles = []
    }

    /// An input read from `path` when a parser asks for it; fails now when the file cannot be opened.
    public init(source: String, filePath path: String) throws {
        self.source = source
        self.content = try LogContent.opening(path)
        self.sample = SniffSample(content)
        self.eventFiles = []
    }

    /// The input as UTF-8 when it is UTF-16 text (decoded a chunk at a time, see `UTF16Text`);
    /// the input itself otherwise. Every parser reads UTF-8, so inputs are decoded before they
    /// are sniffed; a folder of event files is never text.
    public func decodingUTF16() throws -> LogInput {
        guard eventFiles.isEmpty, folderFiles.isEmpty, decoded == nil, let order = UTF16Text.byteOrder(of: sample.head.prefix(1024)) else { return self }
        var text = self
        let decoded = try UTF16Text.decode(content, order: order)
        text.content = decoded.content
        text.decoded = decoded
        return text
    }

    /// The file name without folders, lower-cased, for hints such as `trainer_state.json`.
    public var fileName: String {
        (source as NSString).lastPathComponent.lowercased()
    }

    public var byteCount: Int { content.byteCount }

    /// How many bytes at each end of an input are read once for sniffing.
    public static let sniffBytes = 256 * 1024

    /// The first bytes, for cheap format sniffing (empty when the file has become unreadable).
    /// Taken from the sample without a copy: every parser's confidence asks for them.
    public func prefixData(_ count: Int) -> Data {
        let wanted = min(count, byteCount)
        // The sample starts at index 0, and so does its prefix.
        if wanted <= sample.head.count { return sample.head.prefix(wanted) }
        return (try? content.bytes(in: 0..<wanted)) ?? Data()
    }

    /// The last bytes (a traceback at the end of a log).
    public func suffixData(_ count: Int) -> Data {
        let size = byteCount
        let wanted = min(count, size)
        if size <= sample.head.count { return Data(sample.head.suffix(wanted)) }
        if wanted <= sample.tail.count { return Data(sample.tail.suffix(wanted)) }
        return (try? content.bytes(in: (size - wanted)..<size)) ?? Data()
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

    /// Whether the first `count` bytes, past leading whitespace, open a JSON list of objects (`[{`).
    public func opensJSONList(within count: Int) -> Bool {
        let head = prefixData(count)
        let isSpace = { (byte: UInt8) in (0x09...0x0D).contains(byte) || byte == 0x20 }
        guard let first = head.firstIndex(where: { !isSpace($0) }), head[first] == UInt8(ascii: "[") else { return false }
        return head[(first + 1)...].first(where: { !isSpace($0) }) == UInt8(ascii: "{")
    }

    /// Whether the first `count` bytes hold `text` (ASCII), searched as bytes.
    public func prefix(_ count: Int, holds text: String) -> Bool {
        ByteNeedle(text).occurs(in: prefixData(count))
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

/// The bytes at both ends of an input: each parser's confidence looks at them, so a file is opened
/// for sniffing once, not once per parser.
private struct SniffSample: Sendable {
    let head: Data
    let tail: Data

    init(_ content: LogContent) {
        let size = content.byteCount
        head = (try? content.bytes(in: 0..<min(size, LogInput.sniffBytes))) ?? Data()
        tail = size > LogInput.sniffBytes ? (try? content.bytes(in: (size - LogInput.sniffBytes)..<size)) ?? Data() : Data()
    }
}
