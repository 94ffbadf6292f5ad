import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// A stream (standard input, a pipe, a FIFO, a device) read to its end, held in memory while small
/// and spooled to an unnamed temporary file past `memoryLimit` (see `ByteSpool`): parsers read an
/// input more than once (sniffing, then parsing), so a gigabyte piped in is read like a file of
/// that size instead of sitting in memory. The file goes away with this object.
///
/// Memory and disk stay bounded whatever arrives: binary data (`/dev/zero`, a checkpoint piped in
/// by mistake) is refused from its first kilobytes, and more than `limit` bytes is an error.
public final class SpooledInput {
    public let input: LogInput

    public static let defaultMemoryLimit = ByteSpool.defaultMemoryLimit
    /// How much of a stream is looked at to tell binary data from a log.
    static let sniffLength = 8192

    public convenience init(reading descriptor: Int32 = STDIN_FILENO, source: String = "-", memoryLimit: Int = defaultMemoryLimit) throws {
        try self.init(stream: ByteStream(descriptor: descriptor, name: source), source: source, memoryLimit: memoryLimit)
    }

    @_spi(Layers) public init(
        stream: ByteStream, source: String, memoryLimit: Int = defaultMemoryLimit, limit: Int = ByteSpool.defaultLimit
    ) throws {
        let spool = ByteSpool(memoryLimit: memoryLimit, limit: limit)
        // Binary data is refused as soon as it shows, instead of after reading a device without end.
        try spool.read(stream, headLength: Self.sniffLength) { head in
            if BinarySniffer.refusesStream(startingWith: head) {
                throw LossLensError.binaryInput(source: source)
            }
        }
        input = LogInput(source: source, content: spool.content(upTo: spool.count))
    }
}
