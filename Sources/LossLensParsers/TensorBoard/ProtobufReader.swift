import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// A message that does not follow the protobuf wire format.
@_spi(Layers) public struct ProtobufError: Error, Equatable {
    @_spi(Layers) public var reason: String
}

/// Reads protobuf wire format by hand: the few TensorBoard messages losslens needs do not justify a
/// protobuf dependency. Fields are visited in order; unknown fields are skipped by wire type.
@_spi(Layers) public struct ProtobufReader {
    @_spi(Layers) public enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    @_spi(Layers) public enum FieldValue {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(Data)

        @_spi(Layers) public var double: Double? { if case let .fixed64(bits) = self { return Double(bitPattern: bits) } else { return nil } }
        @_spi(Layers) public var float: Float? { if case let .fixed32(bits) = self { return Float(bitPattern: bits) } else { return nil } }
        @_spi(Layers) public var data: Data? { if case let .bytes(data) = self { return data } else { return nil } }
        @_spi(Layers) public var integer: Int64? { if case let .varint(value) = self { return Int64(bitPattern: value) } else { return nil } }
    }

    private let bytes: [UInt8]
    private var offset = 0

    @_spi(Layers) public init(_ data: Data) {
        bytes = [UInt8](data)
    }

    /// The next field number and value, or nil at the end of the message.
    @_spi(Layers) public mutating func next() throws -> (number: Int, value: FieldValue)? {
        guard offset < bytes.count else { return nil }
        let key = try varint()
        guard let wireType = WireType(rawValue: key & 7) else {
            throw ProtobufError(reason: "unknown wire type \(key & 7)")
        }
        let number = Int(key >> 3)
        switch wireType {
        case .varint:
            return (number, .varint(try varint()))
        case .fixed64:
            return (number, .fixed64(try fixed(8)))
        case .fixed32:
            return (number, .fixed32(UInt32(try fixed(4))))
        case .lengthDelimited:
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else { throw ProtobufError(reason: "field runs past the message") }
            let data = Data(bytes[offset..<offset + Int(length)])
            offset += Int(length)
            return (number, .bytes(data))
        case .startGroup, .endGroup:
            throw ProtobufError(reason: "groups are not used by TensorBoard messages")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw ProtobufError(reason: "truncated varint")
    }

    private mutating func fixed(_ size: Int) throws -> UInt64 {
        guard bytes.count - offset >= size else { throw ProtobufError(reason: "truncated fixed-size field") }
        let value = (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
        offset += size
        return value
    }

    /// The elements of a packed repeated field of fixed-size values (`float_val`, `double_val`).
    static func packed(_ data: Data, size: Int) -> [UInt64] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { start in
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[start + $1]) << (8 * $1) }
        }
    }
}
