import Foundation
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

    /// The same reading on bytes: plain, quoted, bracketed and percent numbers are read without a
    /// string; the rare forms (`nan`, `98/100 (98%)`, non-ASCII blanks) go through `value(_:)`.
    public static func value(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        var lower = 0
        var upper = raw.count
        func isTrimmed(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        }
        while lower < upper, isTrimmed(raw[lower]) { lower += 1 }
        while upper > lower, isTrimmed(raw[upper - 1]) { upper -= 1 }
        var isPercent = false
        if upper > lower, raw[upper - 1] == UInt8(ascii: "%") {
            isPercent = true
            upper -= 1
        }
        let number = UnsafeBufferPointer(rebasing: raw[lower..<upper])
        if let first = number.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        {
            // Only a percentage cares about an exponent: most numbers skip the two scans.
            let hasExponent = isPercent && (number.contains(UInt8(ascii: "e")) || number.contains(UInt8(ascii: "E")))
            if let parsed = DecimalBytes.double(number, extraExponent: isPercent && !hasExponent ? -2 : 0) {
                return isPercent && hasExponent ? parsed / 100 : parsed
            }
        }
        return value(String(decoding: raw, as: UTF8.self))
    }
}
