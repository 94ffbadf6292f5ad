/// A rule's documentation, in the "What it detects / Why it matters / Example / Fix" shape.
public enum RuleDocumentation {
    public static func markdown(for rule: RuleDescription) -> String {
        var lines = ["# \(rule.id): \(rule.name)", "", "Default severity: \(rule.defaultSeverity.rawValue)", ""]
        lines += ["## What it detects", "", rule.whatItDetects, ""]
        lines += ["## Why it matters", "", rule.whyItMatters, ""]
        lines += ["## How it decides", "", rule.howItDecides, ""]
        if let example = rule.triggeringExamples.first {
            lines += ["## Example", "", example.note, "", "```", example.log, "```", ""]
        }
        lines += ["## Fix", "", rule.fix]
        return lines.joined(separator: "\n")
    }
}
