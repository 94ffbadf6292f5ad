import Foundation

/// Bytes that arrive over time (standard input, a log followed by `watch`), held in memory while
/// small and in a temporary file past `memoryLimit`, so a gigabyte piped in is read like a file of
/// that size. The file is removed when the spool goes away.
///
/// Where no temporary file can be made or written (a read-only or full `$TMPDIR`), the bytes stay
/// in memory: the analysis still runs, only its memory grows with the input.
public final class ByteSpool {
    public static let defaultMemoryLimit = 8 << 20

    private let memoryLimit: Int
    private var memory = Data()
    private var file: (path: String, descriptor: Int32)?
    private var keepsInMemory = false
    @_spi(Layers) public private(set) var count = 0

    @_spi(Layers) public init(memoryLimit: Int = defaultMemoryLimit) {
        self.memoryLimit = memoryLimit
    }

    deinit { removeFile() }

    func append(_ bytes: UnsafeRawBufferPointer) {
        let before = count
        count += bytes.count
        if let file {
            if Self.write(bytes, to: file.descriptor) { return }
            bringFileIntoMemory(keeping: before)
        }
        memory.append(contentsOf: bytes)
        if memory.count > memoryLimit, !keepsInMemory { moveMemoryToFile() }
    }

    @_spi(Layers) public func append(_ data: Data) {
        data.withUnsafeBytes { append($0) }
    }

    /// Appends what `descriptor` delivers until its end (standard input read whole); `source`
    /// names it in the error.
    @_spi(Layers) public func appendAll(readingFrom descriptor: Int32, source: String) throws {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = Foundation.read(descriptor, chunk.baseAddress, chunk.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError.unreadable(path: source, reason: String(cString: strerror(errno)))
            }
            append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
        }
    }

    /// The first `length` bytes received, as a parser reads them.
    @_spi(Layers) public func content(upTo length: Int) -> LogContent {
        if let file { return .file(path: file.path, size: min(length, count)) }
        return .memory(memory.prefix(length))
    }

    private func moveMemoryToFile() {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("losslens-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard descriptor >= 0 else {
            keepsInMemory = true
            return
        }
        file = (path, descriptor)
        guard memory.withUnsafeBytes({ Self.write($0, to: descriptor) }) else {
            removeFile()
            keepsInMemory = true
            return
        }
        memory = Data()
    }

    /// After a failed write: the `length` bytes written before it, then memory from here on.
    private func bringFileIntoMemory(keeping length: Int) {
        guard let file else { return }
        memory = ((try? LogContent.readAll(file.path)) ?? Data()).prefix(length)
        removeFile()
        keepsInMemory = true
    }

    private func removeFile() {
        guard let file else { return }
        close(file.descriptor)
        unlink(file.path)
        self.file = nil
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
