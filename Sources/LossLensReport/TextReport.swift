@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// A compact terminal rendering (`--format text`): one block per run, one line per finding.
/// Colour is used only when asked for (standard output is a terminal and NO_COLOR is unset).
/// With a `width` (the terminal's), long lines wrap at it with a hanging indent.
public enum TextReport {
    public static func render(_ report: AnalysisReport, colored: Bool, width: Int? = nil) -> String {
        let style = TerminalStyle(enabled: colored)
        var lines: [String] = []
        /// Adds a line, wrapped under `indent` when it is too long for the terminal.
        func add(_ line: String, indent: Int) {
            guard let width else { return lines.append(line) }
            lines += TerminalText.wrap(line, width: width, hangingIndent: indent)
        }
        for analyzed in report.runs {
            let run = analyzed.run
            add(style.bold("\(plain(TerminalText.sourceName(run.source))) · \(plain(run.name)) · \(run.format.rawValue) · "
                + TerminalText.count(run.epochCount, "epoch")), indent: 4)
            add("  task: \(analyzed.task.kind.rawValue)" + (analyzed.task.classes.map { ", K = \($0.classes)" } ?? "")
                + (analyzed.judgedOn == .step ? " · judged on logged steps" : ""), indent: 8)
            for note in run.notes {
                add("  " + style.blue("ℹ note   ") + " " + plain(note), indent: 12)
            }
            for damage in run.events where damage.kind == .inputDamaged {
                add("  " + style.yellow("⚠ input  ") + " " + plain(damage.text), indent: 12)
            }
            if analyzed.findings.isEmpty {
                lines.append("  " + style.green("✓ no problems found"))
            }
            for finding in analyzed.findings {
                let label = finding.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                let marker: String
                switch finding.severity {
                case .error: marker = style.red("✖ " + label)
                case .warning: marker = style.yellow("⚠ " + label)
                case .info: marker = style.blue("ℹ " + label)
                }
                let place = epochRange(finding).map { " [\($0)]" } ?? ""
                let metric = finding.metric.map { " \(plain($0))" } ?? ""
                add("  \(marker) \(style.bold(finding.rule))\(metric)\(place): \(plain(finding.message))", indent: 12)
                if !finding.explains.isEmpty {
                    add("      explains: " + finding.explains.map { "\($0.rule)" + ($0.metric.map { " " + plain($0) } ?? "") }.joined(separator: ", "),
                        indent: 16)
                }
                if let cause = finding.causes.first {
                    add("      likely: \(plain(cause.text))", indent: 14)
                }
                if let fix = finding.fixes.first {
                    add("      fix: \(plain(fix.text))", indent: 11)
                }
            }
            lines.append("")
        }
        for failure in report.errors {
            // The message names the source already.
            add(style.red("✖ cannot read: ") + plain(failure.message), indent: 15)
        }
        add(summary(report), indent: 2)
        return lines.joined(separator: "\n") + "\n"
    }

    @_spi(Layers) public static func epochRange(_ finding: Finding) -> String? {
        switch (finding.firstEpoch, finding.lastEpoch) {
        case let (first?, last?) where first != last: return "epochs \(first)–\(last)"
        case let (first?, _): return "epoch \(first)"
        case let (nil, last?): return "epoch \(last)"
        default: return nil
        }
    }

    @_spi(Layers) public static func summary(_ report: AnalysisReport) -> String {
        let findings = report.runs.flatMap(\.findings)
        let count = { (severity: Severity) in findings.filter { $0.severity == severity }.count }
        var sentence = "\(TerminalText.count(report.runs.count, "run")): \(TerminalText.count(count(.error), "error")), "
            + "\(TerminalText.count(count(.warning), "warning")), \(count(.info)) info"
        if !report.errors.isEmpty {
            sentence += "; \(TerminalText.count(report.errors.count, "source")) could not be read"
        }
        return sentence
    }

    /// Log-derived text on one line, through the one sanitizer (`HumanText`): a log cannot
    /// repaint the user's terminal or disguise what it says.
    public static func plain(_ text: String) -> String {
        HumanText.line(text)
    }
}

@_spi(Layers) public struct TerminalStyle {
    let enabled: Bool

    private func wrap(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { wrap("1", text) }
    func red(_ text: String) -> String { wrap("31", text) }
    func yellow(_ text: String) -> String { wrap("33", text) }
    func green(_ text: String) -> String { wrap("32", text) }
    func blue(_ text: String) -> String { wrap("34", text) }
}
