import Foundation

/// One physical line of console output, cleaned the way a terminal would show it.
///
/// Progress bars redraw themselves with `\r` (and Keras also with `\b`), so one physical line holds
/// many screen states. `segments` are those states in order, with ANSI escape sequences and
/// backspaces removed and blank states dropped; `text` is the last one, what the terminal showed.
public struct LogLine: Sendable, Hashable {
    /// 1-based line number in the source, used as evidence.
    public var number: Int
    public var segments: [String]
    /// Leading blanks of the line's last screen state before trimming (a tab counts as 8): tracebacks
    /// and wrapped progress bars are told apart by indentation.
    public var indent: Int

    public var text: String { segments.last ?? "" }

    public init(number: Int, segments: [String], indent: Int = 0) {
        self.number = number
        self.segments = segments
        self.indent = indent
    }

    public init(number: Int, text: String) {
        self.init(number: number, segments: [text])
    }

    static func split(_ data: Data) -> [LogLine] {
        var lines: [LogLine] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lineStart = 0
            var number = 1
            for index in 0...bytes.count {
                if index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
                    if index > lineStart || index < bytes.count {
                        let (states, indent) = segments(bytes, lineStart..<index)
                        lines.append(LogLine(number: number, segments: states, indent: indent))
                    }
                    number += 1
                    lineStart = index + 1
                }
            }
        }
        return lines
    }

    /// Splits at `\r`, drops ANSI escapes and backspaces, keeps non-blank states.
    static func segments(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> ([String], Int) {
        var result: [String] = []
        var indent = 0
        var current: [UInt8] = []
        current.reserveCapacity(range.count)
        var index = range.lowerBound
        func flush() {
            if let first = current.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) {
                indent = current[..<first].reduce(0) { $0 + ($1 == UInt8(ascii: "\t") ? 8 : 1) }
                result.append(String(decoding: current, as: UTF8.self).trimmingCharacters(in: .whitespaces))
            }
            current.removeAll(keepingCapacity: true)
        }
        while index < range.upperBound {
            let byte = bytes[index]
            switch byte {
            case 0x0D:
                flush()
            case 0x08:
                break
            case 0x1B:
                index = skipEscape(bytes, from: index, end: range.upperBound)
                continue
            default:
                current.append(byte)
            }
            index += 1
        }
        flush()
        return (result, indent)
    }

    /// Skips an ANSI CSI sequence (`ESC [ params final`) or a two-byte escape; returns the next index.
    private static func skipEscape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        var index = start + 1
        guard index < end else { return index }
        if bytes[index] == UInt8(ascii: "[") {
            index += 1
            while index < end, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
            return min(index + 1, end)
        }
        return index + 1
    }
}
