import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

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

    @_spi(Layers) public static func optional(_ value: Int?) -> JSONNode { value.map(JSONNode.integer) ?? .null }
    @_spi(Layers) public static func optional(_ value: Double?) -> JSONNode { value.map(JSONNode.number) ?? .null }
    @_spi(Layers) public static func optional(_ value: String?) -> JSONNode { value.map(JSONNode.string) ?? .null }

    public func serialized(pretty: Bool = true) -> String {
        var bytes: [UInt8] = []
        withoutActuallyEscaping({ bytes.append(contentsOf: $0) }) { emit in
            var writer = ByteWriter(emit: emit)
            write(to: &writer, indent: pretty ? 0 : nil)
            writer.flush()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the pretty form followed by a newline, handed to `emit` in pieces of about
    /// `ByteWriter.pieceBytes`: a report of a huge log is megabytes, never held whole.
    @_spi(Layers) public func write(prettyLineTo emit: (ByteView) -> Void) {
        withoutActuallyEscaping(emit) { emit in
            var writer = ByteWriter(emit: emit)
            write(to: &writer, indent: 0)
            writer.append(0x0A)
            writer.flush()
        }
    }

    /// Written as bytes: a report holds tens of thousands of numbers, and appending each piece to a
    /// `String` cost more than formatting it.
    private func write(to writer: inout ByteWriter, indent: Int?) {
        writer.flushWhenFull()
        func newline() { if indent != nil { writer.append(0x0A) } }
        func pad(_ level: Int) { for _ in 0..<(2 * level) { writer.append(0x20) } }
        switch self {
        case let .object(pairs):
            guard !pairs.isEmpty else { writer.append(text: "{}"); return }
            writer.append(UInt8(ascii: "{"))
            newline()
            for (index, pair) in pairs.enumerated() {
                if let indent { pad(indent + 1) }
                Self.writeQuoted(pair.0, to: &writer)
                writer.append(UInt8(ascii: ":"))
                if indent != nil { writer.append(0x20) }
                pair.1.write(to: &writer, indent: indent.map { $0 + 1 })
                if index < pairs.count - 1 { writer.append(UInt8(ascii: ",")) }
                newline()
            }
            if let indent { pad(indent) }
            writer.append(UInt8(ascii: "}"))
        case let .array(items):
            guard !items.isEmpty else { writer.append(text: "[]"); return }
            // Arrays of scalars stay on one line: metric value lists are long.
            let scalars = items.allSatisfy { if case .object = $0 { return false }; if case .array = $0 { return false }; return true }
            if scalars || indent == nil {
                Self.writeList(items, to: &writer) { item, writer in item.write(to: &writer, indent: nil) }
                return
            }
            writer.append(UInt8(ascii: "["))
            newline()
            for (index, item) in items.enumerated() {
                pad(indent! + 1)
                item.write(to: &writer, indent: indent! + 1)
                if index < items.count - 1 { writer.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(indent!)
            writer.append(UInt8(ascii: "]"))
        case let .numbers(values):
            Self.writeList(values, to: &writer) { value, writer in Self.writeNumber(value, to: &writer) }
        case let .integers(values):
            Self.writeList(values, to: &writer) { value, writer in
                if let value { writer.append(integer: value) } else { writer.append(text: "null") }
            }
        case let .string(text):
            Self.writeQuoted(text, to: &writer)
        case let .number(value):
            Self.writeNumber(value, to: &writer)
        case let .integer(value):
            writer.append(integer: value)
        case let .bool(value):
            writer.append(text: value ? "true" : "false")
        case .null:
            writer.append(text: "null")
        }
    }

    /// `[a, b, c]` on one line, each item written in place.
    private static func writeList<Items: Collection>(
        _ items: Items, to writer: inout ByteWriter, _ writeItem: (Items.Element, inout ByteWriter) -> Void
    ) {
        writer.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first {
                writer.append(UInt8(ascii: ","))
                writer.append(UInt8(ascii: " "))
            }
            first = false
            writeItem(item, &writer)
            writer.flushWhenFull()
        }
        writer.append(UInt8(ascii: "]"))
    }

    /// `format(value)`, written in place.
    private static func writeNumber(_ value: Double, to writer: inout ByteWriter) {
        // `format`'s test for a whole number, without its call to `rounded()`: below 1e15 a double
        // is whole exactly when converting it to an integer and back gives it again.
        if value.magnitude < 1e15, case let whole = Int(value), Double(whole) == value {
            writer.append(integer: whole)
        } else if !value.isFinite || !writer.append(shortest: value) {
            writer.append(text: format(value))
        }
    }

    private static func writeQuoted(_ text: String, to writer: inout ByteWriter) {
        // Most texts (keys, names, paths) need no escape: their bytes go in as they are.
        let plain = text.withByteView { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) else { return false }
            writer.append(0x22)
            writer.append(bytes)
            writer.append(0x22)
            return true
        }
        if !plain { writer.append(text: quoted(text)) }
    }

    @_spi(Layers) public static func format(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    @_spi(Layers) public static func quoted(_ text: String) -> String {
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
