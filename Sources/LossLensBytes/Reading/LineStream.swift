import Foundation

/// A physical line of an input as raw bytes (without its `\n`), valid only during the callback.
@_spi(Layers) public struct RawLine {
    @_spi(Layers) public var bytes: ByteView
    /// 1-based line number.
    @_spi(Layers) public var number: Int
    /// Where the line (or the piece) starts in the input, in bytes.
    @_spi(Layers) public var offset: Int
    /// More of the same physical line follows: a line longer than `LineStream.lineCap` that holds
    /// `\r` redraws is handed over in pieces cut at a `\r`, so no screen state is lost.
    @_spi(Layers) public var continues: Bool

    @_spi(Layers) public init(bytes: ByteView, number: Int, offset: Int, continues: Bool) {
        self.bytes = bytes
        self.number = number
        self.offset = offset
        self.continues = continues
    }

    init(bytes: UnsafeBufferPointer<UInt8>, number: Int, offset: Int, continues: Bool) {
        self.init(bytes: ByteView(bytes), number: number, offset: offset, continues: continues)
    }
}

/// Where a line starts: its byte offset in the input and its 1-based number.
@_spi(Layers) public struct LinePosition: Equatable {
    @_spi(Layers) public var offset: Int
    @_spi(Layers) public var number: Int

    @_spi(Layers) public init(offset: Int, number: Int) {
        self.offset = offset
        self.number = number
    }

    @_spi(Layers) public static let start = LinePosition(offset: 0, number: 1)
}

/// Splits an input into lines while reading it a chunk at a time, so memory does not grow with the
/// file size.
///
/// A line longer than `lineCap` is handed over in pieces cut at `\r` (a progress bar that redraws
/// itself thousands of times on one line); a line that long without any `\r` (a binary blob, a
/// gigabyte without a newline) is cut at the cap, the rest up to the next `\n` is skipped, and the
/// cut is counted in `Summary.truncatedLines`.
@_spi(Layers) public enum LineStream {
    @_spi(Layers) public static let chunkSize = 1 << 20
    @_spi(Layers) public static let lineCap = 1 << 20

    @_spi(Layers) public struct Summary {
        @_spi(Layers) public var lines = 0
        var truncatedLines = 0
    }

    /// Calls `body` for every line from `start` on until it returns false.
    @discardableResult
    @_spi(Layers) public static func rawLines(
        of content: LogContent, from start: LinePosition = .start, chunkSize: Int = chunkSize, lineCap: Int = lineCap,
        _ body: (RawLine) throws -> Bool
    ) throws -> Summary {
        let reader = try content.makeReader(from: start.offset)
        // Content in memory (a sample of the log) fits whole: a fresh buffer costs the pages it spans.
        let capacity = content.isInMemory ? Swift.min(chunkSize + lineCap, Swift.max(1, content.byteCount - start.offset + 1)) : chunkSize + lineCap
        let memory = LargeBuffer.allocate(byteCount: capacity, willBeFilled: content.byteCount - start.offset >= capacity)
        defer { LargeBuffer.release(memory) }
        let buffer = memory.bindMemory(to: UInt8.self, capacity: capacity)
        var summary = Summary()
        var filled = 0, lineStart = 0, scanFrom = 0, number = start.number
        // The input offset of `buffer[0]`.
        var bufferOffset = start.offset
        var skippingCutLine = false
        var ended = false
        func emit(_ range: Range<Int>, continues: Bool) throws -> Bool {
            let line = RawLine(bytes: UnsafeBufferPointer(start: buffer + range.lowerBound, count: range.count),
                               number: number, offset: bufferOffset + range.lowerBound, continues: continues)
            return try body(line)
        }
        while true {
            if !ended, filled < capacity {
                let count = try reader.read(into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
                if count == 0 { ended = true } else { filled += count }
            }
            while scanFrom < filled, let found = memchr(buffer + scanFrom, 0x0A, filled - scanFrom) {
                let end = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if skippingCutLine {
                    skippingCutLine = false
                } else {
                    summary.lines += 1
                    guard try emit(lineStart..<end, continues: false) else { return summary }
                }
                number += 1
                lineStart = end + 1
                scanFrom = lineStart
            }
            scanFrom = filled
            if ended {
                if !skippingCutLine, filled > lineStart {
                    summary.lines += 1
                    _ = try emit(lineStart..<filled, continues: false)
                }
                return summary
            }
            if skippingCutLine {
                lineStart = filled
            } else if filled - lineStart >= lineCap {
                let pending = UnsafeBufferPointer(start: buffer, count: filled)
                if let cut = pending.lastIndex(of: 0x0D, in: lineStart + 1..<filled) {
                    guard try emit(lineStart..<cut, continues: true) else { return summary }
                    lineStart = cut
                } else {
                    summary.lines += 1
                    summary.truncatedLines += 1
                    guard try emit(lineStart..<lineStart + lineCap, continues: false) else { return summary }
                    skippingCutLine = true
                    lineStart = filled
                }
            }
            if lineStart > 0 {
                memmove(buffer, buffer + lineStart, filled - lineStart)
                bufferOffset += lineStart
                filled -= lineStart
                scanFrom -= lineStart
                lineStart = 0
            }
        }
    }

    /// Like `rawLines`, with each line cleaned into screen states (see `ScreenLine`). The line
    /// passed to `body` is reused for the next line.
    @discardableResult
    @_spi(Layers) public static func screenLines(
        of content: LogContent, from start: LinePosition = .start, chunkSize: Int = chunkSize, lineCap: Int = lineCap,
        _ body: (ScreenLine) throws -> Bool
    ) throws -> Summary {
        var screen = ScreenLine()
        return try rawLines(of: content, from: start, chunkSize: chunkSize, lineCap: lineCap) { raw in
            screen.load(raw)
            return try body(screen)
        }
    }
}
