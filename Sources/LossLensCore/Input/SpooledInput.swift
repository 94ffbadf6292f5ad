import Foundation

/// Standard input (or any descriptor read to its end), held in memory while small and spooled to a
/// temporary file past `memoryLimit`: parsers read an input more than once (sniffing, then parsing),
/// so a gigabyte piped in is read like a file of that size instead of sitting in memory.
public final class SpooledInput {
    public private(set) var input: LogInput
    private var temporaryPath: String?

    public static let defaultMemoryLimit = 8 << 20

    public init(reading descriptor: Int32 = STDIN_FILENO, source: String = "-", memoryLimit: Int = defaultMemoryLimit) throws {
        var data = Data()
        let chunkSize = 1 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { chunk.deallocate() }
        var spool: (path: String, descriptor: Int32)?
        input = LogInput(source: source, data: Data())
        do {
            while true {
                let count = try Self.read(descriptor, into: chunk, source: source)
                if count == 0 { break }
                let bytes = UnsafeRawBufferPointer(rebasing: chunk[..<count])
                if let spool {
                    try Self.write(bytes, to: spool.descriptor, path: spool.path)
                    continue
                }
                data.append(contentsOf: bytes)
                if data.count > memoryLimit {
                    let opened = try Self.makeTemporaryFile(source: source)
                    spool = opened
                    temporaryPath = opened.path
                    try data.withUnsafeBytes { try Self.write($0, to: opened.descriptor, path: opened.path) }
                    data = Data()
                }
            }
        } catch {
            if let spool { close(spool.descriptor) }
            removeTemporaryFile()
            throw error
        }
        if let spool {
            close(spool.descriptor)
            input = try LogInput(source: source, filePath: spool.path)
        } else {
            input = LogInput(source: source, data: data)
        }
    }

    deinit { removeTemporaryFile() }

    private func removeTemporaryFile() {
        if let temporaryPath { unlink(temporaryPath) }
        temporaryPath = nil
    }

    private static func makeTemporaryFile(source: String) throws -> (path: String, descriptor: Int32) {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("losslens-stdin-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw LossLensError.unreadable(
                path: source, reason: "cannot keep the input in a temporary file in \(NSTemporaryDirectory()): "
                    + String(cString: strerror(errno)) + " (set TMPDIR to a writable folder)")
        }
        return (template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }, descriptor)
    }

    private static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, source: String) throws -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw LossLensError.unreadable(path: source, reason: String(cString: strerror(errno)))
        }
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw LossLensError.unreadable(
                    path: path, reason: "cannot write the temporary copy of the input: " + String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
