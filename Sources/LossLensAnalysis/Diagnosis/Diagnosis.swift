@_spi(Layers) import LossLensModel

/// Turns the detectors' symptoms into diagnoses. When one symptom explains others (the metrics of
/// a run that turned NaN are flat and at chance *because* of the NaN), the report carries one
/// finding for the root, with the explained symptoms as its supporting evidence (`explains`), and
/// lists causes and fixes once.
///
/// A root explains a symptom only where the curves say so: the same metric or split, and the same
/// stretch of training (what comes after a NaN, what a divergence covers).
public enum Diagnosis {
    /// Roots are tried in this order: a fact outranks a shape, and a specific shape (chance level,
    /// with its K) outranks the generic one it implies (flat).
    static let rootOrder = [
        "crash", "non-finite", "zero", "diverging", "chance-level", "majority-class", "oscillating", "metric-mismatch",
        "flat", "leak-suspect", "overfitting", "spike", "not-converged", "too-short",
    ]

    public static func diagnose(_ symptoms: [Finding], framework: Framework?) -> [Finding] {
        let ranks = symptoms.map { rank($0, among: symptoms) }
        let order = symptoms.indices.sorted { ranks[$0] < ranks[$1] || (ranks[$0] == ranks[$1] && $0 < $1) }
        var explainedBy: [Int: Int] = [:]
        for (position, root) in order.enumerated() where explainedBy[root] == nil {
            for other in order[(position + 1)...] where explainedBy[other] == nil && explains(symptoms[root], symptoms[other]) {
                explainedBy[other] = root
            }
        }
        var diagnoses: [Finding] = []
        for index in symptoms.indices where explainedBy[index] == nil {
            var diagnosis = symptoms[index]
            diagnosis.explains = symptoms.indices.filter { explainedBy[$0] == index }.map { Explanation(symptoms[$0]) }
            diagnosis.causes = rankedByEvidence(diagnosis.causes)
            diagnoses.append(diagnosis)
        }
        return FixReconciliation.reconcile(diagnoses, framework: framework)
    }

    /// Twice the place in `rootOrder`, so that a finding can rank just before a rule.
    private static func rank(_ finding: Finding, among symptoms: [Finding]) -> Int {
        // A loss that never moved says the model does not learn at all, which explains the one class
        // it predicts: it ranks with the specific shapes, before majority class.
        if isFrozenLoss(finding) { return 2 * rootOrder.firstIndex(of: "majority-class")! }
        // Overfitting explains the climb of its own held-out loss (see `explains`): it ranks before it.
        if finding.rule == "overfitting", symptoms.contains(where: { $0.rule == "diverging" && $0.metric == finding.metric }) {
            return 2 * rootOrder.firstIndex(of: "diverging")! - 1
        }
        return 2 * (rootOrder.firstIndex(of: finding.rule) ?? rootOrder.count)
    }

    /// A `flat` finding on a loss over the whole run (from its second value on).
    private static func isFrozenLoss(_ finding: Finding) -> Bool {
        finding.rule == "flat" && (finding.metric.map { MetricName(raw: $0.replacingOccurrences(of: "@step", with: "")).kind == .loss } ?? false)
            && (finding.firstEpoch ?? .max) <= 2
    }

    /// Causes this run's log shows first, in their order; those it cannot show after them.
    static func rankedByEvidence(_ causes: [Cause]) -> [Cause] {
        causes.filter(\.isSeenInLog) + causes.filter { !$0.isSeenInLog }
    }

    /// Whether `root` explains `symptom`.
    static func explains(_ root: Finding, _ symptom: Finding) -> Bool {
        switch (root.rule, symptom.rule) {
        case ("crash", "too-short"), ("crash", "not-converged"):
            return true
        case ("non-finite", _):
            // Everything the metrics do once the weights are NaN, and the growth that led there.
            return startsAfter(symptom, root) || (instability.contains(symptom.rule) && endsAfter(symptom, root))
                || symptom.metric == root.metric
        case ("diverging", "overfitting"), ("overfitting", "diverging"):
            // A held-out loss that climbs while the training loss falls (which `overfitting` needs)
            // is the model fitting the training set at the held-out set's expense, however far it
            // climbs: overfitting is the diagnosis, the climb its evidence. A held-out loss's
            // divergence explains an overfitting finding on another metric of its split (the
            // accuracy gap) on its stretch.
            if root.rule == "overfitting" { return symptom.metric == root.metric }
            return symptom.metric != root.metric && overlaps(symptom, root) && sameSplit(symptom, root)
        case ("diverging", "spike"), ("diverging", "oscillating"), ("diverging", "metric-mismatch"):
            return overlaps(symptom, root) && (symptom.metric == root.metric || sameSplit(symptom, root) || symptom.rule == "metric-mismatch")
        case ("diverging", "not-converged"), ("oscillating", "not-converged"):
            return true
        case ("oscillating", "spike"):
            return symptom.metric == root.metric
        case ("chance-level", "flat"), ("chance-level", "majority-class"), ("chance-level", "metric-mismatch"):
            return true
        case ("chance-level", "overfitting"):
            // Held-out data at chance while the training loss falls: the labels carry nothing to generalize.
            return split(of: root.metric) != .train
        case ("majority-class", "metric-mismatch"):
            return true
        case ("zero", "metric-mismatch"):
            // An accuracy at 0 in every epoch while the loss moves is one observation, told once.
            return symptom.metric == root.metric
        case ("majority-class", "flat"):
            // A frozen accuracy follows from predicting one class; a frozen loss is the model not learning.
            return !isFrozenLoss(symptom)
        case ("flat", "majority-class"):
            return isFrozenLoss(root)
        case ("flat", "leak-suspect"):
            // A model whose loss never moved learned nothing, a leak included: an accuracy that is
            // near-perfect from the start is the share of the class it predicts everywhere.
            return isFrozenLoss(root)
        case ("metric-mismatch", "flat"):
            return symptom.metric == root.metric
        case ("flat", "flat"):
            return true
        default:
            return false
        }
    }

    private static let instability: Set<String> = ["diverging", "spike", "oscillating"]

    /// The symptom begins no earlier than the epoch before the root's first one (a NaN appears
    /// within an epoch, so that epoch's means are already affected).
    private static func startsAfter(_ symptom: Finding, _ root: Finding) -> Bool {
        guard let start = root.firstEpoch else { return true }
        return (symptom.firstEpoch ?? symptom.lastEpoch ?? .max) >= start - 1
    }

    private static func endsAfter(_ symptom: Finding, _ root: Finding) -> Bool {
        guard let start = root.firstEpoch else { return true }
        return (symptom.lastEpoch ?? .max) >= start - 1
    }

    private static func overlaps(_ symptom: Finding, _ root: Finding) -> Bool {
        guard let start = root.firstEpoch else { return true }
        return (symptom.lastEpoch ?? .max) >= start
    }

    private static func sameSplit(_ a: Finding, _ b: Finding) -> Bool {
        split(of: a.metric) == split(of: b.metric)
    }

    static func split(of key: String?) -> Split? {
        guard let key else { return nil }
        let name = key.hasSuffix("@step") ? String(key.dropLast(5)) : key
        return MetricName(raw: name).split
    }
}
