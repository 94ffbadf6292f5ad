@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// GitHub Actions workflow commands (`::error file=…,line=…::message`) that put a finding on the
/// log line of its evidence in the job's annotations.
public enum GitHubAnnotations {
    /// Annotations of one kind (error, warning, notice) GitHub shows for a step; it drops the rest
    /// without a word (and shows 50 per job in all).
    public static let perStepLimit = 10

    /// Every finding (most severe and most confident first) and every unreadable source as an
    /// annotation. With `perKind`, a kind that has more keeps its first `perKind - 1` and ends with
    /// one annotation that counts the rest by rule.
    public static func render(_ report: AnalysisReport, perKind: Int? = nil) -> String {
        var byKind: [(kind: String, lines: [String], left: [String])] = ["error", "warning", "notice"].map { ($0, [], []) }
        func add(_ kind: String, _ line: String, rule: String) {
            let index = byKind.firstIndex { $0.kind == kind }!
            byKind[index].lines.append(line)
            byKind[index].left.append(rule)
        }
        let findings = report.runs.flatMap { analyzed in analyzed.findings.map { (analyzed, $0) } }
        let ordered = findings.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.1, rhs.element.1)
            if a.severity != b.severity { return a.severity > b.severity }
            if a.confidence != b.confidence { return a.confidence > b.confidence }
            return lhs.offset < rhs.offset
        }.map(\.element)
        for (analyzed, finding) in ordered {
            let command: String
            switch finding.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            let located = finding.evidence.first { $0.line != nil }
            var properties = ["file=\(property(located?.source ?? analyzed.run.source))"]
            if let line = located?.line {
                properties.append("line=\(line)")
            }
            properties.append("title=\(property("losslens \(finding.rule)"))")
            let explains = finding.explains.isEmpty ? "" : " (explains: " + finding.explains.map(\.rule).joined(separator: ", ") + ")"
            add(command, "::\(command) \(properties.joined(separator: ","))::\(message(finding.message + explains))", rule: finding.rule)
        }
        for failure in report.errors {
            add("error", "::error file=\(property(failure.source)),title=losslens::\(message(failure.message))", rule: "unreadable source")
        }
        var lines: [String] = []
        for (kind, kindLines, rules) in byKind {
            guard let perKind, kindLines.count > perKind else {
                lines += kindLines
                continue
            }
            let shown = max(perKind - 1, 0)
            lines += kindLines.prefix(shown)
            lines.append("::\(kind) title=\(property("losslens: \(kindLines.count - shown) more"))::"
                + message(summary(of: Array(rules.dropFirst(shown)), kind: kind)))
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// "12 more errors not shown as annotations (GitHub shows 10 per step): diverging ×7, …".
    static func summary(of rules: [String], kind: String) -> String {
        var counts: [(String, Int)] = []
        for rule in rules {
            if let index = counts.firstIndex(where: { $0.0 == rule }) { counts[index].1 += 1 } else { counts.append((rule, 1)) }
        }
        let noun = rules.count == 1 ? kind : kind + "s"
        return "\(rules.count) more \(noun) not shown as annotations (GitHub shows \(perStepLimit) of each kind per step): "
            + counts.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ") + ". The report lists them all."
    }

    /// The message a person reads: through the one sanitizer (`HumanText`), then escaped as the
    /// Actions runner unescapes it (`%25`, `%0D`, `%0A`).
    @_spi(Layers) public static func message(_ text: String) -> String {
        escaped(HumanText.printable(text))
    }

    /// A property value (`file=`, `title=`) is escaped, never altered: stripping characters from
    /// a path would point the annotation at another file. `:` and `,` end a property.
    static func property(_ text: String) -> String {
        escaped(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }
}
