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
@_spi(Layers) public enum TFRecordReader {
    /// Calls `body` with the data of each record (valid during the call) and its 1-based number,
    /// until it returns false or a record is damaged; returns that damage and its record number.
    @_spi(Layers) public static func forEachRecord(
        in content: LogContent, _ body: (UnsafeRawBufferPointer, Int) throws -> Bool
    ) throws -> (record: Int, problem: TFRecordDamage)? {
        let source = try content.makeReader()
        let total = content.byteCount
        var header = [UInt8](repeating: 0, count: 12)
        var record: [UInt8] = []
        var offset = 0
        var number = 0
        while offset < total {
            number += 1
            let headerCount = try header.withUnsafeMutableBytes { try source.fill($0) }
            guard headerCount == 12 else { return (number, .truncatedHeader(bytesLeft: headerCount)) }
            let damage: TFRecordDamage? = try header.withUnsafeBytes { bytes in
                guard CRC32C.masked(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<8]))) == uint32(bytes, at: 8) else {
                    return .lengthChecksumMismatch
                }
                let length = uint64(bytes, at: 0)
                let available = total - offset - 12
                guard length <= UInt64(max(0, available - 4)) else {
                    // A hostile length near 2^64 still has a checksum that holds: no overflow here.
                    return .truncatedData(expected: Int(clamping: min(length, UInt64(Int.max - 4))) + 4, available: available)
                }
                // The data and its checksum, read in one go.
                record.removeAll(keepingCapacity: true)
                record.append(contentsOf: repeatElement(0, count: Int(length) + 4))
                let read = try record.withUnsafeMutableBytes { try source.fill($0) }
                guard read == record.count else { return .truncatedData(expected: record.count, available: read) }
                return nil
            }
            if let damage { return (number, damage) }
            let goOn = try record.withUnsafeBytes { bytes -> Bool? in
                let data = UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count - 4])
                guard CRC32C.masked(CRC32C.checksum(data)) == uint32(bytes, at: data.count) else { return nil }
                return try body(data, number)
            }
            guard let goOn else { return (number, .dataChecksumMismatch) }
            if !goOn { return nil }
            offset += 12 + record.count
        }
        return nil
    }

    /// Whether `data` opens with a record header whose length checksum holds: an event file, read
    /// as plain data, tells itself from other binary data by that.
    @_spi(Layers) public static func startsWithRecord(_ data: Data) -> Bool {
        guard data.count >= 12 else { return false }
        return data.prefix(12).withUnsafeBytes { bytes in
            CRC32C.masked(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<8]))) == uint32(bytes, at: 8)
        }
    }

    @_spi(Layers) public static func uint32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    static func uint64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
