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
