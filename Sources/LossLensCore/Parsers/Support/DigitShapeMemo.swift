import Foundation

/// Remembers what a fixed pattern found in a subject, keyed by the subject's *digit shape*: the
/// bytes with every ASCII digit replaced by `0`.
///
/// A per-step log prints the same line millions of times with only its numbers changed. A pattern
/// without literal digits (only `\d`, `\w`, classes, quantifiers) cannot tell one digit from
/// another, so two subjects of the same shape give the same match ranges; the caller still reads
/// the values from the real bytes. This turns most PCRE2 searches into one hash lookup.
///
/// Only sound for patterns whose outcome depends on nothing but the subject's bytes and in which
/// no digit appears literally. Bounded: past `capacity` shapes (or for long subjects) the caller's
/// `compute` runs every time, so a log of ever-new shapes cannot grow it without end.
///
/// An open-addressing table of its own rather than a `Dictionary`: the lookup is on the hot path
/// of every line, and the shape's own hash needs no second hashing.
struct DigitShapeMemo<Value> {
    static var capacity: Int { 4096 }
    /// Longer subjects are rare and seldom repeat, so they are not worth the copy.
    static var maxSubjectLength: Int { 1024 }
    /// Small logs see few shapes, so the table starts small and doubles up to twice `capacity`.
    private static var initialSlotCount: Int { 64 }

    private struct Entry {
        let hash: UInt64
        let shape: [UInt8]
        let value: Value
    }

    private var slots: [Entry?] = []
    private var count = 0
    private var scratch: [UInt8] = []

    mutating func value(for subject: UnsafeBufferPointer<UInt8>, compute: () throws -> Value) rethrows -> Value {
        guard subject.count <= Self.maxSubjectLength else { return try compute() }
        if slots.isEmpty { slots = Array(repeating: nil, count: Self.initialSlotCount) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: subject)
        let hash = scratch.withUnsafeMutableBufferPointer { Self.shapeAndHash($0) }
        var slot = self.slot(for: hash)
        while let entry = slots[slot] {
            if entry.hash == hash, Self.equal(entry.shape, scratch) { return entry.value }
            slot = (slot + 1) & (slots.count - 1)
        }
        let value = try compute()
        if count < Self.capacity {
            if 2 * (count + 1) > slots.count {
                grow()
                slot = self.slot(for: hash)
                while slots[slot] != nil { slot = (slot + 1) & (slots.count - 1) }
            }
            slots[slot] = Entry(hash: hash, shape: scratch, value: value)
            count += 1
        }
        return value
    }

    private func slot(for hash: UInt64) -> Int { Int(truncatingIfNeeded: hash) & (slots.count - 1) }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        for case let entry? in old {
            var slot = self.slot(for: entry.hash)
            while slots[slot] != nil { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = entry
        }
    }

    /// Replaces digits by `0` in place and hashes the result, eight bytes at a time.
    private static func shapeAndHash(_ bytes: UnsafeMutableBufferPointer<UInt8>) -> UInt64 {
        var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        let raw = UnsafeMutableRawBufferPointer(bytes)
        while offset + 8 <= bytes.count {
            let shaped = DigitShape.zeroingDigits(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            raw.storeBytes(of: shaped, toByteOffset: offset, as: UInt64.self)
            hash = mix(hash, shaped)
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            if bytes[offset] &- 0x30 < 10 { bytes[offset] = 0x30 }
            tail = tail << 8 | UInt64(bytes[offset])
            offset += 1
        }
        return mix(hash, tail)
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return mixed ^ (mixed >> 32)
    }

    private static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
    }
}

/// The digit shape of bytes: the bytes with every ASCII digit replaced by `0`.
enum DigitShape {
    /// Whether two subjects have the same digit shape, eight bytes at a time.
    static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        let leftRaw = UnsafeRawPointer(left), rightRaw = UnsafeRawPointer(right)
        var offset = 0
        while offset + 8 <= lhs.count {
            let a = leftRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let b = rightRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if a != b, zeroingDigits(a) != zeroingDigits(b) { return false }
            offset += 8
        }
        while offset < lhs.count {
            let a = lhs[offset], b = rhs[offset]
            if a != b, !(a &- 0x30 < 10 && b &- 0x30 < 10) { return false }
            offset += 1
        }
        return true
    }

    /// `word` with each ASCII digit byte replaced by `0` (0x30), without a branch per byte.
    static func zeroingDigits(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, highs: UInt64 = 0x8080_8080_8080_8080
        let offsets = word ^ 0x3030_3030_3030_3030
        // A byte's high bit ends up set when its offset from `0` is below 10 (and it is ASCII).
        let isDigit = ~(((offsets & lows) &+ 0x7676_7676_7676_7676) | offsets) & highs
        let digitBytes = (isDigit >> 7) &* 0xFF
        return word &- (offsets & digitBytes)
    }
}
