import ByteKernels
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
@_spi(Layers) public struct DigitShapeMemo<Value> {
    @_spi(Layers) public init() {}

    @_spi(Layers) public static var capacity: Int { 4096 }
    /// Longer subjects are rare and seldom repeat, so they are not worth the copy.
    static var maxSubjectLength: Int { 1024 }
    /// Small logs see few shapes, so the table starts small and doubles up to twice `capacity`.
    private static var initialSlotCount: Int { 64 }

    /// The table, in parallel arrays so that probing reads plain hashes (0: empty slot). The shapes
    /// live end to end in one arena, so comparing with a stored shape touches no reference count.
    private var hashes: [UInt64] = []
    private var shapeRanges: [Range<Int>] = []
    private var values: [Value?] = []
    private var arena: [UInt8] = []
    private var count = 0

    @inline(__always)
    @_spi(Layers) public mutating func value(for subject: ByteView, compute: () throws -> Value) rethrows -> Value {
        try value(for: subject.buffer, compute: compute)
    }

    mutating func value(for subject: UnsafeBufferPointer<UInt8>, compute: () throws -> Value) rethrows -> Value {
        guard subject.count <= Self.maxSubjectLength else { return try compute() }
        if hashes.isEmpty { allocate(Self.initialSlotCount) }
        // The shape is made once, on the stack, while it is hashed: comparing it with stored shapes
        // is then a `memcmp`.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxSubjectLength) { scratch in
            let shape = UnsafeBufferPointer(rebasing: scratch[..<subject.count])
            let hash = Self.shapeHash(subject, writingShapeTo: scratch)
            var slot = self.slot(for: hash)
            while hashes[slot] != 0 {
                if hashes[slot] == hash, stores(shape, at: shapeRanges[slot]) { return values[slot]! }
                slot = (slot + 1) & (hashes.count - 1)
            }
            let value = try compute()
            if count < Self.capacity {
                if 2 * (count + 1) > hashes.count {
                    grow()
                    slot = self.slot(for: hash)
                    while hashes[slot] != 0 { slot = (slot + 1) & (hashes.count - 1) }
                }
                hashes[slot] = hash
                arena.append(contentsOf: shape)
                shapeRanges[slot] = arena.count - shape.count..<arena.count
                values[slot] = value
                count += 1
            }
            return value
        }
    }

    private func slot(for hash: UInt64) -> Int { Int(truncatingIfNeeded: hash) & (hashes.count - 1) }

    private mutating func allocate(_ slotCount: Int) {
        hashes = Array(repeating: 0, count: slotCount)
        shapeRanges = Array(repeating: 0..<0, count: slotCount)
        values = Array(repeating: nil, count: slotCount)
    }

    private mutating func grow() {
        let (oldHashes, oldRanges, oldValues) = (hashes, shapeRanges, values)
        allocate(oldHashes.count * 2)
        for old in oldHashes.indices where oldHashes[old] != 0 {
            var slot = self.slot(for: oldHashes[old])
            while hashes[slot] != 0 { slot = (slot + 1) & (hashes.count - 1) }
            hashes[slot] = oldHashes[old]
            shapeRanges[slot] = oldRanges[old]
            values[slot] = oldValues[old]
        }
    }

    /// The hash of the digit shape of `bytes`, read eight bytes at a time; the shape is written to
    /// `shape` on the way. Never 0, which marks an empty slot. Two lanes of sixteen bytes, so that
    /// each multiplication waits for the one before it in its lane only; the bits are folded once,
    /// at the end.
    private static func shapeHash(_ bytes: UnsafeBufferPointer<UInt8>, writingShapeTo shape: UnsafeMutableBufferPointer<UInt8>) -> UInt64 {
        var even = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var odd: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var offset = 0
        if let base = bytes.baseAddress, let output = shape.baseAddress {
            let raw = UnsafeRawPointer(base), written = UnsafeMutableRawPointer(output)
            func word(at offset: Int) -> UInt64 {
                let word = DigitShape.zeroingDigits(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                written.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                return word
            }
            // Sixteen bytes shaped at once, with the words `word(at:)` would give.
            let zero = SIMD16<UInt8>(repeating: 0x30), ten = SIMD16<UInt8>(repeating: 10)
            while offset + 16 <= bytes.count {
                let chunk = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                let shaped = chunk.replacing(with: zero, where: chunk &- zero .< ten)
                written.storeBytes(of: shaped, toByteOffset: offset, as: SIMD16<UInt8>.self)
                let words = unsafeBitCast(shaped, to: SIMD2<UInt64>.self)
                even = (even ^ words[0]) &* 0xFF51_AFD7_ED55_8CCD
                odd = (odd ^ words[1]) &* 0xC4CE_B9FE_1A85_EC53
                offset += 16
            }
            if offset + 8 <= bytes.count {
                even = (even ^ word(at: offset)) &* 0xFF51_AFD7_ED55_8CCD
                offset += 8
            }
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            shape[offset] = DigitShape.zeroingDigit(bytes[offset])
            tail = tail << 8 | UInt64(shape[offset])
            offset += 1
        }
        return mix(mix(even, odd), tail) | 1
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return mixed ^ (mixed >> 32)
    }

    /// Whether the arena holds `shape` at `range`.
    private func stores(_ shape: UnsafeBufferPointer<UInt8>, at range: Range<Int>) -> Bool {
        guard shape.count == range.count else { return false }
        guard !shape.isEmpty, let base = shape.baseAddress else { return true }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, base, shape.count) == 0 }
    }
}

/// The digit shape of bytes: the bytes with every ASCII digit replaced by `0`.
@_spi(Layers) public enum DigitShape {
    /// Whether two subjects have the same digit shape, sixteen bytes at a time.
    @inline(__always)
    @_spi(Layers) public static func equal(_ lhs: ByteView, _ rhs: ByteView) -> Bool {
        equal(lhs.buffer, rhs.buffer)
    }

    static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        let leftRaw = UnsafeRawPointer(left), rightRaw = UnsafeRawPointer(right)
        var offset = 0
        let zero = SIMD16<UInt8>(repeating: 0x30), ten = SIMD16<UInt8>(repeating: 10)
        while offset + 16 <= lhs.count {
            let a = leftRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            let b = rightRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            guard allLanes((a .== b) .| (a &- zero .< ten .& b &- zero .< ten)) else { return false }
            offset += 16
        }
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

    /// The first index `i` in `start..<end` where `bytes[i]` and `bytes[i - shift]` differ in shape
    /// (`end` when none does): where a run of redraws `shift` bytes apart stops repeating its shape.
    /// Every byte of a long progress-bar line goes through here: with AVX2 it compares 32 bytes per
    /// instruction, more than twice as fast as the 16 of the x86-64 baseline.
    static func firstDifference(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, shift: Int) -> Int {
        guard hasAVX2 else { return firstDifferenceInBaselineVectors(bytes, from: start, to: end, shift: shift) }
        return Int(losslens_first_shape_difference_avx2(bytes, start, end, shift))
    }

    private static let hasAVX2 = losslens_has_avx2() != 0

    /// `firstDifference` in 16-byte vectors, which every CPU has.
    static func firstDifferenceInBaselineVectors(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, shift: Int) -> Int {
        let raw = UnsafeRawPointer(bytes)
        var index = start
        // Without a branch per byte or word: the bytes that hold digits differ from the redraw
        // before at places no branch predictor learns. Only a difference in shape ends the loop.
        @inline(__always) func sameShape(_ offset: Int) -> SIMDMask<SIMD16<Int8>> {
            let a = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            let b = raw.loadUnaligned(fromByteOffset: offset &- shift, as: SIMD16<UInt8>.self)
            let digits = SIMD16<UInt8>(repeating: 0x30), ten = SIMD16<UInt8>(repeating: 10)
            return (a .== b) .| ((a &- digits) .< ten .& (b &- digits) .< ten)
        }
        while index &+ 32 <= end {
            guard allLanes(sameShape(index) .& sameShape(index &+ 16)) else { break }
            index &+= 32
        }
        while index < end {
            let a = bytes[index], b = bytes[index &- shift]
            if a != b, !(a &- 0x30 < 10 && b &- 0x30 < 10) { return index }
            index &+= 1
        }
        return end
    }

    /// Whether every lane of `mask` is set. The standard library's `all(_:)` is a call to a generic
    /// reduction for every vector (it is not inlined): with it, comparing redraws ran at less than
    /// half this speed.
    @inline(__always)
    static func allLanes(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] & words[1] == .max
    }

    @inline(__always)
    static func zeroingDigit(_ byte: UInt8) -> UInt8 { byte &- 0x30 < 10 ? 0x30 : byte }

    /// `word` with each ASCII digit byte replaced by `0` (0x30), without a branch per byte.
    @inline(__always)
    static func zeroingDigits(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, highs: UInt64 = 0x8080_8080_8080_8080
        let offsets = word ^ 0x3030_3030_3030_3030
        // A byte's high bit ends up set when its offset from `0` is below 10 (and it is ASCII).
        let isDigit = ~(((offsets & lows) &+ 0x7676_7676_7676_7676) | offsets) & highs
        let digitBytes = (isDigit >> 7) &* 0xFF
        return word &- (offsets & digitBytes)
    }
}
