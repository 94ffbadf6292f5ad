@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// The human report (`--format markdown`, the default): a summary of all runs, then per run its
/// metrics, a loss chart, the EarlyStopping replay, crash and events, and the findings.
public enum MarkdownReport {
    /// `rules` names the rule ids in finding headings; the detectors' descriptions by default.
    public static func render(_ report: AnalysisReport, rules: [RuleDescription] = DetectorRegistry.all.map { $0.description }) -> String {
        let ruleNames = Dictionary(rules.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let filter = FindingFilter(report)
        var lines = ["# losslens report", "", overview(report)]
        if let filtered = filter.summarySentence { lines += ["", filtered] }
        if !report.runs.isEmpty { lines += [""] + SummaryTable.render(report.runs) }
        if !report.errors.isEmpty {
            lines += ["", "## Sources that could not be read", ""]
            for failure in report.errors {
                lines.append("- `\(Markdown.code(failure.source))`: \(Markdown.text(failure.message))")
            }
        }
        for (index, analyzed) in report.runs.enumerated() {
            lines += [""] + RunSection.render(analyzed, index: index, ruleNames: ruleNames, filter: filter)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func overview(_ report: AnalysisReport) -> String {
        guard !report.runs.isEmpty else {
            return report.errors.isEmpty ? "No runs were found." : "No runs could be read."
        }
        let sources = Set(report.runs.map(\.run.source)).count
        let findings = report.runs.flatMap(\.findings)
        let counts = Severity.allCases.reversed().compactMap { severity -> String? in
            let count = findings.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)\(severity == .info || count == 1 ? "" : "s")"
        }
        let runs = report.runs.count == 1 ? "1 run" : "\(report.runs.count) runs"
        let from = sources == 1 ? "1 source" : "\(sources) sources"
        let found = findings.isEmpty ? "no findings" : RunSection.findingPhrase(findings.count) + " (" + counts.joined(separator: ", ") + ")"
        return "\(runs) from \(from) · \(found)."
    }
}
