@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// The severity as it reads at a glance in the report.
@_spi(Layers) public enum SeverityBadge {
    static func badge(_ severity: Severity?) -> String {
        switch severity {
        case .error: return "🔴 error"
        case .warning: return "🟠 warning"
        case .info: return "🔵 info"
        case nil: return "✅ none"
        }
    }
}
