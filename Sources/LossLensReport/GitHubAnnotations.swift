@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// GitHub Actions workflow commands (`::error file=…,line=…::message`) that put a finding on the
/// log line of its evidence in the job's annotations.
public enum GitHubAnnotations {
    public static func render(_ report: AnalysisReport) -> String {
        var lines: [String] = []
        for analyzed in report.runs {
            for finding in analyzed.findings {
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
                lines.append("::\(command) \(properties.joined(separator: ","))::\(message(finding.message + explains))")
            }
        }
        for failure in report.errors {
            lines.append("::error file=\(property(failure.source)),title=losslens::\(message(failure.message))")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
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
