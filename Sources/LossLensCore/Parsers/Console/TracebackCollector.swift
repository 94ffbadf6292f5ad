/// Keeps the lines from the last `Traceback (most recent call last)` on while a log streams by, so
/// `TracebackScanner` can read the crash the log ends with without holding the whole log.
/// Bounded: a traceback is a few dozen lines; past the bounds the rest is not kept.
struct TracebackCollector {
    static let maximumLines = 2000
    static let maximumBytes = 4 << 20
    private static let marker = Array("Traceback (most recent call last)".utf8)

    private var lines: [LogLine] = []
    private var bytes = 0

    mutating func observe(_ line: ScreenLine) {
        let startsTraceback = line.lastSegment.map { last in
            line.bytes.withUnsafeBufferPointer { all in
                last.count >= Self.marker.count && all[last.lowerBound..<last.lowerBound + Self.marker.count].elementsEqual(Self.marker)
            }
        } ?? false
        if startsTraceback {
            lines.removeAll(keepingCapacity: true)
            bytes = 0
        } else if lines.isEmpty || lines.count >= Self.maximumLines || bytes >= Self.maximumBytes {
            return
        }
        lines.append(line.logLine())
        bytes += line.bytes.count
    }

    var crash: Crash? { TracebackScanner.crash(in: lines) }
}
