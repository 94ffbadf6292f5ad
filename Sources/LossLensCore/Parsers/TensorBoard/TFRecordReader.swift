import Foundation

/// What was wrong with a TFRecord file at the record where reading stopped.
enum TFRecordDamage: Equatable, Sendable {
    case truncatedHeader(bytesLeft: Int)
    case lengthChecksumMismatch
    case truncatedData(expected: Int, available: Int)
    case dataChecksumMismatch

    var description: String {
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

/// The records of a TFRecord file (TensorBoard event files are TFRecord files). Each record is a
/// little-endian uint64 length, the masked CRC32C of those 8 bytes, the data, and the masked CRC32C
/// of the data. Both checksums are verified; reading stops at the first damaged record.
struct TFRecordReader {
    var records: [Data] = []
    /// The damage that stopped reading, and the 1-based number of the damaged record.
    var damage: (record: Int, problem: TFRecordDamage)?

    init(_ data: Data) {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let number = records.count + 1
                guard bytes.count - offset >= 12 else {
                    damage = (number, .truncatedHeader(bytesLeft: bytes.count - offset))
                    return
                }
                let lengthBytes = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8])
                guard CRC32C.masked(CRC32C.checksum(lengthBytes)) == Self.uint32(bytes, at: offset + 8) else {
                    damage = (number, .lengthChecksumMismatch)
                    return
                }
                let length = Self.uint64(bytes, at: offset)
                let start = offset + 12
                let available = bytes.count - start
                guard length <= UInt64(max(0, available - 4)) else {
                    damage = (number, .truncatedData(expected: Int(clamping: length) + 4, available: available))
                    return
                }
                let end = start + Int(length)
                let body = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                guard CRC32C.masked(CRC32C.checksum(body)) == Self.uint32(bytes, at: end) else {
                    damage = (number, .dataChecksumMismatch)
                    return
                }
                records.append(Data(body))
                offset = end + 4
            }
        }
    }

    static func uint32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    static func uint64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
