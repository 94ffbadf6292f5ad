import Foundation

/// One physical line cleaned the way a terminal shows it, on bytes: the byte form of `LogLine`,
/// reused from line to line so reading a log allocates nothing per line.
///
/// The line is split at `\r` into screen states (`segments`: byte ranges into `bytes`, trimmed,
/// blank states dropped); ANSI escape sequences and backspaces are removed and invalid UTF-8 is
/// replaced by U+FFFD, as `String(decoding:)` would. Lines without such bytes are copied as they are.
@_spi(Layers) public struct ScreenLine {
    @_spi(Layers) public var number = 0
    /// Where the line starts in the input, in bytes.
    @_spi(Layers) public var offset = 0
    /// More of this physical line follows (see `RawLine.continues`).
    @_spi(Layers) public var continues = false
    @_spi(Layers) public private(set) var bytes: [UInt8] = []
    @_spi(Layers) public private(set) var segments: [Range<Int>] = []
    /// Leading blanks of the last screen state (a tab counts as 8), as in `LogLine`.
    @_spi(Layers) public private(set) var indent = 0
    /// How many screen states the line has: `segments` holds them all, or only the last when the
    /// line was loaded with `loadLastState`.
    @_spi(Layers) public private(set) var stateCount = 0

    @_spi(Layers) public init() {
        bytes.reserveCapacity(4096)
        segments.reserveCapacity(16)
    }

    /// A screen line holding the states of a `LogLine` (notebook outputs come as text).
    @_spi(Layers) public init(_ line: LogLine) {
        number = line.number
        indent = line.indent
        for text in line.segments {
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            segments.append(start..<bytes.count)
        }
    }

    @_spi(Layers) public mutating func load(_ raw: RawLine) {
        start(raw)
        if TerminalBytes.needsCleaning(raw.bytes.buffer) {
            TerminalBytes.appendCleaned(raw.bytes.buffer, to: &bytes)
        } else {
            bytes.append(contentsOf: raw.bytes.buffer)
        }
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            while start <= all.count {
                var end = all.count
                if start < all.count, let found = memchr(all.baseAddress! + start, 0x0D, all.count - start) {
                    end = all.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                if let (state, blanks) = TerminalBytes.trimmedState(all, start..<end) {
                    segments.append(state)
                    indent = blanks
                }
                start = end + 1
            }
        }
        stateCount = segments.count
    }

    /// Loads only the last screen state of a line whose states `redrawn` holds (what choosing a
    /// dialect looks at), without cleaning the thousands of redraws before it.
    @_spi(Layers) public mutating func loadLastState(of redrawn: inout RedrawnStates, _ raw: RawLine) {
        start(raw)
        stateCount = redrawn.count
        guard redrawn.count > 0 else { return }
        redrawn.withState(redrawn.count - 1) { bytes.append(contentsOf: $0.buffer) }
        // The state is trimmed already; its indent is that of its cleaned form.
        indent = redrawn.indentOfLastState()
        segments.append(0..<bytes.count)
    }

    /// Empties the line for `raw`, keeping its room.
    private mutating func start(_ raw: RawLine) {
        number = raw.number
        offset = raw.offset
        continues = raw.continues
        bytes.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
        indent = 0
    }

    @_spi(Layers) public var lastSegment: Range<Int>? { segments.last }

    /// Whether a line is one screen state as it stands (no escape, backspace, carriage return or
    /// non-ASCII byte), so it can be read in place without being loaded.
    @_spi(Layers) public static func isPlain(_ line: ByteView) -> Bool {
        let bytes = line.buffer
        guard let base = bytes.baseAddress else { return true }
        return !TerminalBytes.needsCleaning(bytes) && memchr(base, 0x0D, bytes.count) == nil
    }

    /// Appends a space and the last screen state of `line` to the last screen state (an indented
    /// continuation of a wrapped bar).
    @_spi(Layers) public mutating func appendToLastSegment(lastSegmentOf line: ScreenLine) {
        guard let last = segments.last, let text = line.segments.last else { return }
        bytes.removeSubrange(last.upperBound...)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: line.bytes[text])
        segments[segments.count - 1] = last.lowerBound..<bytes.count
    }

    @_spi(Layers) public func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    @_spi(Layers) public func logLine() -> LogLine {
        LogLine(number: number, segments: segments.map(string), indent: indent)
    }
}
