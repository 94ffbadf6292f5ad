/// The human report (`--format markdown`, the default).
public enum MarkdownReport {
    public static func render(_ report: AnalysisReport) -> String {
        var lines: [String] = ["# losslens report", ""]
        lines.append("| Source | Run | Dialect | Epochs | Findings |")
        lines.append("| --- | --- | --- | --- | --- |")
        for analyzed in report.runs {
            let run = analyzed.run
            lines.append("| \(Markdown.cell(run.source)) | \(Markdown.cell(run.name)) | \(run.format.rawValue) | \(run.epochCount) | \(analyzed.findings.count) |")
        }
        for failure in report.errors {
            lines.append("")
            lines.append("- **Could not read** `\(Markdown.code(failure.source))`: \(Markdown.text(failure.message))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Escaping for text that comes from a log, so it cannot break a table or inject HTML.
public enum Markdown {
    /// Text inside a table cell: pipes, HTML and newlines are escaped.
    public static func cell(_ text: String) -> String {
        self.text(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Running text: HTML and Markdown control characters are escaped; ANSI escapes are dropped.
    public static func text(_ text: String) -> String {
        var result = ""
        for character in stripANSI(text) {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|": result += "\\\(character)"
            default: result.append(character)
            }
        }
        return result
    }

    /// Text for an inline code span: backticks cannot close it early.
    public static func code(_ text: String) -> String {
        stripANSI(text).replacingOccurrences(of: "`", with: "ˋ").replacingOccurrences(of: "\n", with: " ")
    }

    public static func stripANSI(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\u{1B}" {
                guard let next = iterator.next() else { break }
                if next == "[" {
                    while let inner = iterator.next(), !(0x40...0x7E).contains(inner.value) {}
                }
                continue
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
