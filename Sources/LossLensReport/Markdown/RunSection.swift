@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// Everything the report says about one run.
@_spi(Layers) public enum RunSection {
    @_spi(Layers) public static func anchor(_ index: Int) -> String { "run-\(index + 1)" }

    @_spi(Layers) public static func render(
        _ analyzed: AnalyzedRun, index: Int, ruleNames: [String: String], filter: FindingFilter
    ) -> [String] {
        let run = analyzed.run
        var lines = [
            "<a id=\"\(anchor(index))\"></a>", "",
            "## \(index + 1). \(Markdown.text(run.name)) — `\(Markdown.code(run.source))`", "",
            "\(run.format.rawValue) · \(epochPhrase(run)) · \(findingPhrase(analyzed.findings.count))",
            "", taskSentence(analyzed),
        ]
        for note in run.notes { lines += ["", "> **Note:** \(Markdown.text(note))"] }
        let metrics = MetricTable.render(analyzed)
        if !metrics.isEmpty { lines += ["", "### Metrics", ""] + metrics }
        let chart = MermaidChart(analyzed.lossChart).render()
        if !chart.isEmpty { lines += ["", "### Loss", ""] + chart }
        if let replay = analyzed.earlyStopping {
            lines += ["", "### EarlyStopping replay", ""] + EarlyStoppingTable.render(replay, run: run)
        }
        if let crash = run.crash {
            lines += ["", "### Crash", "", "The log ends in `\(Markdown.code(crash.exceptionType))` at `\(Markdown.code("\(run.source):\(crash.line)"))`:", ""]
            lines += Markdown.fenced(crash.message, language: "text")
        }
        if !run.events.isEmpty { lines += ["", "### Events", ""] + events(run) }
        lines += ["", "### Findings", ""]
        let findings = FindingOrder.sorted(analyzed.findings)
        if findings.isEmpty {
            lines.append(filter.emptyFindingsSentence)
        }
        for (position, finding) in findings.enumerated() {
            if position > 0 { lines.append("") }
            lines += FindingSection.render(finding, source: run.source, ruleName: ruleNames[finding.rule])
        }
        return lines
    }

    /// What the run was taken to train and what the rules judged, so a reader can tell when losslens
    /// guessed wrong (and pass `--classes`).
    static func taskSentence(_ analyzed: AnalyzedRun) -> String {
        let task = analyzed.task
        var sentence = "Task: \(task.kind.rawValue) (\(Markdown.text(task.because)))"
        if let classes = task.classes {
            sentence += "; K = \(classes.classes) (\(classes.source == .stated ? "stated" : "inferred from the \(classes.source.rawValue)"))"
        }
        sentence += analyzed.judgedOn == .epoch ? ". Judged per epoch." : ". Judged on logged steps and evaluations: the run has too few epochs to judge per epoch."
        return sentence
    }

    static func epochPhrase(_ run: Run) -> String {
        let logged = "\(run.epochCount) epoch\(run.epochCount == 1 ? "" : "s") logged"
        guard let planned = run.plannedEpochs, planned != run.epochCount else { return logged }
        return logged + " of \(planned) planned"
    }

    static func findingPhrase(_ count: Int) -> String {
        count == 1 ? "1 finding" : "\(count) findings"
    }

    @_spi(Layers) public static func events(_ run: Run) -> [String] {
        var lines = ["| Line | Epoch | Event | Text |", "| ---: | ---: | --- | --- |"]
        for event in run.events {
            lines.append([String(event.line), event.epoch.map(String.init) ?? "—", event.kind.rawValue, "`\(Markdown.codeCell(event.text))`"]
                .joined(separator: " | ").wrappedAsRow)
        }
        return lines
    }
}
