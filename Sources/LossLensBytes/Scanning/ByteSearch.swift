import Foundation

/// Literal searches on bytes, for the prefilters that run before PCRE2.
extension UnsafeBufferPointer where Element == UInt8 {
    /// The index of the last `byte` in `range`, searching backwards.
    func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            if self[index] == byte { return index }
        }
        return nil
    }
}

/// A literal searched by `memchr` on its rarest byte in log text (the `h` of `'epoch'`, not the
/// quote that opens every key of a Hugging Face line), each candidate checked with `memcmp`.
@_spi(Layers) public struct ByteNeedle {
    @_spi(Layers) public let bytes: [UInt8]
    /// The offset in `bytes` of the byte searched for.
    private let anchor: Int

    @_spi(Layers) public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        anchor = bytes.indices.min { Self.commonness(bytes[$0]) < Self.commonness(bytes[$1]) } ?? 0
    }

    @_spi(Layers) public init(_ text: String) { self.init(Array(text.utf8)) }

    @inline(__always)
    @_spi(Layers) public func occurs(in haystack: ByteView) -> Bool {
        occurs(in: haystack.buffer)
    }

    @_spi(Layers) public func occurs(in text: String) -> Bool {
        text.withByteView { occurs(in: $0) }
    }

    @_spi(Layers) public func occurs(in data: Data) -> Bool {
        data.withByteView { occurs(in: $0) }
    }

    func occurs(in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return true }
        guard let base = haystack.baseAddress, haystack.count >= bytes.count else { return false }
        let wanted = bytes[anchor]
        // Anchor positions that leave room for the whole needle around them.
        var index = anchor
        let last = haystack.count - bytes.count + anchor
        return bytes.withUnsafeBufferPointer { needle in
            while index <= last, let found = memchr(base + index, Int32(wanted), last - index + 1) {
                let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + position - anchor, needle.baseAddress!, needle.count) == 0 { return true }
                index = position + 1
            }
            return false
        }
    }

    /// How often a byte turns up in training logs, roughly: digits, punctuation of metric lists and
    /// frequent lowercase letters first; uppercase letters and rare letters last.
    private static func commonness(_ byte: UInt8) -> Int {
        if let rank = frequent.firstIndex(of: byte) { return frequent.count - rank + 10 }
        return byte &- UInt8(ascii: "A") < 26 ? 1 : 5
    }

    /// Made once: dialect readers, callback events and sniffers make their needles at every start.
    private static let frequent = Array(" 0.1'2:3,4e5-6789=ato_snril|/[]()cdup%\"{}hmgfwbvykxjqz".utf8)
}

/// Finds a literal in any ASCII letter case (Boyer-Moore-Horspool on case-folded bytes), so a
/// prefilter for a `(?i)` pattern skips most of a line instead of testing every byte.
@_spi(Layers) public struct CaseInsensitiveNeedle {
    private let needle: [UInt8]
    private var shifts = [Int](repeating: 0, count: 256)

    @_spi(Layers) public init(_ text: String) {
        needle = Array(text.lowercased().utf8)
        for byte in 0..<256 { shifts[byte] = needle.count }
        for (index, byte) in needle.dropLast().enumerated() {
            shifts[Int(byte)] = needle.count - 1 - index
            shifts[Int(Self.upper(byte))] = needle.count - 1 - index
        }
    }

    @inline(__always)
    @_spi(Layers) public func occurs(in bytes: ByteView) -> Bool {
        occurs(in: bytes.buffer)
    }

    func occurs(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = needle.count
        guard length > 0 else { return true }
        var start = 0
        while start + length <= bytes.count {
            var offset = length - 1
            while Self.lower(bytes[start + offset]) == needle[offset] {
                if offset == 0 { return true }
                offset -= 1
            }
            start += shifts[Int(bytes[start + length - 1])]
        }
        return false
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "a") < 26 ? byte & ~0x20 : byte
    }
}
