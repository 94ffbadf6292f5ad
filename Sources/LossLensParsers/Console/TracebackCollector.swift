@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Keeps the lines from the last `Traceback (most recent call last)` on while a log streams by, so
/// `TracebackScanner` can read the crash the log ends with without holding the whole log.
/// Bounded: a traceback is a few dozen lines; past the bounds the rest is not kept.
@_spi(Layers) public struct TracebackCollector {
    static let maximumLines = 2000
    static let maximumBytes = 4 << 20
    private static let marker = Array("Traceback (most recent call last)".utf8)

    private var lines: [LogLine] = []
    private var bytes = 0

    mutating func observe(_ line: ScreenLine) {
        if Self.startsTraceback(line) {
            lines.removeAll(keepingCapacity: true)
            bytes = 0
        } else if lines.isEmpty || isFull {
            return
        }
        lines.append(line.logLine())
        bytes += line.bytes.count
    }

    /// Whether the last screen state of a line opens a traceback.
    static func startsTraceback(_ line: ScreenLine) -> Bool {
        guard let last = line.lastSegment else { return false }
        return line.bytes.withByteView { startsTraceback($0[last]) }
    }

    /// Whether a screen state opens a traceback.
    static func startsTraceback(_ state: ByteView) -> Bool {
        state.starts(with: marker)
    }

    /// A traceback is being kept and no more of it fits.
    private var isFull: Bool { lines.count >= Self.maximumLines || bytes >= Self.maximumBytes }

    @_spi(Layers) public var crash: Crash? { TracebackScanner.crash(in: lines) }

    /// Gives the last run the crash the log ends with, when its traceback comes after the last
    /// record (a traceback between records was survived).
    func attachCrash(to runs: inout [Run], after lastRecordLine: Int) {
        if let crash, crash.line > lastRecordLine, !runs.isEmpty { runs[runs.count - 1].crash = crash }
    }

    /// The crash of a log whose last traceback starts at `start`: the log is read from there until
    /// the kept traceback is full, which gives what observing every line of the log would.
    @_spi(Layers) public static func crash(in content: LogContent, from start: LinePosition) throws -> Crash? {
        var collector = TracebackCollector()
        try LineStream.screenLines(of: content, from: start) { line in
            collector.observe(line)
            return !collector.isFull
        }
        return collector.crash
    }
}
