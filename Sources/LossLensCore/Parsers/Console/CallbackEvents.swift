import Foundation
import PCRE2

/// Lines printed by training callbacks. They often start with `Epoch N:` but are not epochs, so
/// they are recognized before any dialect pattern and kept as events of the run.
struct CallbackEvents {
    private let rules: [(kind: RunEvent.Kind, matcher: Matcher, epochGroup: Int?)]

    /// Compiled once per process and shared; each `CallbackEvents` makes its own matchers.
    /// These patterns are fixed and valid; a failure here is a programming error.
    private static let patterns: [(kind: RunEvent.Kind, pattern: Pattern)] = ([
        (.earlyStopping, #"(?i)\bEpoch\s+(?<epoch>\d+):?\s+early stopping"#),
        (.earlyStopping, #"(?i)\bearly stopping (?:triggered|at epoch)"#),
        (.learningRateReduced, #"(?:Epoch\s+(?<epoch>\d+):\s*)?ReduceLROnPlateau reducing learning rate"#),
        (.restoredWeights, #"Restoring model weights from the end of the best epoch"#),
        (.checkpoint, #"\bEpoch\s+(?<epoch>\d+):\s+\S+\s+(?:did not improve|improved) from"#),
        (.checkpoint, #"\bEpoch\s+(?<epoch>\d+):\s+saving model to"#),
    ] as [(RunEvent.Kind, String)]).map { ($0.0, try! Pattern($0.1)) }

    init() {
        rules = Self.patterns.map { ($0.kind, $0.pattern.makeMatcher(), $0.pattern.groupNumbers["epoch"]) }
    }

    /// Texts one of which every callback line holds (the first two rules ignore case): lines
    /// without any are not matched at all.
    private let caseInsensitiveTexts = [CaseInsensitiveNeedle("early stopping")]
    private let texts = ["ReduceLROnPlateau", "Restoring model weights", "improve", "saving model to"].map(ByteNeedle.init)

    func event(in bytes: UnsafeBufferPointer<UInt8>, line: Int) -> RunEvent? {
        guard texts.contains(where: { $0.occurs(in: bytes) })
            || caseInsensitiveTexts.contains(where: { $0.occurs(in: bytes) })
        else { return nil }
        for rule in rules {
            guard let epochRange = try? rule.matcher.withFirstMatch(in: bytes, { match in rule.epochGroup.flatMap { match[$0] } })
            else { continue }
            let epoch = epochRange.flatMap { DecimalBytes.integer(UnsafeBufferPointer(rebasing: bytes[$0])) }
            return RunEvent(kind: rule.kind, text: String(decoding: bytes, as: UTF8.self), line: line, epoch: epoch)
        }
        return nil
    }
}
