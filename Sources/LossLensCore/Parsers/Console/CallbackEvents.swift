import PCRE2

/// Lines printed by training callbacks. They often start with `Epoch N:` but are not epochs, so
/// they are recognized before any dialect pattern and kept as events of the run.
struct CallbackEvents {
    private let rules: [(kind: RunEvent.Kind, matcher: Matcher)]

    init() {
        let sources: [(RunEvent.Kind, String)] = [
            (.earlyStopping, #"(?i)\bEpoch\s+(?<epoch>\d+):?\s+early stopping"#),
            (.earlyStopping, #"(?i)\bearly stopping (?:triggered|at epoch)"#),
            (.learningRateReduced, #"(?:Epoch\s+(?<epoch>\d+):\s*)?ReduceLROnPlateau reducing learning rate"#),
            (.restoredWeights, #"Restoring model weights from the end of the best epoch"#),
            (.checkpoint, #"\bEpoch\s+(?<epoch>\d+):\s+\S+\s+(?:did not improve|improved) from"#),
            (.checkpoint, #"\bEpoch\s+(?<epoch>\d+):\s+saving model to"#),
        ]
        // These patterns are fixed and valid; a failure here is a programming error.
        rules = sources.map { ($0.0, try! Pattern($0.1).makeMatcher()) }
    }

    func event(in text: String, line: Int) -> RunEvent? {
        for rule in rules {
            guard let match = try? rule.matcher.firstMatch(in: text) else { continue }
            let epoch = match.string(named: "epoch", in: text).flatMap { Int($0) }
            return RunEvent(kind: rule.kind, text: text, line: line, epoch: epoch)
        }
        return nil
    }
}
