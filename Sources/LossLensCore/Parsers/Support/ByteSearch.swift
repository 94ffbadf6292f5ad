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
                if memcmp(base + candidate, wanted.baseAddress!, needle.count) == 0 { return true }
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

    /// Whether `needle` (lower-case ASCII) occurs in any ASCII letter case.
    func contains(caseInsensitive needle: [UInt8]) -> Bool {
        guard let first = needle.first, count >= needle.count else { return needle.isEmpty }
        let last = count - needle.count
        var index = 0
        while index <= last {
            if self[index] | 0x20 == first {
                var offset = 1
                while offset < needle.count, Self.lowered(self[index + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    @inline(__always)
    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
