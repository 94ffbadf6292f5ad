import Foundation

/// Numbers as detectors print them in messages: 4 significant digits, scientific when very large or small.
enum ValueFormat {
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.3g", value) }
        return String(format: "%.4g", value)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    static func epochs(_ first: Int?, _ last: Int?) -> String {
        switch (first, last) {
        case let (a?, b?) where a == b: return "epoch \(a)"
        case let (a?, b?): return "epochs \(a)–\(b)"
        default: return "the run"
        }
    }
}
