import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// A metric key as a line prints it, with everything derived from it computed once.
@_spi(Layers) public final class MetricKey {
    /// The key without quotes and surrounding blanks (`val_loss`, `Test Acc`).
    @_spi(Layers) public let name: String
    let isMetric: Bool
    let metricName: MetricName
    /// The split the key states with a prefix word, nil when it states none.
    @_spi(Layers) public let statedSplit: Split?
    /// Whether the key is several spoken words (`Validation Phase Loss`), which pass their split on.
    let isSpoken: Bool

    @_spi(Layers) public init(raw: String) {
        // Quotes and spaces are ASCII, so trimming bytes trims characters; Foundation's
        // `trimmingCharacters` went through `NSString` and was a sixth of analyzing a small log.
        func isTrimmed(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: " ") }
        let utf8 = raw.utf8
        let start = utf8.firstIndex { !isTrimmed($0) } ?? utf8.endIndex
        let end = utf8[start...].lastIndex { !isTrimmed($0) }.map { utf8.index(after: $0) } ?? start
        name = String(raw[start..<end])
        isMetric = KeyValueScanner.isMetricKey(name)
        metricName = MetricName(raw: name)
        statedSplit = MetricName.statedSplit(in: name)
        isSpoken = name.contains(" ")
    }
}

/// Interns metric keys by their raw bytes: a per-step log repeats the same few keys millions of
/// times, and each lookup only hashes and compares bytes. Bounded, so a log of ever-new keys
/// cannot grow it without end (keys past the bound are made each time).
@_spi(Layers) public struct MetricKeyCache {
    @_spi(Layers) public static let capacity = 4096
    private var buckets: [UInt64: [(bytes: [UInt8], key: MetricKey)]] = [:]
    private var count = 0

    @_spi(Layers) public mutating func key(for bytes: ByteView) -> MetricKey {
        let hash = Self.hash(bytes)
        if let bucket = buckets[hash] {
            for entry in bucket where bytes.isEqual(to: entry.bytes) { return entry.key }
        }
        let key = MetricKey(raw: String(decoding: bytes))
        if count < Self.capacity {
            buckets[hash, default: []].append((Array(bytes), key))
            count += 1
        }
        return key
    }

    /// FNV-1a: short keys, no need for more.
    private static func hash(_ bytes: ByteView) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
