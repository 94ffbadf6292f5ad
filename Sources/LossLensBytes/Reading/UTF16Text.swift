import Foundation

/// Text written as UTF-16: Windows PowerShell's `>` and `Tee-Object` write UTF-16LE with a byte
/// order mark, and other tools write it without one or big-endian. Every reader works on UTF-8, and
/// UTF-16 is full of NUL bytes that make it look binary, so such an input is decoded first, a chunk
/// at a time, into a `ByteSpool`: memory stays bounded whatever the size of the log.
@_spi(Layers) public enum UTF16Text {
    @_spi(Layers) public enum ByteOrder: Sendable {
        case littleEndian, bigEndian
    }

    /// The byte order of UTF-16 text at the start of `head`, nil when it is not UTF-16.
    ///
    /// A byte order mark decides. Without one, text that is mostly ASCII has a zero byte in every
    /// other position: at least 3 of 4 code units of the first kilobyte must be an ASCII character
    /// with its zero byte on one side (UTF-8 text never holds a zero byte, binary data rarely in
    /// such a regular pattern).
    @_spi(Layers) public static func byteOrder(of head: Data) -> ByteOrder? {
        let bytes = [UInt8](head.prefix(1024))
        if bytes.count >= 2 {
            if bytes[0] == 0xFF, bytes[1] == 0xFE, !(bytes.count >= 4 && bytes[2] == 0 && bytes[3] == 0) { return .littleEndian }
            if bytes[0] == 0xFE, bytes[1] == 0xFF { return .bigEndian }
        }
        let units = bytes.count / 2
        guard units >= 8 else { return nil }
        var little = 0, big = 0
        for unit in 0..<units {
            let first = bytes[2 * unit], second = bytes[2 * unit + 1]
            if second == 0, first != 0, first < 0x80 { little += 1 }
            if first == 0, second != 0, second < 0x80 { big += 1 }
        }
        if little * 4 >= units * 3 { return .littleEndian }
        if big * 4 >= units * 3 { return .bigEndian }
        return nil
    }

    /// `content` decoded to UTF-8 (a leading byte order mark dropped, unpaired surrogates and an odd
    /// last byte replaced by U+FFFD, as `String(decoding:)` does).
    @_spi(Layers) public static func decode(_ content: LogContent, order: ByteOrder, memoryLimit: Int = ByteSpool.defaultMemoryLimit) throws -> DecodedText {
        let spool = ByteSpool(memoryLimit: memoryLimit)
        let reader = try content.makeReader()
        var decoder = Decoder(order: order)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var output: [UInt8] = []
        output.reserveCapacity(chunk.count * 3 / 2 + 8)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { break }
            output.removeAll(keepingCapacity: true)
            decoder.decode(chunk[..<count], into: &output)
            try output.withUnsafeBytes { try spool.append($0) }
        }
        output.removeAll(keepingCapacity: true)
        decoder.finish(into: &output)
        try output.withUnsafeBytes { try spool.append($0) }
        return DecodedText(spool: spool)
    }

    /// Turns UTF-16 code units into UTF-8, keeping an odd byte and a high surrogate between chunks.
    struct Decoder {
        let order: ByteOrder
        private var pendingByte: UInt8?
        private var pendingHigh: UInt16?
        private var atStart = true

        init(order: ByteOrder) {
            self.order = order
        }

        mutating func decode(_ bytes: ArraySlice<UInt8>, into output: inout [UInt8]) {
            var index = bytes.startIndex
            if let first = pendingByte, index < bytes.endIndex {
                pendingByte = nil
                unit(order == .littleEndian ? UInt16(bytes[index]) << 8 | UInt16(first) : UInt16(first) << 8 | UInt16(bytes[index]), into: &output)
                index += 1
            }
            while index + 1 < bytes.endIndex {
                let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
                unit(order == .littleEndian ? b << 8 | a : a << 8 | b, into: &output)
                index += 2
            }
            if index < bytes.endIndex { pendingByte = bytes[index] }
        }

        mutating func finish(into output: inout [UInt8]) {
            if pendingHigh != nil || pendingByte != nil { append(0xFFFD, to: &output) }
            pendingHigh = nil
            pendingByte = nil
        }

        private mutating func unit(_ code: UInt16, into output: inout [UInt8]) {
            defer { atStart = false }
            if atStart, code == 0xFEFF { return }
            if let high = pendingHigh {
                pendingHigh = nil
                if (0xDC00..<0xE000).contains(code) {
                    append(0x10000 + (UInt32(high) - 0xD800) << 10 + (UInt32(code) - 0xDC00), to: &output)
                    return
                }
                append(0xFFFD, to: &output)
            }
            switch code {
            case 0xD800..<0xDC00: pendingHigh = code
            case 0xDC00..<0xE000: append(0xFFFD, to: &output)
            default: append(UInt32(code), to: &output)
            }
        }

        private func append(_ scalar: UInt32, to output: inout [UInt8]) {
            switch scalar {
            case 0..<0x80:
                output.append(UInt8(scalar))
            case 0x80..<0x800:
                output.append(UInt8(0xC0 | scalar >> 6))
                output.append(UInt8(0x80 | scalar & 0x3F))
            case 0x800..<0x10000:
                output.append(UInt8(0xE0 | scalar >> 12))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
            default:
                output.append(UInt8(0xF0 | scalar >> 18))
                output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
            }
        }
    }
}

/// Decoded text and the spool that holds it: the spool's temporary file lives as long as this
/// object. Immutable once made, so it may cross threads with the input that reads it.
@_spi(Layers) public final class DecodedText: @unchecked Sendable {
    private let spool: ByteSpool
    @_spi(Layers) public let content: LogContent

    init(spool: ByteSpool) {
        self.spool = spool
        content = spool.content(upTo: spool.count)
    }
}
