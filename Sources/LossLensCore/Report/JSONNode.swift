import Foundation

/// A JSON value with ordered object keys, so reports read in a stable, documented order and
/// non-finite numbers can be written as the strings "NaN", "Infinity", "-Infinity".
public indirect enum JSONNode: Equatable {
    case object([(String, JSONNode)])
    case array([JSONNode])
    /// A list of numbers (metric values): held flat, since a reduced series has tens of thousands.
    case numbers([Double])
    /// A list of integers or nulls (epochs, steps, lines), held flat like `numbers`.
    case integers([Int?])
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null

    public static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    static func optional(_ value: Int?) -> JSONNode { value.map(JSONNode.integer) ?? .null }
    static func optional(_ value: Double?) -> JSONNode { value.map(JSONNode.number) ?? .null }
    static func optional(_ value: String?) -> JSONNode { value.map(JSONNode.string) ?? .null }

    public func serialized(pretty: Bool = true) -> String {
        var output = ""
        write(to: &output, indent: pretty ? 0 : nil)
        return output
    }

    private func write(to output: inout String, indent: Int?) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (level: Int) in String(repeating: "  ", count: level) }
        switch self {
        case let .object(pairs):
            guard !pairs.isEmpty else { output += "{}"; return }
            output += "{" + newline
            for (index, pair) in pairs.enumerated() {
                if let indent { output += pad(indent + 1) }
                output += JSONNode.quoted(pair.0) + (indent == nil ? ":" : ": ")
                pair.1.write(to: &output, indent: indent.map { $0 + 1 })
                output += (index < pairs.count - 1 ? "," : "") + newline
            }
            if let indent { output += pad(indent) }
            output += "}"
        case let .array(items):
            guard !items.isEmpty else { output += "[]"; return }
            // Arrays of scalars stay on one line: metric value lists are long.
            let scalars = items.allSatisfy { if case .object = $0 { return false }; if case .array = $0 { return false }; return true }
            if scalars || indent == nil {
                Self.writeList(items, to: &output) { item, output in item.write(to: &output, indent: nil) }
                return
            }
            output += "[" + newline
            for (index, item) in items.enumerated() {
                output += pad(indent! + 1)
                item.write(to: &output, indent: indent! + 1)
                output += (index < items.count - 1 ? "," : "") + newline
            }
            output += pad(indent!) + "]"
        case let .numbers(values):
            Self.writeList(values, to: &output) { value, output in output += JSONNode.format(value) }
        case let .integers(values):
            Self.writeList(values, to: &output) { value, output in output += value.map { String($0) } ?? "null" }
        case let .string(text):
            output += JSONNode.quoted(text)
        case let .number(value):
            output += JSONNode.format(value)
        case let .integer(value):
            output += String(value)
        case let .bool(value):
            output += value ? "true" : "false"
        case .null:
            output += "null"
        }
    }

    /// `[a, b, c]` on one line, each item written in place.
    private static func writeList<Items: Collection>(
        _ items: Items, to output: inout String, _ writeItem: (Items.Element, inout String) -> Void
    ) {
        output += "["
        var first = true
        for item in items {
            if !first { output += ", " }
            first = false
            writeItem(item, &output)
        }
        output += "]"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
