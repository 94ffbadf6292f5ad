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
        var bytes: [UInt8] = []
        var writer = JSONWriter { bytes.append(contentsOf: $0) }
        write(to: &writer, indent: pretty ? 0 : nil)
        writer.flush()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the pretty form followed by a newline, handed to `emit` in pieces of about
    /// `JSONWriter.pieceBytes`: a report of a huge log is megabytes, never held whole.
    public func write(prettyLineTo emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        withoutActuallyEscaping(emit) { emit in
            var writer = JSONWriter(emit: emit)
            write(to: &writer, indent: 0)
            writer.output.append(0x0A)
            writer.flush()
        }
    }

    /// Written as bytes: a report holds tens of thousands of numbers, and appending each piece to a
    /// `String` cost more than formatting it.
    private func write(to writer: inout JSONWriter, indent: Int?) {
        writer.flushWhenFull()
        func newline() { if indent != nil { writer.output.append(0x0A) } }
        func pad(_ level: Int) { writer.output.append(contentsOf: repeatElement(0x20, count: 2 * level)) }
        switch self {
        case let .object(pairs):
            guard !pairs.isEmpty else { writer.output.append(contentsOf: "{}".utf8); return }
            writer.output.append(UInt8(ascii: "{"))
            newline()
            for (index, pair) in pairs.enumerated() {
                if let indent { pad(indent + 1) }
                Self.writeQuoted(pair.0, to: &writer.output)
                writer.output.append(UInt8(ascii: ":"))
                if indent != nil { writer.output.append(0x20) }
                pair.1.write(to: &writer, indent: indent.map { $0 + 1 })
                if index < pairs.count - 1 { writer.output.append(UInt8(ascii: ",")) }
                newline()
            }
            if let indent { pad(indent) }
            writer.output.append(UInt8(ascii: "}"))
        case let .array(items):
            guard !items.isEmpty else { writer.output.append(contentsOf: "[]".utf8); return }
            // Arrays of scalars stay on one line: metric value lists are long.
            let scalars = items.allSatisfy { if case .object = $0 { return false }; if case .array = $0 { return false }; return true }
            if scalars || indent == nil {
                Self.writeList(items, to: &writer) { item, writer in item.write(to: &writer, indent: nil) }
                return
            }
            writer.output.append(UInt8(ascii: "["))
            newline()
            for (index, item) in items.enumerated() {
                pad(indent! + 1)
                item.write(to: &writer, indent: indent! + 1)
                if index < items.count - 1 { writer.output.append(UInt8(ascii: ",")) }
                newline()
            }
            pad(indent!)
            writer.output.append(UInt8(ascii: "]"))
        case let .numbers(values):
            Self.writeList(values, to: &writer) { value, writer in Self.writeNumber(value, to: &writer.output) }
        case let .integers(values):
            Self.writeList(values, to: &writer) { value, writer in
                if let value { Self.writeInteger(value, to: &writer.output) } else { writer.output.append(contentsOf: "null".utf8) }
            }
        case let .string(text):
            Self.writeQuoted(text, to: &writer.output)
        case let .number(value):
            Self.writeNumber(value, to: &writer.output)
        case let .integer(value):
            Self.writeInteger(value, to: &writer.output)
        case let .bool(value):
            writer.output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null:
            writer.output.append(contentsOf: "null".utf8)
        }
    }

    /// `[a, b, c]` on one line, each item written in place.
    private static func writeList<Items: Collection>(
        _ items: Items, to writer: inout JSONWriter, _ writeItem: (Items.Element, inout JSONWriter) -> Void
    ) {
        writer.output.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first {
                writer.output.append(UInt8(ascii: ","))
                writer.output.append(UInt8(ascii: " "))
            }
            first = false
            writeItem(item, &writer)
            writer.flushWhenFull()
        }
        writer.output.append(UInt8(ascii: "]"))
    }

    /// `String(value)`, written digit by digit: steps and lines are most of a report's integers.
    private static func writeInteger(_ value: Int, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            output.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// `format(value)`, written in place.
    private static func writeNumber(_ value: Double, to output: inout [UInt8]) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            writeInteger(Int(value), to: &output)
        } else if !value.isFinite || !ShortestDecimal.append(value, to: &output) {
            output.append(contentsOf: format(value).utf8)
        }
    }

    private static func writeQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(contentsOf: quoted(text).utf8)
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
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

/// Collects a report's bytes and hands them on in pieces.
private struct JSONWriter {
    static let pieceBytes = 64 << 10

    var output: [UInt8] = []
    let emit: (UnsafeBufferPointer<UInt8>) -> Void

    init(emit: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.emit = emit
        output.reserveCapacity(Self.pieceBytes + 4096)
    }

    mutating func flushWhenFull() {
        if output.count >= Self.pieceBytes { flush() }
    }

    mutating func flush() {
        output.withUnsafeBufferPointer(emit)
        output.removeAll(keepingCapacity: true)
    }
}
