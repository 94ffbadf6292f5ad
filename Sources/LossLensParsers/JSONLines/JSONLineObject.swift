import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// One line of a JSON-lines log read as a flat object: nested objects are joined with `/`
/// (`{"val": {"loss": 0.3}}` is `val/loss`, W&B's and DVCLive's nesting); lists are left out;
/// media objects (W&B's `{"_type": "image-file", …}`) are left out whole.
struct JSONLineObject {
    var numbers: [(key: String, value: Double)] = []
    var strings: [String: String] = [:]

    /// Nesting deeper than this is not metrics.
    static let deepestFlattening = 3

    /// The object on `line`, nil when the line is not one JSON object (a truncated last line, a
    /// line of text): such lines are skipped, not fatal.
    init?(_ line: ArraySlice<UInt8>) {
        var start = line.startIndex
        while start < line.endIndex, line[start] == 0x20 || line[start] == 0x09 || line[start] == 0xEF || line[start] == 0xBB || line[start] == 0xBF {
            start += 1
        }
        guard start < line.endIndex, line[start] == UInt8(ascii: "{") else { return nil }
        let stream = JSONStream(DataChunkReader(data: Data(line[start...])), chunkSize: max(16, line.count))
        do {
            try self.init(stream)
        } catch {
            return nil
        }
    }

    /// The object a stream holds (a whole document such as `wandb-summary.json`, read as it streams).
    init(_ stream: JSONStream) throws {
        try read(stream, prefix: "", depth: 0)
        try stream.finish()
    }

    /// The object that comes next in a stream: one item of a list of records.
    init(item stream: JSONStream) throws {
        try read(stream, prefix: "", depth: 0)
    }

    /// Each record of an input, with its line (JSON lines) or its position in the list (a JSON list
    /// of records, as Chainer's `LogReport` writes): nil for a line that is not an object. Returns
    /// early when `body` returns false.
    static func forEach(in input: LogInput, _ body: (JSONLineObject?, Int) throws -> Bool) throws {
        guard input.opensJSONList(within: 4096) else {
            try LineStream.screenLines(of: input.content) { line in
                guard !line.bytes.isEmpty else { return true }
                return try body(JSONLineObject(line.bytes[...]), line.number)
            }
            return
        }
        let stream = JSONStream(try input.content.makeReader())
        var position = 0
        var stop = false
        do {
            try stream.forEachItem {
                position += 1
                guard !stop else { return try stream.skipValue() }
                if try stream.peek() == UInt8(ascii: "{") {
                    stop = try !body(JSONLineObject(item: stream), position)
                } else {
                    try stream.skipValue()
                    stop = try !body(nil, position)
                }
            }
        } catch is JSONStream.SyntaxError {
            // A list cut off while it is written (or the sample's end): the records before the cut stand.
        }
    }

    private mutating func read(_ stream: JSONStream, prefix: String, depth: Int) throws {
        var members: [(key: String, value: Double)] = []
        var media = false
        try stream.forEachMember { key in
            let name = prefix.isEmpty ? key : prefix + "/" + key
            if key == "_type" { media = true }
            switch try stream.peek() {
            case UInt8(ascii: "{") where depth < Self.deepestFlattening:
                try read(stream, prefix: name, depth: depth + 1)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try stream.skipValue()
            default:
                switch try stream.readScalar() {
                case let .number(value)?:
                    members.append((name, value))
                case let .string(text)?:
                    if let value = NumberParsing.value(text), !text.isEmpty { members.append((name, value)) }
                    if depth == 0 { strings[key] = text }
                default:
                    break
                }
            }
        }
        if !media { numbers += members }
    }

    func number(_ key: String) -> Double? {
        numbers.first { $0.key == key }?.value
    }
}
