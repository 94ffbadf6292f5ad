/// The severity as it reads at a glance in the report.
enum SeverityBadge {
    static func badge(_ severity: Severity?) -> String {
        switch severity {
        case .error: return "🔴 error"
        case .warning: return "🟠 warning"
        case .info: return "🔵 info"
        case nil: return "✅ none"
        }
    }
}
