import Foundation

/// Where the bytes of an input live: in memory (standard input, tests, `watch`), in a file that is
/// read when needed, in chunks, or in the unnamed file of a `ByteSpool`, which stays open as long
/// as the content does.
public enum LogContent: Sendable {
    case memory(Data)
    case file(path: String, size: Int)
    case spooled(OpenFile, size: Int)

    public var byteCount: Int {
        switch self {
        case let .memory(data): return data.count
        case let .file(_, size), let .spooled(_, size): return size
        }
    }

    var isInMemory: Bool {
        if case .memory = self { return true }
        return false
    }

    /// A file to read when needed; fails now when it cannot be opened. Pseudo-files (/proc) state a
    /// size of 0 and still have content, or fail on read: they are read at once, so an empty-looking
    /// file is either truly empty or reports its read error.
    @_spi(Layers) public static func opening(_ path: String) throws -> LogContent {
        let size = try size(of: path)
        return size > 0 ? .file(path: path, size: size) : .memory(try readAll(path))
    }

    @_spi(Layers) public static func size(of path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard access(path, R_OK) == 0 else {
            throw ReadError.unreadable(path: path, reason: "permission denied")
        }
        return Int(status.st_size)
    }

    /// A whole file read front to back, for files whose size `stat` does not tell.
    static func readAll(_ path: String) throws -> Data {
        let reader = try FileChunkReader(path: path)
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { return data }
            data.append(contentsOf: chunk[..<count])
        }
    }

    /// The bytes in `range` (clamped to the content).
    @_spi(Layers) public func bytes(in range: Range<Int>) throws -> Data {
        switch self {
        case let .memory(data):
            let lower = data.startIndex + min(range.lowerBound, data.count)
            let upper = data.startIndex + min(range.upperBound, data.count)
            return data.subdata(in: lower..<upper)
        case .file, .spooled:
            let reader = try makeReader(from: range.lowerBound)
            var result = Data(count: range.count)
            let filled = try result.withUnsafeMutableBytes { try reader.fill($0) }
            result.count = filled
            return result
        }
    }

    /// A reader that hands out the content front to back, from byte `offset` on. A file is read
    /// up to the size it had when the input was made, so every reading of a log that is still
    /// being written sees the same bytes.
    @_spi(Layers) public func makeReader(from offset: Int = 0) throws -> any ChunkReader {
        switch self {
        case let .memory(data): return DataChunkReader(data: data, offset: offset)
        case let .file(path, size):
            let reader = try FileChunkReader(path: path, end: size)
            if offset > 0 { try reader.seek(to: offset) }
            return reader
        case let .spooled(file, size):
            let reader = FileChunkReader(file: file, end: size)
            if offset > 0 { try reader.seek(to: offset) }
            return reader
        }
    }
}

/// Bytes read front to back into a caller's buffer.
@_spi(Layers) public protocol ChunkReader: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ChunkReader {
    /// Reads until `buffer` is full or the input ends; returns the count read.
    @_spi(Layers) public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Reads up to `buffer.count` bytes into the start of `buffer`; 0 means the end.
    @_spi(Layers) public func read(into buffer: inout [UInt8]) throws -> Int {
        try buffer.withUnsafeMutableBytes { try read(into: $0) }
    }

    /// Fills `buffer` from its start until it is full or the input ends; returns the count read.
    @_spi(Layers) public func fill(_ buffer: inout [UInt8]) throws -> Int {
        try buffer.withUnsafeMutableBytes { try fill($0) }
    }
}

@_spi(Layers) public final class DataChunkReader: ChunkReader {
    private let data: Data
    private var offset: Int

    @_spi(Layers) public init(data: Data, offset: Int = 0) {
        self.data = data
        self.offset = min(max(0, offset), data.count)
    }

    @_spi(Layers) public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, data.count - offset)
        guard count > 0 else { return 0 }
        let start = data.startIndex + offset
        data.copyBytes(to: buffer.bindMemory(to: UInt8.self), from: start..<start + count)
        offset += count
        return count
    }
}

/// Reads a file front to back, up to byte `end` when given; the descriptor is closed when the last
/// reader of the file goes away. Reads name their offset (`pread`), so readers of one spool share
/// its descriptor without moving each other's place.
@_spi(Layers) public final class FileChunkReader: ChunkReader {
    private let file: OpenFile
    private let end: Int
    private var position = 0

    @_spi(Layers) public init(path: String, end: Int = .max) throws {
        file = try OpenFile(path: path)
        self.end = end
    }

    @_spi(Layers) public init(file: OpenFile, end: Int) {
        self.file = file
        self.end = end
    }

    func seek(to offset: Int) throws {
        guard offset >= 0 else { throw ReadError.unreadable(path: file.path, reason: String(cString: strerror(EINVAL))) }
        position = offset
    }

    @_spi(Layers) public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = min(buffer.count, max(0, end - position))
        guard wanted > 0 else { return 0 }
        while true {
            let count = pread(file.descriptor, buffer.baseAddress, wanted, off_t(position))
            if count >= 0 {
                position += count
                return count
            }
            if errno == EINTR { continue }
            throw OpenFile.failure(file.path)
        }
    }
}
