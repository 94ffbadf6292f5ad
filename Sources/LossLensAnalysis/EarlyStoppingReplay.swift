@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// Where `EarlyStopping(monitor="val_loss", patience=k)` would have stopped this run.
///
/// Keras semantics (mode "min", min_delta 0, no baseline, start_from_epoch 0): after each epoch that
/// reports the monitored value, the wait counter goes up by one; a value strictly below the best so far
/// (NaN never is) becomes the new best and resets the wait; otherwise training stops once the wait
/// reaches the patience. Epochs without a validation value do not count, as in Keras.
public struct EarlyStoppingReplay: Sendable, Equatable {
    public struct Outcome: Sendable, Equatable {
        public var patience: Int
        /// The epoch after which training would have stopped; nil when it would have run to the end.
        public var stopEpoch: Int?
        /// Epochs the run trained after `stopEpoch` (0 when it would not have stopped).
        public var epochsSaved: Int
        /// The stop comes before the run's best epoch: early stopping would have kept a model worse
        /// than the best this run reached (restoring the best weights cannot help: it never saw them).
        public var stopsBeforeBest: Bool
        /// The monitored value at `stopEpoch`: what a run without `restore_best_weights` keeps.
        public var valueAtStop: Double?
    }

    public static let defaultPatiences = [3, 5, 10]

    /// The key of the monitored series (`val_loss`).
    public var monitor: String
    /// The epoch of the lowest finite value (the first, if it repeats); nil when no value is finite.
    public var bestEpoch: Int?
    public var bestValue: Double?
    public var outcomes: [Outcome]

    /// Nil when the run has no epoch-level validation loss with at least one finite, epoch-numbered
    /// value (a loss that is never finite never improves: there is nothing to replay).
    public init?(run: Run, patiences: [Int] = EarlyStoppingReplay.defaultPatiences) {
        guard let series = run.series(.loss, .validation) else { return nil }
        let points = series.points.compactMap { point in point.epoch.map { (epoch: $0, value: point.value) } }
        guard points.contains(where: { $0.value.isFinite }) else { return nil }
        monitor = series.key
        let lastEpoch = max(run.epochCount, points.last!.epoch)

        var best = Double.infinity
        bestEpoch = nil
        for point in points where point.value < best {
            best = point.value
            bestEpoch = point.epoch
        }
        bestValue = bestEpoch == nil ? nil : best

        let bestFiniteEpoch = bestEpoch
        outcomes = patiences.map { patience in
            let stop = Self.stopEpoch(points, patience: patience)
            let bestEpoch = bestFiniteEpoch
            return Outcome(patience: patience, stopEpoch: stop, epochsSaved: stop.map { max(0, lastEpoch - $0) } ?? 0,
                           stopsBeforeBest: stop.map { stop in bestEpoch.map { stop < $0 } ?? false } ?? false,
                           valueAtStop: stop.flatMap { stop in points.last { $0.epoch == stop }?.value })
        }
    }

    @_spi(Layers) public static func stopEpoch(_ points: [(epoch: Int, value: Double)], patience: Int) -> Int? {
        var best = Double.infinity
        var wait = 0
        for point in points {
            wait += 1
            if point.value < best {
                best = point.value
                wait = 0
                continue
            }
            // Keras never stops after its very first epoch (`epoch > 0`, 0-based).
            if wait >= patience && point.epoch > 1 { return point.epoch }
        }
        return nil
    }
}
