/// CRC-32C (Castagnoli), the checksum of TFRecord framing, and the masking TFRecord applies to it
/// so that a checksum of data that itself holds checksums does not look trivially valid.
@_spi(Layers) public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    @_spi(Layers) public static func checksum(_ bytes: ByteView) -> UInt32 {
        checksum(UnsafeRawBufferPointer(bytes.buffer))
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    @_spi(Layers) public static func masked(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
