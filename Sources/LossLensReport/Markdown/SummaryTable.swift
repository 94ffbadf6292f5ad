@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// One row per run: where it came from, its dialect and length, and what was found.
@_spi(Layers) public enum SummaryTable {
    @_spi(Layers) public static func render(_ runs: [AnalyzedRun]) -> [String] {
        var lines = [
            "| # | Source | Run | Dialect | Epochs | Worst | Findings |",
            "| ---: | --- | --- | --- | ---: | --- | --- |",
        ]
        for (index, analyzed) in runs.enumerated() {
            let run = analyzed.run
            let ordered = FindingOrder.sorted(analyzed.findings)
            var rules: [String] = []
            for finding in ordered where !rules.contains(finding.rule) { rules.append(finding.rule) }
            let findings = ordered.isEmpty ? "0" : "\(ordered.count): " + rules.map { "`\(Markdown.codeCell($0))`" }.joined(separator: ", ")
            let worst = run.crash != nil && analyzed.worstSeverity == nil ? "💥 crashed" : SeverityBadge.badge(analyzed.worstSeverity)
            lines.append([
                "[\(index + 1)](#\(RunSection.anchor(index)))", "`\(Markdown.codeCell(run.source))`", Markdown.cell(run.name),
                run.format.rawValue, epochs(run), worst, findings,
            ].joined(separator: " | ").wrappedAsRow)
        }
        return lines
    }

    @_spi(Layers) public static func epochs(_ run: Run) -> String {
        guard let planned = run.plannedEpochs, planned != run.epochCount else { return "\(run.epochCount)" }
        return "\(run.epochCount) / \(planned)"
    }
}

extension String {
    /// `a | b` → `| a | b |`.
    var wrappedAsRow: String { "| " + self + " |" }
}
