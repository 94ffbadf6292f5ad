import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// JSON as logs write it: Python's `json.dump` emits `NaN`, `Infinity` and `-Infinity`, which
/// Foundation's strict parser rejects, so they are rewritten to quoted strings first and read back as
/// numbers by `JSONValue.number`. Numbers beyond the range of a Double (`1e999`, which Foundation
/// also rejects) are read as infinities, and the document says which ones were.
@_spi(Layers) public enum LenientJSON {
    /// A parsed document and the number literals that overflowed to ±infinity.
    @_spi(Layers) public struct Document {
        @_spi(Layers) public var root: Any
        var outOfRangeNumbers: [String]

        var outOfRangeEvent: RunEvent? { LenientJSON.outOfRangeEvent(outOfRangeNumbers) }
    }

    /// A warning for the run when numbers overflowed, so the report says where an `inf` came from.
    static func outOfRangeEvent(_ outOfRangeNumbers: [String]) -> RunEvent? {
        guard let first = outOfRangeNumbers.first else { return nil }
        let more = outOfRangeNumbers.count > 1 ? " (and \(outOfRangeNumbers.count - 1) more)" : ""
        return RunEvent(
            kind: .inputDamaged,
            text: "the number \(first.prefix(40))\(more) is beyond the range of a 64-bit float and was read as "
                + (first.hasPrefix("-") ? "-inf" : "inf"),
            line: 0)
    }

    /// The document in `input`, or `LossLensError.invalidJSON` saying why it is not JSON.
    @_spi(Layers) public static func document(of input: LogInput, as format: InputFormat) throws -> Document {
        let data = try input.wholeData()
        do {
            return try document(data)
        } catch {
            throw LossLensError.invalidJSON(source: input.source, format: format, reason: reason(for: error))
        }
    }

    @_spi(Layers) public static func document(_ data: Data) throws -> Document {
        do {
            return Document(root: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]), outOfRangeNumbers: [])
        } catch {
            let (fixed, outOfRange) = quotingNonFiniteTokens(data)
            return Document(
                root: try JSONSerialization.jsonObject(with: fixed, options: [.fragmentsAllowed]), outOfRangeNumbers: outOfRange)
        }
    }

    static let truncatedReason = "the file ends in the middle of the JSON (truncated, or copied while it was being written)"

    /// Foundation's reason in words a user can act on; its wording is not an API, so unknown
    /// reasons are passed through as they are.
    @_spi(Layers) public static func reason(for error: Error) -> String {
        let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        if detail.hasPrefix("Unexpected end of file") { return truncatedReason }
        if detail.hasPrefix("Too many nested arrays or dictionaries") {
            return "it is nested deeper than JSON readers allow (\(detail))"
        }
        return detail
    }

    /// Rewrites bare NaN / Infinity / -Infinity tokens (outside strings) to "NaN" / "Infinity" / "-Infinity",
    /// and numbers that overflow a Double to "Infinity" / "-Infinity"; also returns those numbers.
    static func quotingNonFiniteTokens(_ data: Data) -> (Data, [String]) {
        var output = Data()
        output.reserveCapacity(data.count + 64)
        let bytes = [UInt8](data)
        var index = 0
        var inString = false
        let tokens: [[UInt8]] = [Array("-Infinity".utf8), Array("Infinity".utf8), Array("NaN".utf8)]
        var outOfRange: [String] = []
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
            if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                let end = bytes[index...].firstIndex { !isNumberByte($0) } ?? bytes.count
                let literal = String(decoding: bytes[index..<end], as: UTF8.self)
                if let value = Double(literal), value.isInfinite {
                    outOfRange.append(literal)
                    output.append(contentsOf: Array("\"\(value < 0 ? "-" : "")Infinity\"".utf8))
                } else {
                    output.append(contentsOf: bytes[index..<end])
                }
                index = end
                continue
            }
            output.append(byte)
            index += 1
        }
        return (output, outOfRange)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(byte)
    }

    /// A JSON number, or one of the strings `NaN`, `Infinity`, `-Infinity`, or a numeric string.
    @_spi(Layers) public static func number(_ value: Any) -> Double? {
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
