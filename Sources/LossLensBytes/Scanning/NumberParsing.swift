import Foundation
/// Reads the numbers logs print: `0.5`, `1e-3`, `nan`, `-inf`, `Infinity`, `55.00%` (→ 0.55),
/// numpy arrays of one value `[ 0.5916]`, quoted `'4.161'`, and `9800/10000 (98%)` (→ 0.98).
public enum NumberParsing {
    public static func value(_ raw: Substring) -> Double? {
        var text = trimmingWhitespace(raw)
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), text.contains("%") {
            // "9800/10000 (98%)": the percentage is the value.
            text = text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
        text = trimmingQuotesAndBrackets(text)
        let isPercent = text.hasSuffix("%")
        if isPercent { text = text.dropLast() }
        switch text.lowercased() {
        case "nan", "-nan", "+nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        // Swift reads hexadecimal (`0x10` is 16); no log prints a metric that way, nor with `_` between digits.
        guard !text.utf8.contains(where: { $0 | 0x20 == UInt8(ascii: "x") || $0 == UInt8(ascii: "_") }), let number = Double(text) else {
            return nil
        }
        guard isPercent else { return number }
        // Reading "84.90" as 0.8490 in one rounding gives the double nearest the printed fraction
        // (84.9 / 100 would be 0.8490000000000001).
        if !text.contains(where: { $0 == "e" || $0 == "E" }), let fraction = Double(text + "e-2") { return fraction }
        return number / 100
    }

    public static func value(_ raw: String) -> Double? { value(raw[...]) }

    /// `trimmingCharacters(in: .whitespaces)`: its only ASCII members are space and tab, trimmed as
    /// bytes; Foundation (through `NSString`) only when text past them starts or ends beyond ASCII,
    /// where whitespace may be Unicode's (a no-break space).
    @_spi(Layers) public static func trimmingWhitespace(_ text: Substring) -> Substring {
        let trimmed = trimming(text) { $0 == 0x20 || $0 == 0x09 }
        guard let first = trimmed.utf8.first, let last = trimmed.utf8.last, first >= 0x80 || last >= 0x80 else { return trimmed }
        return text.trimmingCharacters(in: .whitespaces)[...]
    }

    /// `trimmingCharacters(in: CharacterSet(charactersIn: " \t'\"[]"))`, as bytes.
    static func trimmingQuotesAndBrackets(_ text: Substring) -> Substring {
        trimming(text) { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }
    }

    /// `text` without the ASCII bytes `isTrimmed` accepts at either end (they never belong to a
    /// longer character, so this trims characters).
    private static func trimming(_ text: Substring, _ isTrimmed: (UInt8) -> Bool) -> Substring {
        let utf8 = text.utf8
        let start = utf8.firstIndex { !isTrimmed($0) } ?? utf8.endIndex
        let end = utf8[start...].lastIndex { !isTrimmed($0) }.map { utf8.index(after: $0) } ?? start
        return text[start..<end]
    }

    /// The same reading on bytes: plain, quoted, bracketed and percent numbers are read without a
    /// string; the rare forms (`nan`, `98/100 (98%)`, non-ASCII blanks) go through `value(_:)`.
    @inline(__always)
    @_spi(Layers) public static func value(_ raw: ByteView) -> Double? {
        value(raw.buffer)
    }

    public static func value(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        let (number, isPercent) = trimmedNumber(raw)
        if startsLikeNumber(number, in: raw) {
            // Only a percentage cares about an exponent: most numbers skip the two scans.
            let numberBytes = UnsafeBufferPointer(rebasing: raw[number])
            let hasExponent = isPercent && (numberBytes.contains(UInt8(ascii: "e")) || numberBytes.contains(UInt8(ascii: "E")))
            if let parsed = DecimalBytes.double(numberBytes, extraExponent: isPercent && !hasExponent ? -2 : 0) {
                return isPercent && hasExponent ? parsed / 100 : parsed
            }
        }
        return value(String(decoding: raw, as: UTF8.self))
    }

    /// Where in `raw` the bytes are that `value(raw)` reads as a plain decimal (no percent sign, a
    /// sign, digit or point first), or nil when it reads it some other way. Blanks, quotes, brackets
    /// and the percent sign are not digits, so raws of one digit shape all have the same answer:
    /// a template computes it once, and then `DecimalBytes.double` of those bytes, when not nil, is
    /// what `value` gives.
    @_spi(Layers) public static func plainDecimal(in raw: ByteView) -> Range<Int>? {
        let (number, isPercent) = trimmedNumber(raw.buffer)
        return !isPercent && startsLikeNumber(number, in: raw.buffer) ? number : nil
    }

    /// `raw` without the blanks, quotes and brackets around it and without a final percent sign.
    private static func trimmedNumber(_ raw: UnsafeBufferPointer<UInt8>) -> (number: Range<Int>, isPercent: Bool) {
        var lower = 0
        var upper = raw.count
        func isTrimmed(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        }
        while lower < upper, isTrimmed(raw[lower]) { lower += 1 }
        while upper > lower, isTrimmed(raw[upper - 1]) { upper -= 1 }
        let isPercent = upper > lower && raw[upper - 1] == UInt8(ascii: "%")
        return (lower..<(isPercent ? upper - 1 : upper), isPercent)
    }

    private static func startsLikeNumber(_ number: Range<Int>, in raw: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = number.first.map({ raw[$0] }) else { return false }
        return first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || first &- UInt8(ascii: "0") < 10
    }
}
