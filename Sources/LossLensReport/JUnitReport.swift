@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// JUnit XML (`--format junit`) for CI systems that display test results: one test case per run,
/// a failure per finding at or above the fail-on severity, an error per source that could not be read.
public enum JUnitReport {
    public static func render(_ report: AnalysisReport, failOn threshold: Severity?) -> String {
        var cases: [String] = []
        var failures = 0
        for analyzed in report.runs {
            let failing = analyzed.findings.filter { finding in threshold.map { finding.severity >= $0 } ?? false }
            failures += failing.isEmpty ? 0 : 1
            var body = ""
            for finding in failing {
                let detail = ([finding.message] + finding.evidence.map(evidenceLine)
                    + finding.explains.map { "explains: \($0.rule)\($0.metric.map { " on \($0)" } ?? ""): \($0.message)" }
                    + finding.causes.map { "likely cause: \($0.text)" } + finding.fixes.map { "fix: \($0.text)" })
                    .joined(separator: "\n")
                body += "\n      <failure type=\"\(xml(finding.rule))\" message=\"\(xml("[\(finding.severity.rawValue)] \(finding.rule): \(finding.message)"))\">\(xml(detail))</failure>"
            }
            let passing = analyzed.findings.filter { !failing.contains($0) }
            if !passing.isEmpty {
                let notes = passing.map { "[\($0.severity.rawValue)] \($0.rule): \($0.message)" }.joined(separator: "\n")
                body += "\n      <system-out>\(xml(notes))</system-out>"
            }
            let name = "\(analyzed.run.name) (\(analyzed.run.format.rawValue))"
            cases.append("    <testcase classname=\"\(xml(analyzed.run.source))\" name=\"\(xml(name))\">\(body)\(body.isEmpty ? "" : "\n    ")</testcase>")
        }
        for failure in report.errors {
            cases.append("    <testcase classname=\"\(xml(failure.source))\" name=\"read\">\n      <error type=\"input\" message=\"\(xml(failure.message))\"/>\n    </testcase>")
        }
        let total = report.runs.count + report.errors.count
        let header = "tests=\"\(total)\" failures=\"\(failures)\" errors=\"\(report.errors.count)\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="losslens" \(header)>
              <testsuite name="losslens" \(header)>
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }

    static func evidenceLine(_ evidence: Evidence) -> String {
        var parts = ["evidence: \(evidence.metric)"]
        if let epoch = evidence.epoch { parts.append("epoch \(epoch)") }
        if let value = evidence.value { parts.append("= \(value)") }
        if let line = evidence.line { parts.append(evidence.source.map { "(\($0):\(line))" } ?? "(line \(line))") }
        return parts.joined(separator: " ") + ": \(evidence.note)"
    }

    /// XML text and attribute escaping; control characters XML 1.0 forbids are dropped.
    static func xml(_ text: String) -> String {
        var result = ""
        for scalar in Markdown.stripANSI(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n", "\t", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
