@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// What `--ignore` and `--min-severity` left out, so the report can say so instead of looking clean.
@_spi(Layers) public struct FindingFilter {
    @_spi(Layers) public var ignoredRules: [String]
    @_spi(Layers) public var minimumSeverity: Severity

    @_spi(Layers) public init(_ report: AnalysisReport) {
        ignoredRules = report.ignoredRules.sorted()
        minimumSeverity = report.minimumSeverity
    }

    /// One line for the top of the report; nil when nothing was filtered.
    var summarySentence: String? {
        var parts: [String] = []
        if !ignoredRules.isEmpty {
            parts.append("Ignored rules (`--ignore`): " + ignoredRules.map { "`\(Markdown.code($0))`" }.joined(separator: ", ") + ".")
        }
        if minimumSeverity > .info {
            parts.append("Findings below \(minimumSeverity.rawValue) are left out (`--min-severity \(minimumSeverity.rawValue)`).")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    var emptyFindingsSentence: String {
        var sentence = minimumSeverity > .info ? "No findings at or above \(minimumSeverity.rawValue)" : "No findings"
        if !ignoredRules.isEmpty { sentence += " (ignored rules were not run)" }
        return sentence + "."
    }
}
