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

    public init() {
        // Compiled once per scanner; both patterns are fixed and known to be valid.
        separated = try! Pattern(KeyValueScanner.key + #"\s*[:=]\s*"# + KeyValueScanner.value).makeMatcher()
        spaced = try! Pattern(#"(?:^|\|)\s*(?<key>[A-Za-z][\w./-]*)\s+"# + KeyValueScanner.value + #"\s*(?=\||$)"#)
            .makeMatcher()
    }

    public func pairs(in text: String) -> [(name: String, value: Double)] {
        var copy = text
        return copy.withUTF8 { bytes in
            var found = extract(separated, bytes)
            if found.isEmpty { found = extract(spaced, bytes) }
            return found
        }
    }

    private func extract(_ matcher: Matcher, _ bytes: UnsafeBufferPointer<UInt8>) -> [(name: String, value: Double)] {
        guard let matches = try? matcher.allMatches(in: bytes) else { return [] }
        return matches.compactMap { match in
            guard let key = match.string(named: "key", in: bytes), let raw = match.string(named: "value", in: bytes),
                let value = NumberParsing.value(raw)
            else { return nil }
            let name = key.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
            return KeyValueScanner.isMetricKey(name) ? (name, value) : nil
        }
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
        for marker in ["runtime", "per_second", "_flos", "total_flos", "it/s", "s/it", "samples_per", "steps_per", "time"]
        where lower.contains(marker) {
            return false
        }
        return true
    }
}

import Foundation
