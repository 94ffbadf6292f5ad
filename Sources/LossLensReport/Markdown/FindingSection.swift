@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// One finding: what was found, the values that show it, the likely causes and the fixes.
/// Finding text is plain text: it may quote the log, so all of it is escaped.
@_spi(Layers) public enum FindingSection {
    @_spi(Layers) public static func render(_ finding: Finding, source: String, ruleName: String?) -> [String] {
        let name = ruleName.map { " — \(Markdown.text($0))" } ?? ""
        var lines = [
            "#### \(SeverityBadge.badge(finding.severity)) · `\(Markdown.code(finding.rule))`\(name) · confidence \(ValueFormat.confidence(finding.confidence))",
            "",
            Markdown.paragraph(finding.message),
        ]
        var scope: [String] = []
        if let metric = finding.metric { scope.append("metric `\(Markdown.code(metric))`") }
        switch (finding.firstEpoch, finding.lastEpoch) {
        case let (first?, last?) where first != last: scope.append("epochs \(first)–\(last)")
        case let (first?, _): scope.append("epoch \(first)")
        case let (nil, last?): scope.append("epoch \(last)")
        case (nil, nil): break
        }
        if !scope.isEmpty { lines += ["", scope.joined(separator: " · ").capitalizedFirst + "."] }
        if !finding.evidence.isEmpty { lines += [""] + evidence(finding.evidence, source: source) }
        if !finding.explains.isEmpty {
            lines += ["", "**Explains** — what follows from it, not findings of their own:", ""]
            for explained in finding.explains {
                let metric = explained.metric.map { " on `\(Markdown.code($0))`" } ?? ""
                lines.append("- `\(Markdown.code(explained.rule))`\(metric): \(Markdown.text(explained.message))")
            }
        }
        if !finding.causes.isEmpty {
            lines += ["", "**Likely causes**, most likely first:", ""]
            for (index, cause) in finding.causes.enumerated() {
                lines.append("\(index + 1). \(Markdown.text(cause.text)) — _because_ \(Markdown.text(cause.because))")
            }
        }
        for (index, fix) in finding.fixes.enumerated() {
            lines += ["", "**Fix \(index + 1).** \(Markdown.text(fix.text))"]
            for (framework, snippet) in [("Keras", fix.keras), ("PyTorch", fix.pytorch)] {
                guard let snippet else { continue }
                lines += ["", "<details><summary>\(framework)</summary>", ""] + Markdown.fenced(snippet, language: "python") + ["", "</details>"]
            }
        }
        return lines
    }

    @_spi(Layers) public static func evidence(_ items: [Evidence], source: String) -> [String] {
        let withSteps = items.contains { $0.step != nil }
        var lines = [
            "| Metric | Epoch |" + (withSteps ? " Step |" : "") + " Value | Where | Note |",
            "| --- | ---: |" + (withSteps ? " ---: |" : "") + " ---: | --- | --- |",
        ]
        for item in items {
            var cells = ["`\(Markdown.codeCell(item.metric))`", item.epoch.map(String.init) ?? "—"]
            if withSteps { cells.append(item.step.map(String.init) ?? "—") }
            let location = item.line.map { "`\(Markdown.codeCell("\(item.source ?? source):\($0)"))`" } ?? "—"
            cells += [ValueFormat.optional(item.value), location, Markdown.cell(item.note)]
            lines.append(cells.joined(separator: " | ").wrappedAsRow)
        }
        return lines
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
