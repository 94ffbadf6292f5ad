import Foundation
@_spi(Layers) import LossLensBytes

/// How numbers read in messages and reports: four significant digits, non-finite values by name.
@_spi(Layers) public enum ValueFormat {
    @_spi(Layers) public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        return String(format: "%.4g", value)
    }

    @_spi(Layers) public static func optional(_ value: Double?) -> String {
        value.map(number) ?? "—"
    }

    @_spi(Layers) public static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    @_spi(Layers) public static func confidence(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    @_spi(Layers) public static func epochs(_ first: Int?, _ last: Int?) -> String {
        switch (first, last) {
        case let (a?, b?) where a == b: return "epoch \(a)"
        case let (a?, b?): return "epochs \(a)–\(b)"
        default: return "the run"
        }
    }

    /// A plain decimal (no exponent) with `significant` digits relative to `span`, for formats such as
    /// Mermaid that do not read scientific notation.
    @_spi(Layers) public static func plainDecimal(_ value: Double, span: Double, significant: Int = 4) -> String {
        let magnitude = span > 0 && span.isFinite ? Int(floor(log10(span))) : 0
        let decimals = min(10, max(0, significant - 1 - magnitude))
        let text = String(format: "%.\(decimals)f", value)
        return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
