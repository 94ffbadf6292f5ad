import Foundation

/// JSON as logs write it: Python's `json.dump` emits `NaN`, `Infinity` and `-Infinity`, which
/// Foundation's strict parser rejects, so they are rewritten to quoted strings first and read back as
/// numbers by `JSONValue.number`.
enum LenientJSON {
    static func parse(_ data: Data) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let fixed = quotingNonFiniteTokens(data)
            return try JSONSerialization.jsonObject(with: fixed, options: [.fragmentsAllowed])
        }
    }

    /// Rewrites bare NaN / Infinity / -Infinity tokens (outside strings) to "NaN" / "Infinity" / "-Infinity".
    static func quotingNonFiniteTokens(_ data: Data) -> Data {
        var output = Data()
        output.reserveCapacity(data.count + 64)
        let bytes = [UInt8](data)
        var index = 0
        var inString = false
        let tokens: [[UInt8]] = [Array("-Infinity".utf8), Array("Infinity".utf8), Array("NaN".utf8)]
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                output.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    output.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = true }
            if let token = tokens.first(where: { bytes[index...].starts(with: $0) }) {
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: token)
                output.append(UInt8(ascii: "\""))
                index += token.count
                continue
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// A JSON number, or one of the strings `NaN`, `Infinity`, `-Infinity`, or a numeric string.
    static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber {
            // `is Bool` also holds for the numbers 0 and 1, so booleans are told apart by their C type.
            if String(cString: number.objCType) == "c" { return nil }
            // Long decimals arrive as NSDecimalNumber, whose doubleValue is off in the last digits;
            // its decimal text is parsed exactly.
            if let decimal = number as? NSDecimalNumber, let exact = Double(decimal.stringValue) { return exact }
            return number.doubleValue
        }
        if let string = value as? String { return NumberParsing.value(string) }
        return nil
    }
}
