@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// The epoch-level curves of a run that the detectors share: loss and accuracy on the training
/// data and on held-out data (the validation split, or a per-epoch `test` split when the run has
/// no validation split).
public struct RunCurves: Sendable {
    /// Below this many epochs a curve's shape is not judged (the `too-short` rule says so instead).
    public static let minimumEpochs = 5

    public let run: Run
    public let trainLoss: MetricCurve?
    public let heldOutLoss: MetricCurve?
    public let trainAccuracy: MetricCurve?
    public let heldOutAccuracy: MetricCurve?

    public init(_ run: Run) {
        self.run = run
        trainLoss = MetricCurve(run.series(.loss, .train))
        trainAccuracy = MetricCurve(run.series(.accuracy, .train))
        let heldOutSplit: Split = run.series(.loss, .validation) != nil || run.series(.accuracy, .validation) != nil
            ? .validation : .test
        heldOutLoss = MetricCurve(run.series(.loss, heldOutSplit))
        heldOutAccuracy = MetricCurve(run.series(.accuracy, heldOutSplit))
    }

    /// Whether the run is long enough for shape-based rules.
    public var isJudgeable: Bool { run.epochCount >= Self.minimumEpochs }

    public var losses: [MetricCurve] { [trainLoss, heldOutLoss].compactMap { $0 } }
    public var accuracies: [MetricCurve] { [trainAccuracy, heldOutAccuracy].compactMap { $0 } }

    /// Loss and accuracy of the same split, held-out first.
    public var splitPairs: [(loss: MetricCurve?, accuracy: MetricCurve?)] {
        [(heldOutLoss, heldOutAccuracy), (trainLoss, trainAccuracy)].filter { $0.0 != nil || $0.1 != nil }
    }
}
