import Foundation

/// Literal searches on bytes, for the prefilters that run before PCRE2.
extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether `needle` occurs: candidates by `memchr` on its first byte, checked with `memcmp`
    /// (glibc's `memmem` is not visible to Swift without `_GNU_SOURCE`).
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard let base = baseAddress, count >= needle.count else { return false }
        return needle.withUnsafeBufferPointer { wanted in
            var index = 0
            let last = count - needle.count
            while index <= last, let found = memchr(base + index, Int32(first), last - index + 1) {
                let candidate = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                // The second byte first: a common first byte (`'` of `'epoch'`) spares most `memcmp` calls.
                if wanted.count < 2 || base[candidate + 1] == wanted[1],
                    memcmp(base + candidate, wanted.baseAddress!, needle.count) == 0
                {
                    return true
                }
                index = candidate + 1
            }
            return false
        }
    }

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

/// Finds a literal in any ASCII letter case (Boyer-Moore-Horspool on case-folded bytes), so a
/// prefilter for a `(?i)` pattern skips most of a line instead of testing every byte.
struct CaseInsensitiveNeedle {
    private let needle: [UInt8]
    private var shifts = [Int](repeating: 0, count: 256)

    init(_ text: String) {
        needle = Array(text.lowercased().utf8)
        for byte in 0..<256 { shifts[byte] = needle.count }
        for (index, byte) in needle.dropLast().enumerated() {
            shifts[Int(byte)] = needle.count - 1 - index
            shifts[Int(Self.upper(byte))] = needle.count - 1 - index
        }
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
