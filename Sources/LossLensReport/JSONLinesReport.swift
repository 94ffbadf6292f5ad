@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// `--format jsonl`: one JSON object per run per line, and one per source that could not be read,
/// for map jobs over many logs and for `jq`. A run's line holds what the run is and what was found
/// (the findings as in the JSON report), not its metric series.
public enum JSONLinesReport {
    public static func render(_ report: AnalysisReport) -> String {
        var text = ""
        for analyzed in report.runs { text += run(analyzed).serialized(pretty: false) + "\n" }
        for failure in report.errors {
            text += JSONNode.object([("source", .string(failure.source)), ("error", .string(failure.message))]).serialized(pretty: false) + "\n"
        }
        return text
    }

    /// `{"source", "run", "format", "epochs", "task", "worst", "counts", "rules", "findings"}`.
    @_spi(Layers) public static func run(_ analyzed: AnalyzedRun) -> JSONNode {
        let run = analyzed.run
        let findings = FindingOrder.sorted(analyzed.findings)
        let count = { (severity: Severity) in findings.filter { $0.severity == severity }.count }
        var rules: [String] = []
        for finding in findings where !rules.contains(finding.rule) { rules.append(finding.rule) }
        return .object([
            ("source", .string(run.source)),
            ("run", .string(run.name)),
            ("format", .string(run.format.rawValue)),
            ("epochs", .integer(run.epochCount)),
            ("task", .string(analyzed.task.kind.rawValue)),
            ("worst", .optional(analyzed.worstSeverity?.rawValue)),
            ("counts", .object([("error", .integer(count(.error))), ("warning", .integer(count(.warning))), ("info", .integer(count(.info)))])),
            ("rules", .array(rules.map(JSONNode.string))),
            ("findings", .array(findings.map(JSONReport.finding))),
        ])
    }
}
