import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Lines printed by training callbacks. They often start with `Epoch N:` but are not epochs, so
/// they are recognized before any dialect pattern and kept as events of the run.
///
/// A class: its matchers keep per-search state anyway, and a reader made lazily hands out one
/// reference per line instead of copying three arrays.
@_spi(Layers) public final class CallbackEvents {
    private let rules: [(kind: RunEvent.Kind, matcher: Matcher, epochGroup: Int?)]

    /// Compiled once per process and shared; each `CallbackEvents` makes its own matchers.
    /// These patterns are fixed and valid; a failure here is a programming error.
    private static let sources: [(kind: RunEvent.Kind, source: String)] = [
        (.earlyStopping, #"(?i)\bEpoch\s+(?<epoch>\d+):?\s+early stopping"#),
        (.earlyStopping, #"(?i)\bearly stopping (?:triggered|at epoch)"#),
        (.learningRateReduced, #"(?:Epoch\s+(?<epoch>\d+):\s*)?ReduceLROnPlateau reducing learning rate"#),
        (.restoredWeights, #"Restoring model weights from the end of the best epoch"#),
        (.checkpoint, #"\bEpoch\s+(?<epoch>\d+):\s+\S+\s+(?:did not improve|improved) from"#),
        (.checkpoint, #"\bEpoch\s+(?<epoch>\d+):\s+saving model to"#),
    ]
    private static let patterns = sources.map { (kind: $0.kind, pattern: try! Pattern($0.source)) }
    private static let caseInsensitiveTextList = ["early stopping"]
    private static let textList = ["ReduceLROnPlateau", "Restoring model weights", "improve", "saving model to"]

    /// Whether a line is a callback line depends only on its digit shape (no pattern or text
    /// tells one digit from another), so lines of a shape known to hold none need not be searched.
    static let dependOnDigitShapeOnly = sources.allSatisfy { DigitBlindness.holds(for: $0.source) }
        && (textList + caseInsensitiveTextList).allSatisfy { !$0.utf8.contains { $0 &- 0x30 < 10 } }

    @_spi(Layers) public init() {
        rules = Self.patterns.map { ($0.kind, $0.pattern.makeMatcher(), $0.pattern.groupNumbers["epoch"]) }
    }

    /// Texts one of which every callback line holds (the first two rules ignore case): lines
    /// without any are not matched at all.
    private let caseInsensitiveTexts = caseInsensitiveTextList.map(CaseInsensitiveNeedle.init)
    private let texts = textList.map(ByteNeedle.init)

    @_spi(Layers) public func event(in bytes: ByteView, line: Int) -> RunEvent? {
        guard texts.contains(where: { $0.occurs(in: bytes) })
            || caseInsensitiveTexts.contains(where: { $0.occurs(in: bytes) })
        else { return nil }
        for rule in rules {
            guard let epochRange = try? rule.matcher.withFirstMatch(in: bytes, { match in rule.epochGroup.flatMap { match[$0] } })
            else { continue }
            let epoch = epochRange.flatMap { DecimalBytes.integer(bytes[$0]) }
            return RunEvent(kind: rule.kind, text: String(decoding: bytes), line: line, epoch: epoch)
        }
        return nil
    }
}
