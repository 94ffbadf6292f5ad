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
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = Foundation.read(descriptor, chunk.baseAddress, chunk.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError.unreadable(path: source, reason: String(cString: strerror(errno)))
            }
            spool.append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
        }
        input = LogInput(source: source, content: spool.content(upTo: spool.count))
    }
}
