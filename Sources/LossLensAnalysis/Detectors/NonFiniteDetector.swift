@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `non-finite`: NaN or ±inf in a metric; names where it first appeared and what came before.
public struct NonFiniteDetector: Detector {
    public static let description = RuleDescription(
        id: "non-finite", name: "NaN or infinite values", defaultSeverity: .error,
        summary: "a loss or metric becomes NaN/±inf (first epoch/step and the growth before it)",
        isLive: true,
        whatItDetects: "A loss or metric that becomes NaN or ±inf.",
        whyItMatters: "Once a loss is NaN the weights are NaN too: every later epoch is wasted and the model is unusable.",
        howItDecides: "Fires on the first NaN/±inf in any loss series (step-level series first, because they name the exact step), "
            + "otherwise in any other metric. It reports the first non-finite epoch/step, how many values are non-finite, "
            + "and the growth over the last finite values before it (a growth of 10x or more ranks a too-high learning rate first).",
        fix: "Lower the learning rate, normalize the inputs, clip gradients and guard logs/divisions in custom losses.",
        triggeringExamples: [
            RuleExample(#"{"loss": [0.9, 3.5, 40.0, 900.0, NaN, NaN], "val_loss": [0.8, 2.9, 51.0, 1200.0, NaN, NaN]}"#, note: "The loss explodes, then turns NaN."),
            RuleExample(#"{"loss": [NaN, NaN, NaN, NaN, NaN], "accuracy": [0.10, 0.097, 0.097, 0.097, 0.097]}"#, note: "NaN from the first epoch."),
        ],
        nonTriggeringExamples: [RuleExample(#"{"loss": [0.9, 0.7, 0.5, 0.4, 0.35]}"#, note: "All values finite.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        let run = curves.run
        let lossFirst = run.series.sorted { rank($0) < rank($1) }
        guard let series = lossFirst.first(where: { $0.points.contains { !$0.value.isFinite } }),
              let firstBad = series.points.firstIndex(where: { !$0.value.isFinite }) else { return [] }
        let point = series.points[firstBad]
        let badCount = series.points.filter { !$0.value.isFinite }.count
        let kind = point.value.isNaN ? "NaN" : (point.value > 0 ? "+inf" : "-inf")
        let position = series.granularity == .step
            ? "step \(point.step.map(String.init) ?? "?")" + (point.epoch.map { " (epoch \($0))" } ?? "")
            : "epoch \(point.epoch.map(String.init) ?? "?")"
        var evidence = [Evidence(series, at: firstBad, note: "first \(kind)")]
        let before = series.points[..<firstBad].filter { $0.value.isFinite }
        let lookBack = min(before.count, series.granularity == .step ? 20 : 5)
        var growth: Double?
        if lookBack >= 1, let lastIndex = series.points[..<firstBad].lastIndex(where: { $0.value.isFinite }) {
            evidence.append(Evidence(series, at: lastIndex, note: "last finite value before it"))
            if lookBack >= 2 {
                let earlier = before[before.count - lookBack]
                let last = before[before.count - 1]
                if earlier.value > 0, last.value > 0 { growth = last.value / earlier.value }
                if let earlierIndex = series.points.firstIndex(of: earlier) {
                    evidence.insert(Evidence(series, at: earlierIndex, note: "\(lookBack - 1) values before the last finite one"), at: 1)
                }
            }
        }
        let others = run.series.filter { $0.key != series.key && $0.points.contains { !$0.value.isFinite } }.map(\.key)
        var message = "\(series.key) becomes \(kind) at \(position)"
        if let growth, growth >= 10 {
            message += " after growing \(ValueFormat.number(growth))x over the preceding values"
        } else if before.isEmpty {
            message += ", from its very first value"
        }
        message += "; \(badCount) of \(series.points.count) values are non-finite"
        if !others.isEmpty { message += " (also non-finite: \(others.joined(separator: ", ")))" }
        message += "."
        let causes = InstabilityKnowledge.nonFiniteCauses(growthBefore: growth, atStart: before.isEmpty, firstDescription: position)
        return [Finding(
            rule: Self.description.id, severity: .error, confidence: 1, metric: series.key, firstEpoch: point.epoch,
            lastEpoch: series.points.last?.epoch, message: message, evidence: evidence, causes: causes,
            fixes: fixes(growth: growth, atStart: before.isEmpty))]
    }

    /// The fixes of the most likely cause first: a runaway wants a smaller step, a sudden NaN the bad value found.
    private func fixes(growth: Double?, atStart: Bool) -> [Fix] {
        if let growth, growth >= 10 {
            return [FixLibrary.lowerLearningRate, FixLibrary.clipGradients, FixLibrary.normalizeInputs, FixLibrary.detectAnomaly]
        }
        if atStart {
            return [FixLibrary.lowerLearningRate, FixLibrary.checkForBadValues, FixLibrary.normalizeInputs, FixLibrary.detectAnomaly]
        }
        return [FixLibrary.checkForBadValues, FixLibrary.detectAnomaly, FixLibrary.clipGradients, FixLibrary.lowerLearningRate]
    }

    /// Loss series before other metrics; step series before epoch series (they name the exact step).
    private func rank(_ series: MetricSeries) -> Int {
        (series.kind == .loss ? 0 : 2) + (series.granularity == .step ? 0 : 1)
    }
}
