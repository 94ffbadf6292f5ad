@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Finds `name: value` / `name=value` / `'name': 'value'` pairs in the metric part of a line, and
/// `name value` pairs between `|` separators when a line has no `:` or `=` pairs.
///
/// Keys that describe position or timing rather than a metric (epoch, step, ETA, it/s, runtime)
/// are left out: they are not curves to analyze.
public final class KeyValueScanner {
    private let separated: Matcher
    private let spaced: Matcher

    /// A key is up to four words; a number may be one of them (`top 1 acc`) unless it is a position
    /// (`step 10 loss: ...` names the loss, not a `step_10_loss`).
    private static let key = #"(?<![\w'"])(?<key>'[^']{1,80}'|"[^"]{1,80}"|[A-Za-z][\w./@()-]*(?:[ ](?:[A-Za-z][\w./@()-]*|"#
        + #"(?<!step |epoch |iter |batch |Step |Epoch |Iter |Batch |STEP |EPOCH )\d+(?![\d.]))){0,3})"#
    private static let number =
        #"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?(?:\s*\(\s*[\d.]+%\s*\))?"#
    private static let value =
        #"(?<value>'[^']{0,40}'|"[^"]{0,40}"|\[\s*[-+\d.eE]+\s*\]|\d+/\d+\s*\(\s*[\d.]+%\s*\)|"#
        + number + #"|[-+]?(?i:nan|inf(?:inity)?)(?![\w]))(?![\w.]|/\d)"#

    /// Compiled (and JIT-compiled) once per process: compiling is far dearer than a small log, and
    /// the compiled code is shared by the matchers of all threads. Both patterns are fixed and valid.
    private static let separatedPattern = try! Pattern(key + #"\s*[:=]\s*"# + value)
    private static let spacedPattern = try! Pattern(#"(?:^|\|)\s*(?<key>[A-Za-z][\w./-]*)\s+"# + value + #"\s*(?=\||$)"#)

    public init() {
        separated = KeyValueScanner.separatedPattern.makeMatcher()
        spaced = KeyValueScanner.spacedPattern.makeMatcher()
        keyGroup = (separated.pattern.groupNumbers["key"]!, spaced.pattern.groupNumbers["key"]!)
        valueGroup = (separated.pattern.groupNumbers["value"]!, spaced.pattern.groupNumbers["value"]!)
    }

    private let keyGroup: (separated: Int, spaced: Int)
    private let valueGroup: (separated: Int, spaced: Int)
    private var keys = MetricKeyCache()

    public func pairs(in text: String) -> [(name: String, value: Double)] {
        var found: [(name: String, value: Double)] = []
        text.withByteView { bytes in forEachPair(in: bytes) { key, value, _ in found.append((key.name, value)) } }
        return found
    }

    /// Calls `body` with each metric pair of `bytes` (and where its value is in `bytes`). Keys come
    /// from a cache of the raw key bytes, so a line whose names were seen before allocates no string.
    ///
    /// `remembered` holds what the patterns found in chunks of the same digit shape, when the caller
    /// knows it (a line whose shape `DialectReader` has seen); it is filled in as needed.
    func forEachPair(
        in bytes: ByteView, remembered: RememberedPairs? = nil, _ body: (MetricKey, Double, Range<Int>) -> Void
    ) {
        let separatedPairs = remembered?.separated ?? separatedMemo.value(for: bytes) {
            Self.pairRanges(separated, keyGroup.separated, valueGroup.separated, bytes)
        }
        remembered?.separated = separatedPairs
        if extract(separatedPairs, bytes, remembered?.separatedKeys, body) == 0 {
            let spacedPairs = remembered?.spaced ?? spacedMemo.value(for: bytes) {
                Self.pairRanges(spaced, keyGroup.spaced, valueGroup.spaced, bytes)
            }
            remembered?.spaced = spacedPairs
            _ = extract(spacedPairs, bytes, remembered?.spacedKeys, body)
        }
    }

    /// The pair ranges both patterns found in chunks of one digit shape (nil: not searched yet).
    @_spi(Layers) public final class RememberedPairs {
        fileprivate var separated: [PairRanges]?
        fileprivate var spaced: [PairRanges]?
        fileprivate let separatedKeys = RememberedKeys()
        fileprivate let spacedKeys = RememberedKeys()
    }

    /// Keys by pair index. Chunks of one digit shape differ only in their digits, so a key without
    /// a digit reads the same in all of them and is looked up once.
    fileprivate final class RememberedKeys {
        private var keys: [MetricKey?] = []

        @_spi(Layers) public func key(at index: Int) -> MetricKey? { index < keys.count ? keys[index] : nil }

        func remember(_ key: MetricKey, at index: Int, bytes: ByteView) {
            guard !bytes.contains(where: { $0 &- 0x30 < 10 }) else { return }
            if keys.count <= index { keys.append(contentsOf: repeatElement(nil, count: index + 1 - keys.count)) }
            keys[index] = key
        }
    }

    /// Both patterns hold no literal digit, so their matches depend on a line's digit shape only
    /// (see `DigitShapeMemo`): a per-step log's lines are searched once per shape.
    private var separatedMemo = DigitShapeMemo<[PairRanges]>()
    private var spacedMemo = DigitShapeMemo<[PairRanges]>()

    fileprivate typealias PairRanges = (key: Range<Int>?, value: Range<Int>?)

    /// The key and value ranges of every match, up to a match-limit failure (which ends the search
    /// as a no-match would: the pairs found before it still count).
    private static func pairRanges(
        _ matcher: Matcher, _ keyIndex: Int, _ valueIndex: Int, _ bytes: ByteView
    ) -> [PairRanges] {
        var found: [PairRanges] = []
        try? matcher.forEachMatch(in: bytes) { match in found.append((match[keyIndex], match[valueIndex])) }
        return found
    }

    /// The number of metric pairs found.
    private func extract(
        _ pairs: [PairRanges], _ bytes: ByteView, _ remembered: RememberedKeys?,
        _ body: (MetricKey, Double, Range<Int>) -> Void
    ) -> Int {
        var matched = 0
        for (index, pair) in pairs.enumerated() {
            guard let keyRange = pair.key, let valueRange = pair.value else { continue }
            let key: MetricKey
            if let known = remembered?.key(at: index) {
                key = known
            } else {
                let keyBytes = bytes[keyRange]
                key = keys.key(for: keyBytes)
                remembered?.remember(key, at: index, bytes: keyBytes)
            }
            // The key first: positions (`'epoch': 0.25`) are not worth parsing.
            guard key.isMetric, let value = NumberParsing.value(bytes[valueRange]) else {
                continue
            }
            matched += 1
            body(key, value, valueRange)
        }
        return matched
    }

    private static let positionWords: Set<String> = [
        "epoch", "epochs", "step", "steps", "iter", "iteration", "iterations", "batch", "batches", "eta", "time",
        "it", "s", "v", "num", "elapsed", "remaining", "samples", "sample",
    ]
    /// Words that may accompany a position word without making the key a metric ("Train Epoch", "global_step").
    private static let fillerWords: Set<String> = [
        "train", "training", "val", "valid", "validation", "test", "eval", "global", "total", "current", "cur", "num",
    ]

    static func isMetricKey(_ name: String) -> Bool {
        let lower = name.lowercased()
        let words = MetricName.words(of: name)
        if words.contains(where: positionWords.contains),
            words.allSatisfy({ positionWords.contains($0) || fillerWords.contains($0) })
        {
            return false
        }
        // Searched as bytes: Foundation's `contains` goes through `NSString`, once per key and marker.
        return lower.withByteView { bytes in !nonMetricMarkers.contains { $0.occurs(in: bytes) } }
    }

    /// Keys holding one of these time or throughput, not a metric.
    private static let nonMetricMarkers = ["runtime", "per_second", "_flos", "total_flos", "it/s", "s/it", "samples_per", "steps_per", "time"]
        .map(ByteNeedle.init)
}

import Foundation
