import Foundation

/// What was wrong with a TFRecord file at the record where reading stopped.
@_spi(Layers) public enum TFRecordDamage: Equatable, Sendable {
    case truncatedHeader(bytesLeft: Int)
    case lengthChecksumMismatch
    case truncatedData(expected: Int, available: Int)
    case dataChecksumMismatch

    @_spi(Layers) public var description: String {
        switch self {
        case let .truncatedHeader(left):
            return "the file ends inside a record header (\(left) of 12 bytes present; truncated file)"
        case .lengthChecksumMismatch:
            return "the CRC32C checksum of the record length does not match (corrupt file)"
        case let .truncatedData(expected, available):
            return "the file ends inside a record (\(available) of \(expected) bytes present; truncated file)"
        case .dataChecksumMismatch:
            return "the CRC32C checksum of the record data does not match (corrupt file)"
        }
    }
}

/// The records of a TFRecord file (TensorBoard event files are TFRecord files), read one at a time
/// so a file of any size needs no more memory than its largest record. Each record is a
/// little-endian uint64 length, the masked CRC32C of those 8 bytes, the data, and the masked CRC32C
/// of the data. Both checksums are verified; reading stops at the first damaged record.
@_spi(Layers) public struct TFRecordStream {
    private let source: any ChunkReader
    private let total: Int
    private var record: [UInt8] = []
    private var offset = 0
    /// Bytes read ahead of the records, `readAhead` at a time: an event of a scalar is some 60
    /// bytes, and reading each header and record with a call of its own was most of the time.
    private var ahead: [UInt8] = []
    private var aheadStart = 0
    private var aheadEnd = 0
    private static let readAhead = 256 << 10
    /// The number of the last record read (1-based), or of the damaged one.
    @_spi(Layers) public private(set) var number = 0
    /// What was wrong with the record where reading stopped, if it stopped early.
    @_spi(Layers) public private(set) var damage: TFRecordDamage?

    @_spi(Layers) public init(_ content: LogContent) throws {
        source = try content.makeReader()
        total = content.byteCount
    }

    /// Reads the next record and returns what `body` makes of its data (valid during the call) and
    /// its number; nil at the end of the file or at a damaged record (`damage` then says why).
    @_spi(Layers) public mutating func next<Result>(_ body: (ByteView, Int) throws -> Result) throws -> Result? {
        guard damage == nil, offset < total else { return nil }
        number += 1
        // The length and its checksum: 12 bytes.
        var header: (UInt64, UInt32) = (0, 0)
        let headerCount = try withUnsafeMutableBytes(of: &header) { try take(UnsafeMutableRawBufferPointer(rebasing: $0[0..<12])) }
        guard headerCount == 12 else { return stop(.truncatedHeader(bytesLeft: headerCount)) }
        let (length, lengthHolds) = withUnsafeBytes(of: &header) { bytes in
            (TFRecordReader.uint64(bytes, at: 0),
             CRC32C.masked(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<8]))) == TFRecordReader.uint32(bytes, at: 8))
        }
        guard lengthHolds else { return stop(.lengthChecksumMismatch) }
        let available = total - offset - 12
        guard length <= UInt64(max(0, available - 4)) else {
            // A hostile length near 2^64 still has a checksum that holds: no overflow here.
            return stop(.truncatedData(expected: Int(clamping: min(length, UInt64(Int.max - 4))) + 4, available: available))
        }
        // The data and its checksum, read in one go.
        var record = self.record
        self.record = []
        defer { self.record = record }
        record.removeAll(keepingCapacity: true)
        record.append(contentsOf: repeatElement(0, count: Int(length) + 4))
        let read = try record.withUnsafeMutableBytes { try take($0) }
        guard read == record.count else { return stop(.truncatedData(expected: record.count, available: read)) }
        let number = number
        let result = try record.withUnsafeBytes { bytes -> Result? in
            let data = UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count - 4])
            guard CRC32C.masked(CRC32C.checksum(data)) == TFRecordReader.uint32(bytes, at: data.count) else { return nil }
            return try body(ByteView(data.bindMemory(to: UInt8.self)), number)
        }
        guard let result else { return stop(.dataChecksumMismatch) }
        self.offset += 12 + record.count
        return result
    }

    /// Fills `target` from the bytes read ahead and the file; fewer only at the end of the file.
    private mutating func take(_ target: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < target.count {
            if aheadStart == aheadEnd {
                let wanted = target.count - filled
                // A record larger than the read-ahead goes straight into its buffer.
                if wanted >= Self.readAhead { return filled + (try source.fill(UnsafeMutableRawBufferPointer(rebasing: target[filled...]))) }
                if ahead.isEmpty { ahead = [UInt8](repeating: 0, count: Self.readAhead) }
                aheadStart = 0
                aheadEnd = try source.read(into: &ahead)
                if aheadEnd == 0 { break }
            }
            let count = min(aheadEnd - aheadStart, target.count - filled)
            let start = aheadStart
            ahead.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: target[filled..<filled + count])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]))
            }
            aheadStart += count
            filled += count
        }
        return filled
    }

    private mutating func stop<Result>(_ problem: TFRecordDamage) -> Result? {
        damage = problem
        return nil
    }
}

@_spi(Layers) public enum TFRecordReader {
    /// Calls `body` with the data of each record (valid during the call) and its 1-based number,
    /// until it returns false or a record is damaged; returns that damage and its record number.
    @_spi(Layers) public static func forEachRecord(
        in content: LogContent, _ body: (ByteView, Int) throws -> Bool
    ) throws -> (record: Int, problem: TFRecordDamage)? {
        var stream = try TFRecordStream(content)
        while let goOn = try stream.next(body) {
            if !goOn { return nil }
        }
        return stream.damage.map { (stream.number, $0) }
    }

    /// Whether `head`, the first bytes of a file, starts with a record header whose length checksum
    /// holds: what a TFRecord file read as plain data shows.
    @_spi(Layers) public static func startsWithRecordHeader(_ head: Data) -> Bool {
        guard head.count >= 12 else { return false }
        return head.prefix(12).withUnsafeBytes { bytes in
            CRC32C.masked(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<8]))) == uint32(bytes, at: 8)
        }
    }

    static func uint32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    static func uint64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
