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
}
