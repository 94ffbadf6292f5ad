@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// Escaping for text that comes from a log (metric names, run names, paths, exception messages), so it
/// cannot break a table, open a code block, inject HTML or smuggle terminal escapes into the report.
public enum Markdown {
    /// Running text on one line: HTML and Markdown punctuation are escaped, control characters dropped,
    /// line breaks folded into spaces (a log line must not start a heading or list of its own).
    public static func text(_ text: String) -> String {
        let characters = Array(printable(text))
        var result = ""
        for (index, character) in characters.enumerated() {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\n", "\r\n", "\r": result += " "
            // Inside a word (`val_loss`) an underscore cannot start or end emphasis: left as it is,
            // names stay readable in the raw Markdown a terminal shows.
            case "_" where index > 0 && index + 1 < characters.count
                && characters[index - 1].isLetterOrDigit && characters[index + 1].isLetterOrDigit:
                result.append(character)
            // Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the
            // ones that start emphasis, links, code, headings, tables, strikethrough or GitHub math.
            case "\\", "`", "*", "_", "[", "]", "#", "|", "~", "$": result += "\\\(character)"
            default: result.append(character)
            }
        }
        return result
    }

    /// Running text that starts a line of its own: like `text`, and a leading `-`, `+`, `=` or `1.`
    /// cannot turn the line into a list or a heading underline, nor leading spaces into code.
    public static func paragraph(_ text: String) -> String {
        var escaped = self.text(text)
        while escaped.first == " " { escaped.removeFirst() }
        if let first = escaped.first, "-+=".contains(first) { return "\\" + escaped }
        let digits = escaped.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let marker = escaped.dropFirst(digits.count).first, marker == "." || marker == ")" {
            return digits + "\\" + escaped.dropFirst(digits.count)
        }
        return escaped
    }

    /// Text inside a table cell. `text` already escapes the pipe that would end the cell.
    public static func cell(_ text: String) -> String {
        self.text(text)
    }

    /// Text for an inline code span on one line: a backtick cannot close it early.
    public static func code(_ text: String) -> String {
        let cleaned = printable(text).replacingOccurrences(of: "`", with: "ˋ")
            .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        return cleaned.isEmpty ? " " : cleaned
    }

    /// An inline code span inside a table cell: GitHub splits cells at pipes even inside code spans,
    /// unless they are escaped.
    public static func codeCell(_ text: String) -> String {
        code(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// A fenced code block whose fence is longer than any backtick run in the text, so the text
    /// cannot close it.
    public static func fenced(_ text: String, language: String = "") -> [String] {
        let body = printable(text, keepingLineBreaks: true)
        var longestRun = 0
        var run = 0
        for character in body {
            run = character == "`" ? run + 1 : 0
            longestRun = max(longestRun, run)
        }
        let fence = String(repeating: "`", count: max(3, longestRun + 1))
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return [fence + language] + lines + [fence]
    }

    /// Text inside raw HTML (a `<summary>`): only the HTML specials matter there.
    public static func html(_ text: String) -> String {
        var result = ""
        for character in printable(text) {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "\n", "\r\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }

    /// See `HumanText.printable`: Markdown, terminal text and annotations strip the same characters.
    public static func printable(_ text: String, keepingLineBreaks: Bool = true) -> String {
        HumanText.printable(text, keepingLineBreaks: keepingLineBreaks)
    }

    public static func stripANSI(_ text: String) -> String {
        HumanText.stripANSI(text)
    }
}

extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
}
