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
            // JSONSerialization gives booleans as NSNumber too. `is Bool` cannot tell them apart: on Linux it is
            // also true for the numbers 0, 1, 0.0 and 1.0. A boolean's objCType is "c" (char).
            return String(cString: number.objCType) == "c" ? nil : number.doubleValue
        }
        if let string = value as? String { return NumberParsing.value(string) }
        return nil
    }
}
