import Foundation
@_spi(Layers) import LossLensBytes

/// Standard input (or any descriptor read to its end), held in memory while small and spooled to a
/// temporary file past `memoryLimit` (see `ByteSpool`): parsers read an input more than once
/// (sniffing, then parsing), so a gigabyte piped in is read like a file of that size instead of
/// sitting in memory. The file goes away with this object.
public final class SpooledInput {
    public let input: LogInput
    private let spool: ByteSpool

    public static let defaultMemoryLimit = ByteSpool.defaultMemoryLimit

    public init(reading descriptor: Int32 = STDIN_FILENO, source: String = "-", memoryLimit: Int = defaultMemoryLimit) throws {
        spool = ByteSpool(memoryLimit: memoryLimit)
        try spool.appendAll(readingFrom: descriptor, source: source)
        input = LogInput(source: source, content: spool.content(upTo: spool.count))
    }
}
