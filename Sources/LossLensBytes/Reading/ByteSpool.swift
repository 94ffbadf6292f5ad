import Foundation

/// Why bytes could not be kept for reading: the cap was reached, or no temporary file could be
/// made or written (a read-only or full `$TMPDIR`).
@_spi(Layers) public enum SpoolError: LocalizedError, Equatable {
    case limitReached(limit: Int)
    case cannotSpool(folder: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .limitReached(limit):
            return "more than \(ByteCount.describe(limit)) arrived, the most losslens keeps of a stream (--max-spool)"
        case let .cannotSpool(folder, reason):
            return "past \(ByteCount.describe(ByteSpool.fallbackMemoryLimit)) a stream must be kept in a temporary file, "
                + "and none can be written in \(folder) (\(reason)); set TMPDIR to a folder with room"
        }
    }
}

/// Bytes that arrive over time (standard input, a pipe, a log followed by `watch`), held in memory
/// while small and in a temporary file past `memoryLimit`, so a gigabyte piped in is read like a
/// file of that size. Past `limit` bytes, appending fails: a stream without end (`/dev/zero`,
/// `yes`) must not fill the disk.
///
/// The temporary file has no name (`AnonymousFile`): it goes when the spool does, and also when the
/// process is killed, so no exit path leaves it behind. Where no temporary file can be made or
/// written (a read-only or full `$TMPDIR`), the bytes stay in memory up to
/// `fallbackMemoryLimit`, and appending fails past it.
public final class ByteSpool {
    public static let defaultMemoryLimit = 8 << 20
    /// The default cap of `--max-spool`.
    public static let defaultLimit = 4 << 30
    /// The most kept in memory when no temporary file can be used (the limit of documents loaded whole).
    public static let fallbackMemoryLimit = 256 << 20

    private let memoryLimit: Int
    private let limit: Int
    private var memory = Data()
    private var file: OpenFile?
    /// Why no file could be used, once that is known: the bytes then stay in memory.
    private var fileFailure: SpoolError?
    @_spi(Layers) public private(set) var count = 0

    @_spi(Layers) public init(memoryLimit: Int = defaultMemoryLimit, limit: Int = defaultLimit) {
        self.memoryLimit = memoryLimit
        self.limit = limit
    }

    /// Keeps `bytes`; throws, keeping nothing of them, past the cap or when the file cannot be
    /// written. What was kept before stays readable.
    @_spi(Layers) public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard count + bytes.count <= limit else { throw SpoolError.limitReached(limit: limit) }
        if let file {
            if let failure = Self.write(bytes, to: file.descriptor) {
                // Back to the length kept before, so the file holds exactly `count` bytes.
                _ = ftruncate(file.descriptor, off_t(count))
                _ = lseek(file.descriptor, off_t(count), SEEK_SET)
                throw SpoolError.cannotSpool(folder: NSTemporaryDirectory(), reason: String(cString: strerror(failure)))
            }
        } else if memory.count + bytes.count > memoryLimit, fileFailure == nil {
            do {
                try moveMemoryToFile(adding: bytes)
            } catch let failure as SpoolError {
                fileFailure = failure
                try keepInMemory(bytes)
            }
        } else {
            try keepInMemory(bytes)
        }
        count += bytes.count
    }

    private func keepInMemory(_ bytes: UnsafeRawBufferPointer) throws {
        if let fileFailure, memory.count + bytes.count > Self.fallbackMemoryLimit { throw fileFailure }
        memory.append(contentsOf: bytes)
    }

    @_spi(Layers) public func append(_ data: Data) throws {
        try data.withUnsafeBytes { try append($0) }
    }

    /// The first `length` bytes received, as a parser reads them.
    @_spi(Layers) public func content(upTo length: Int) -> LogContent {
        if let file { return .spooled(file, size: min(length, count)) }
        return .memory(memory.prefix(length))
    }

    private func moveMemoryToFile(adding bytes: UnsafeRawBufferPointer) throws {
        let descriptor: Int32
        do {
            descriptor = try AnonymousFile.make()
        } catch let error as OutputFileError {
            throw SpoolError.cannotSpool(folder: error.path, reason: error.reason)
        }
        let opened = OpenFile(adopting: descriptor, path: NSTemporaryDirectory())
        let failure = memory.withUnsafeBytes { Self.write($0, to: descriptor) } ?? Self.write(bytes, to: descriptor)
        if let failure {
            throw SpoolError.cannotSpool(folder: NSTemporaryDirectory(), reason: String(cString: strerror(failure)))
        }
        file = opened
        memory = Data()
    }

    /// The `errno` of a failed write, nil when every byte was written.
    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return written < 0 ? errno : EIO }
            offset += written
        }
        return nil
    }
}

extension ByteSpool {
    /// Keeps what `stream` gives until it ends. `checkHead` sees the first `headLength` bytes (or all
    /// of a shorter stream) as soon as they are in, and may throw to stop there.
    @_spi(Layers) public func read(
        _ stream: ByteStream, headLength: Int, checkHead: (Data) throws -> Void
    ) throws {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { chunk.deallocate() }
        var checked = false
        while true {
            let count = try stream.read(into: chunk)
            if count == 0 { break }
            do {
                try append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
            } catch {
                throw ReadError.unreadable(path: stream.name, reason: error.localizedDescription)
            }
            if !checked, self.count >= headLength {
                checked = true
                try checkHead(try content(upTo: headLength).bytes(in: 0..<headLength))
            }
        }
        if !checked { try checkHead(try content(upTo: count).bytes(in: 0..<count)) }
    }
}

/// Byte counts as a user writes them: `4G`, `512M`, `64K` or a plain number of bytes.
@_spi(Layers) public enum ByteCount {
    @_spi(Layers) public static func parse(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var digits = Substring(text.uppercased())
        if digits.hasSuffix("IB") || digits.hasSuffix("B") { digits = digits.dropLast(digits.hasSuffix("IB") ? 2 : 1) }
        var shift = 0
        if let last = digits.last, let unit = units[last] {
            shift = unit
            digits = digits.dropLast()
        }
        guard let value = Int(digits), value > 0, value <= Int.max >> shift else { return nil }
        return value << shift
    }

    /// The largest whole unit: 4294967296 → "4 GiB".
    @_spi(Layers) public static func describe(_ count: Int) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where count >= 1 << shift && count % (1 << shift) == 0 {
            return "\(count >> shift) \(unit)"
        }
        return "\(count) bytes"
    }
}
