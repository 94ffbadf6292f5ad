/// Keeps text from logs from acting as GitHub Actions workflow commands.
///
/// The Actions runner reads every line a step prints, on standard output and on standard error
/// alike (its ScriptHandler gives both streams to one ActionCommandManager), and acts on:
/// - a line that starts with `::` once leading white space is trimmed (`::add-mask::…`,
///   `::error file=…::…`, `::stop-commands::…`), command names compared without case;
/// - `##[` anywhere in a line (the older syntax: `##[error]…`), which the log view also styles.
/// Between `::stop-commands::TOKEN` and a line `::TOKEN::` it acts on nothing but that line, and
/// a token nobody can guess cannot be ended early by the text inside.
///
/// The runner reads the two streams on two threads and, of what both have queued, handles the
/// standard error lines first, so a stop window on one stream says nothing certain about lines
/// of the other. So every line losslens writes under Actions is made harmless by construction
/// as well (`inertLines`, `neutralized`), and at most one stream of a process carries a window.
public struct WorkflowCommandFence: Sendable {
    public let token: String

    public init(token: String = WorkflowCommandFence.randomToken()) {
        self.token = token
    }

    /// 128 random bits in hex: a command name the runner accepts and no log can know.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The line that stops command processing until `closing`.
    public var opening: String { "::stop-commands::\(token)\n" }
    public var closing: String { "::\(token)::\n" }

    /// The older syntax's prefix, which the runner finds anywhere in a line.
    public static let legacyPrefix = "##["

    /// How `##[` is written so that the runner does not see it, in a form each format reads back as
    /// `##[`: a JSON escape, an XML character reference; in text a word joiner (U+2060, invisible)
    /// splits it.
    public enum Syntax: Sendable { case json, xml, text }

    public static func neutralized(for syntax: Syntax) -> String {
        switch syntax {
        case .json: return "##\\u005b"
        case .xml: return "##&#91;"
        case .text: return "##\u{2060}["
        }
    }

    /// Text whose lines cannot start with `::`, not even after white space: such a line gets an
    /// invisible word joiner (U+2060, which the runner does not trim) before it, or in XML the
    /// character reference of its first colon.
    public static func inertLines(_ text: String, syntax: Syntax = .text) -> String {
        guard text.contains("::") else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices {
            let line = lines[index]
            // The runner trims what .NET calls white space, no-break and other Unicode spaces too.
            let indent = line.prefix { $0.isWhitespace }
            guard line.dropFirst(indent.count).hasPrefix("::") else { continue }
            let rest = line.dropFirst(indent.count)
            lines[index] = indent + (syntax == .xml ? "&#58;" + rest.dropFirst() : "\u{2060}" + rest)
        }
        return lines.joined(separator: "\n")
    }
}
