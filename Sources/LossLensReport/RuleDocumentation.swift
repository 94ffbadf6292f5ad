import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// A rule's documentation (`losslens explain`), ruff-style: What it detects / Why it matters /
/// How it decides / Example / Fix, and the rule list (`losslens rules`).
public enum RuleDocumentation {
    public static func markdown(for rule: RuleDescription) -> String {
        var lines = [
            "# \(rule.id): \(rule.name)", "",
            "Default severity: \(rule.defaultSeverity.rawValue). Turn it off with `--ignore \(rule.id)`.", "",
        ]
        lines += ["## What it detects", "", rule.whatItDetects, ""]
        lines += ["## Why it matters", "", rule.whyItMatters, ""]
        lines += ["## How it decides", "", rule.howItDecides, ""]
        if !rule.triggeringExamples.isEmpty || !rule.nonTriggeringExamples.isEmpty {
            lines += ["## Example", ""]
            lines += examples(rule.triggeringExamples, heading: "Reported")
            lines += examples(rule.nonTriggeringExamples, heading: "Not reported")
        }
        lines += ["## Fix", "", rule.fix]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same documentation for a terminal: headings in bold, paragraphs wrapped at `width`,
    /// example logs indented as they are (never wrapped), no Markdown markup.
    public static func terminal(for rule: RuleDescription, width: Int, colored: Bool) -> String {
        let style = TerminalStyle(enabled: colored)
        var lines: [String] = []
        func heading(_ text: String) { lines += [style.bold(text), ""] }
        func paragraph(_ text: String, indent: Int = 2) {
            let pad = String(repeating: " ", count: indent)
            for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = pad + plainMarkdown(String(piece))
                lines += TerminalText.wrap(line, width: width, hangingIndent: indent + (piece.hasPrefix("- ") ? 2 : 0))
            }
            lines.append("")
        }
        func examples(_ examples: [RuleExample], heading: String) {
            guard !examples.isEmpty else { return }
            lines += ["  " + style.bold(heading), ""]
            for example in examples {
                paragraph(example.note, indent: 4)
                lines += example.log.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + TextReport.plain(String($0)) }
                lines.append("")
            }
        }
        lines += TerminalText.wrap(style.bold("\(rule.id): \(rule.name)"), width: width, hangingIndent: 2) + [""]
        paragraph("Default severity: \(rule.defaultSeverity.rawValue). Turn it off with --ignore \(rule.id).", indent: 0)
        heading("What it detects")
        paragraph(rule.whatItDetects)
        heading("Why it matters")
        paragraph(rule.whyItMatters)
        heading("How it decides")
        paragraph(rule.howItDecides)
        if !rule.triggeringExamples.isEmpty || !rule.nonTriggeringExamples.isEmpty {
            heading("Example")
            examples(rule.triggeringExamples, heading: "Reported")
            examples(rule.nonTriggeringExamples, heading: "Not reported")
        }
        heading("Fix")
        paragraph(rule.fix)
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Inline Markdown a terminal would show raw: code spans lose their backticks, emphasis its stars.
    static func plainMarkdown(_ text: String) -> String {
        TextReport.plain(text).replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "**", with: "")
    }

    static func examples(_ examples: [RuleExample], heading: String) -> [String] {
        guard !examples.isEmpty else { return [] }
        var lines = ["### \(heading)", ""]
        for example in examples {
            lines += [example.note, ""] + Markdown.fenced(example.log) + [""]
        }
        return lines
    }

    /// The rules as aligned columns under an `ID  SEVERITY  NAME` header.
    public static func table(_ rules: [RuleDescription]) -> String {
        let rows = [("ID", "SEVERITY", "NAME")] + rules.map { ($0.id, $0.defaultSeverity.rawValue, $0.name) }
        let idWidth = rows.map(\.0.count).max() ?? 0
        let severityWidth = rows.map(\.1.count).max() ?? 0
        return rows.map { row in
            [row.0.padding(toLength: idWidth, withPad: " ", startingAt: 0),
             row.1.padding(toLength: severityWidth, withPad: " ", startingAt: 0), row.2].joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The README's rule table: id, default severity and when the rule fires.
    public static func readmeTable(_ rules: [RuleDescription]) -> String {
        (["| Rule | Severity | Fires when |", "| --- | --- | --- |"]
            + rules.map { "| `\($0.id)` | \($0.defaultSeverity.rawValue) | \($0.summary) |" }).joined(separator: "\n") + "\n"
    }
}
