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
struct DigitShapeMemo<Value> {
    static var capacity: Int { 4096 }
    /// Longer subjects are rare and seldom repeat, so they are not worth the copy.
    static var maxSubjectLength: Int { 1024 }

    private var table: [DigitShape: Value] = [:]
    private var scratch: [UInt8] = []

    mutating func value(for subject: UnsafeBufferPointer<UInt8>, compute: () throws -> Value) rethrows -> Value {
        guard subject.count <= Self.maxSubjectLength else { return try compute() }
        scratch.removeAll(keepingCapacity: true)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in subject {
            let shaped = byte &- 0x30 < 10 ? 0x30 : byte
            scratch.append(shaped)
            hash = (hash ^ UInt64(shaped)) &* 0x100_0000_01b3
        }
        let shape = DigitShape(bytes: scratch, hash: hash)
        if let known = table[shape] { return known }
        let value = try compute()
        if table.count < Self.capacity { table[shape] = value }
        return value
    }
}

private struct DigitShape: Hashable {
    let bytes: [UInt8]
    let hash: UInt64

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (lhs: DigitShape, rhs: DigitShape) -> Bool {
        guard lhs.hash == rhs.hash, lhs.bytes.count == rhs.bytes.count else { return false }
        if lhs.bytes.isEmpty { return true }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
    }
}
