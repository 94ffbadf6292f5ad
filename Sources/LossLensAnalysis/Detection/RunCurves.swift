@_spi(Layers) import LossLensModel

/// The curves of a run that the detectors share: loss and accuracy on the training data and on
/// held-out data (the validation split, or a per-epoch `test` split when the run has no validation
/// split), at the granularity the run can be judged on, with what the run trains.
///
/// A run of five or more epochs is judged per epoch. A shorter one (a 1–3 epoch fine-tune, an
/// iteration log without epochs) is judged on its logged steps and evaluations when it has enough
/// of them: its epochs are too few to show a trend, its steps are not.
public struct RunCurves: Sendable {
    /// Below this many points a curve's shape is not judged (the `too-short` rule says so instead).
    public static let minimumEpochs = 5
    /// A short run is judged on steps when its training loss has this many logged steps…
    public static let minimumTrainSteps = 10
    /// …or its held-out loss this many evaluations.
    public static let minimumEvaluations = 5
    /// Step series longer than this are judged in buckets of `stepsPerBucket` (each the median of its
    /// steps, at most `maximumBuckets` of them): a single batch's loss is noise that an epoch mean
    /// would have averaged away. Shorter ones are kept: a log that prints every 100 steps prints means.
    public static let bucketingFrom = 50
    public static let stepsPerBucket = 10
    public static let maximumBuckets = 100

    public let run: Run
    public let task: TaskProfile
    /// What the shape rules judge: epochs, or (for short runs) logged steps and evaluations.
    public let granularity: Granularity
    public let trainLoss: MetricCurve?
    public let heldOutLoss: MetricCurve?
    public let trainAccuracy: MetricCurve?
    public let heldOutAccuracy: MetricCurve?
    /// Every loss of both splits, components included (a detector's box, cls and dfl losses; a GAN's
    /// two players), for the rules that look for instability in any of them.
    public let allLosses: [MetricCurve]

    public init(_ run: Run, task: TaskProfile? = nil) {
        self.run = run
        let task = task ?? TaskInference.profile(of: run)
        self.task = task
        let heldOutSplit: Split = run.series.contains { $0.split == .validation && ($0.kind == .loss || $0.kind == .accuracy) }
            ? .validation : .test
        let stepLevel = run.epochCount < Self.minimumEpochs && Self.hasEnoughSteps(run, heldOut: heldOutSplit)
        let level: Granularity = stepLevel ? .step : .epoch
        granularity = level
        let pick = { (kind: MetricKind, split: Split) -> MetricSeries? in
            stepLevel ? Self.stepSeries(run, kind, split).map(Self.bucketed) : run.series(kind, split)
        }
        trainLoss = MetricCurve(pick(.loss, .train))
        trainAccuracy = MetricCurve(pick(.accuracy, .train))
        heldOutLoss = MetricCurve(pick(.loss, heldOutSplit))
        heldOutAccuracy = MetricCurve(pick(.accuracy, heldOutSplit))
        let primary = [trainLoss, heldOutLoss].compactMap { $0 }
        switch task.kind {
        case .detection, .segmentation, .gan:
            let primaryNames = Set(primary.map(\.series.name))
            // A GAN's players are often printed without a loss word (`D_A`, `G_A`, `errD`).
            let components = run.series.filter {
                ($0.kind == .loss || (task.kind == .gan && TaskInference.isAdversarialLoss($0.name.base)))
                    && ($0.split == .train || $0.split == heldOutSplit) && $0.granularity == level && !primaryNames.contains($0.name)
            }
            allLosses = primary + components.compactMap { MetricCurve(stepLevel ? Self.bucketed($0) : $0) }
        default:
            allLosses = primary
        }
    }

    /// Whether a curve is one term of a summed loss (a detector's box, cls or dfl loss), not the
    /// loss the optimizer minimizes.
    public func isComponent(_ curve: MetricCurve) -> Bool {
        (task.kind == .detection || task.kind == .segmentation) && !curve.series.name.isSumOfLosses
    }

    /// The share of its summed loss a component carries: its median level over that of the split's
    /// loss, or of the sum of the split's components where the log prints no sum. 1 for a curve that
    /// is not a component.
    public func shareOfSummedLoss(_ curve: MetricCurve) -> Double {
        guard isComponent(curve), let level = SeriesStatistics.median(curve.values) else { return 1 }
        let split = curve.series.split
        let sum: Double?
        if let total = losses.first(where: { $0.series.split == split }), !isComponent(total) {
            sum = SeriesStatistics.median(total.values)
        } else {
            let terms = allLosses.filter { $0.series.split == split && $0.series.granularity == curve.series.granularity && isComponent($0) }
            sum = terms.compactMap { SeriesStatistics.median($0.values) }.reduce(0, +)
        }
        guard let sum, sum > 0, level >= 0 else { return 1 }
        return level / sum
    }

    /// The run's scores (mAP, F1, IoU, Dice, BLEU …: `TaskInference.scoreNames`) at `granularity`
    /// (the one the run is judged on by default), of one split or of all when `split` is nil.
    public func scoreSeries(of split: Split? = nil, granularity: Granularity? = nil) -> [MetricSeries] {
        let level = granularity ?? self.granularity
        return run.series.filter {
            $0.granularity == level && (split == nil || $0.split == split) && TaskInference.isScore($0.name)
        }
    }

    /// Whether the run is long enough for shape-based rules.
    public var isJudgeable: Bool { granularity == .step || run.epochCount >= Self.minimumEpochs }

    /// The curves of losses whose shape means something for this task (not a GAN's players).
    public var losses: [MetricCurve] { [trainLoss, heldOutLoss].compactMap { $0 } }
    public var accuracies: [MetricCurve] { [trainAccuracy, heldOutAccuracy].compactMap { $0 } }

    /// Loss and accuracy of the same split, held-out first.
    public var splitPairs: [(loss: MetricCurve?, accuracy: MetricCurve?)] {
        [(heldOutLoss, heldOutAccuracy), (trainLoss, trainAccuracy)].filter { $0.0 != nil || $0.1 != nil }
    }

    /// "epochs" or "logged steps": what a finding's numbers count.
    public var unitPlural: String { granularity == .epoch ? "epochs" : "logged steps" }

    static func hasEnoughSteps(_ run: Run, heldOut: Split) -> Bool {
        let train = stepSeries(run, .loss, .train).map { $0.points.filter { $0.value.isFinite }.count } ?? 0
        let evaluations = stepSeries(run, .loss, heldOut).map { $0.points.filter { $0.value.isFinite }.count } ?? 0
        return train >= minimumTrainSteps || evaluations >= minimumEvaluations
    }

    /// The step-level series of a kind and split, the plain name (`loss`) first.
    static func stepSeries(_ run: Run, _ kind: MetricKind, _ split: Split) -> MetricSeries? {
        Run.preferred(run.series.filter { $0.kind == kind && $0.split == split && $0.granularity == .step && !$0.points.isEmpty }, kind: kind)
    }

    /// A long step series in buckets, each the logged point whose value is its bucket's median (so
    /// value, step and line still name one line of the log); a short one as it is.
    static func bucketed(_ series: MetricSeries) -> MetricSeries {
        let points = series.points.filter { $0.value.isFinite }
        guard points.count > bucketingFrom else { return series }
        let buckets = min(maximumBuckets, points.count / stepsPerBucket)
        var kept: [MetricPoint] = []
        kept.reserveCapacity(buckets)
        for bucket in 0..<buckets {
            let slice = points[(bucket * points.count / buckets)..<((bucket + 1) * points.count / buckets)]
            let ordered = slice.sorted { $0.value < $1.value }
            kept.append(ordered[(ordered.count - 1) / 2])
        }
        return MetricSeries(name: series.name, granularity: .step, points: kept)
    }
}
