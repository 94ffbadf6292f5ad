@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// The EarlyStopping replay of a run as a sentence and a table.
@_spi(Layers) public enum EarlyStoppingTable {
    @_spi(Layers) public static func render(_ replay: EarlyStoppingReplay, run: Run) -> [String] {
        let monitor = "`\(Markdown.code(replay.monitor))`"
        var lines: [String] = []
        if let bestEpoch = replay.bestEpoch, let bestValue = replay.bestValue {
            lines.append("Best \(monitor): \(ValueFormat.number(bestValue)) at epoch \(bestEpoch) of \(run.epochCount). "
                + "`EarlyStopping(monitor=\"\(Markdown.code(replay.monitor))\", patience=k)` would have stopped:")
        }
        lines += ["", "| Patience | Stops after epoch | Epochs saved |", "| ---: | ---: | ---: |"]
        for outcome in replay.outcomes {
            lines.append("| \(outcome.patience) | \(outcome.stopEpoch.map(String.init) ?? "not before the end") | \(outcome.epochsSaved) |")
        }
        let early = replay.outcomes.filter(\.stopsBeforeBest)
        if let first = early.first, let stop = first.stopEpoch, let bestEpoch = replay.bestEpoch, let bestValue = replay.bestValue {
            let patiences = early.map { String($0.patience) }.joined(separator: ", ")
            lines += ["", "With patience \(patiences) the stop comes before the best epoch \(bestEpoch): the run would have ended at epoch \(stop)"
                + (first.valueAtStop.map { " with \(monitor) at \(ValueFormat.number($0))" } ?? "")
                + ", worse than the \(ValueFormat.number(bestValue)) it reached later — `restore_best_weights` cannot restore weights it never saw; a larger patience keeps training through the plateau."]
        }
        if run.events.contains(where: { $0.kind == .earlyStopping }) {
            lines += ["", "The run already used early stopping (see the events below)."]
        }
        return lines
    }
}
