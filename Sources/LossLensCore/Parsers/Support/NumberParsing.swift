/// Reads the numbers logs print: `0.5`, `1e-3`, `nan`, `-inf`, `Infinity`, `55.00%` (→ 0.55),
/// numpy arrays of one value `[ 0.5916]`, quoted `'4.161'`, and `9800/10000 (98%)` (→ 0.98).
public enum NumberParsing {
    public static func value(_ raw: Substring) -> Double? {
        var text = raw.trimmingCharacters(in: .whitespaces)[...]
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), text.contains("%") {
            // "9800/10000 (98%)": the percentage is the value.
            text = text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t'\"[]")) [...]
        let isPercent = text.hasSuffix("%")
        if isPercent { text = text.dropLast() }
        switch text.lowercased() {
        case "nan", "-nan", "+nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard let number = Double(text) else { return nil }
        guard isPercent else { return number }
        // Reading "84.90" as 0.8490 in one rounding gives the double nearest the printed fraction
        // (84.9 / 100 would be 0.8490000000000001).
        if !text.contains(where: { $0 == "e" || $0 == "E" }), let fraction = Double(text + "e-2") { return fraction }
        return number / 100
    }

    public static func value(_ raw: String) -> Double? { value(raw[...]) }
}

import Foundation
