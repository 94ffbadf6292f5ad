import Foundation

/// Bytes read at any offset, by several threads at once: each worker of a parallel reading reads
/// its own block, so the copy out of the page cache is spread over the cores instead of being made
/// by the one thread that hands out the blocks.
@_spi(Layers) public protocol PositionalReader: AnyObject, Sendable {
    /// Reads up to `buffer.count` bytes from `offset`; fewer only at the end of the content.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int
}

extension LogContent {
    /// A reader for any offset below `byteCount`; a file is read up to the size it had when the
    /// input was made (see `makeReader`).
    @_spi(Layers) public func makePositionalReader() throws -> any PositionalReader {
        switch self {
        case let .memory(data): return DataPositionalReader(data: data)
        case let .file(path, size): return try FilePositionalReader(path: path, end: size)
        case let .spooled(file, size): return FilePositionalReader(file: file, end: size)
        }
    }
}

@_spi(Layers) public final class DataPositionalReader: PositionalReader {
    private let data: Data

    @_spi(Layers) public init(data: Data) {
        self.data = data
    }

    @_spi(Layers) public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        let count = min(buffer.count, max(0, data.count - offset))
        guard count > 0 else { return 0 }
        let start = data.startIndex + offset
        data.copyBytes(to: buffer.bindMemory(to: UInt8.self), from: start..<start + count)
        return count
    }
}

/// A file open for reading, closed when its reader goes away.
public final class OpenFile: Sendable {
    @_spi(Layers) public let path: String
    @_spi(Layers) public let descriptor: Int32

    @_spi(Layers) public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(path) }
    }

    /// Takes over a descriptor already open (a spool's), to close it when the last user is done.
    @_spi(Layers) public init(adopting descriptor: Int32, path: String) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The error of the call that just failed on the file, with the system's reason.
    @_spi(Layers) public static func failure(_ path: String) -> ReadError {
        .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
}

/// Reads a file with `pread(2)`, which keeps no position, so one descriptor serves every thread.
@_spi(Layers) public final class FilePositionalReader: PositionalReader {
    private let file: OpenFile
    private let end: Int

    @_spi(Layers) public init(path: String, end: Int) throws {
        file = try OpenFile(path: path)
        self.end = end
    }

    @_spi(Layers) public init(file: OpenFile, end: Int) {
        self.file = file
        self.end = end
    }

    @_spi(Layers) public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var filled = 0
        while filled < buffer.count, offset + filled < end {
            let wanted = min(buffer.count - filled, end - offset - filled)
            let count = pread(file.descriptor, buffer.baseAddress! + filled, wanted, off_t(offset + filled))
            if count > 0 {
                filled += count
            } else if count == 0 {
                // Shorter than when it was opened (truncated meanwhile): what is there is all.
                break
            } else if errno != EINTR {
                throw OpenFile.failure(file.path)
            }
        }
        return filled
    }
}
