import Foundation

/// Lines handed out one at a time on request, for readers that interleave several inputs (the
/// metric files of an MLflow run, merged by step): `LineStream` pushes the lines of one input.
/// Holds one chunk and the line being assembled, so memory does not grow with the input; a line
/// longer than `lineCap` is cut there (the rest of it is skipped).
@_spi(Layers) public final class PullLineReader {
    private let source: any ChunkReader
    private var chunk: [UInt8]
    private var position = 0
    private var end = 0
    private var ended = false
    private let lineCap: Int
    /// 1-based number of the line `next()` returned last.
    @_spi(Layers) public private(set) var lineNumber = 0

    @_spi(Layers) public init(content: LogContent, chunkBytes: Int = 64 << 10, lineCap: Int = LineStream.lineCap) throws {
        source = try content.makeReader()
        chunk = [UInt8](repeating: 0, count: max(1, min(chunkBytes, content.byteCount + 1)))
        self.lineCap = lineCap
    }

    /// The next line without its `\n` (nor a `\r` before it); nil at the end.
    @_spi(Layers) public func next() throws -> [UInt8]? {
        var line: [UInt8] = []
        var sawAny = false
        while true {
            if position == end {
                guard !ended else { return sawAny ? finish(line) : nil }
                end = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                position = 0
                if end == 0 {
                    ended = true
                    continue
                }
            }
            sawAny = true
            if let newline = chunk[position..<end].firstIndex(of: 0x0A) {
                append(chunk[position..<newline], to: &line)
                position = newline + 1
                return finish(line)
            }
            append(chunk[position..<end], to: &line)
            position = end
        }
    }

    private func append(_ bytes: ArraySlice<UInt8>, to line: inout [UInt8]) {
        let room = lineCap - line.count
        if room > 0 { line.append(contentsOf: bytes.prefix(room)) }
    }

    private func finish(_ line: [UInt8]) -> [UInt8] {
        lineNumber += 1
        return line.last == 0x0D ? Array(line.dropLast()) : line
    }
}
