/// The one sanitizer for text from a log that a person reads, wherever it goes: the Markdown and
/// text reports, messages and warnings on standard error, `watch` alerts, annotation messages. It
/// removes ANSI escape sequences, other C0 and C1 control characters (BEL, the one-byte CSI and
/// OSC) and bidirectional overrides, so a log can neither repaint a terminal nor make text read
/// differently from what it is. Tabs become spaces.
///
/// Machine-facing text is escaped instead, never altered: JSON strings, and the properties of an
/// annotation (its `file=` must name the file as it is).
public enum HumanText {
    /// Text on one line: line breaks become spaces.
    public static func line(_ text: String) -> String {
        printable(text).replacingOccurrences(of: "\n", with: " ")
    }

    /// Text that may keep its line breaks (`\r\n` and `\r` become `\n`), or drop them.
    public static func printable(_ text: String, keepingLineBreaks: Bool = true) -> String {
        var result = ""
        for scalar in stripANSI(text).unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D: if keepingLineBreaks { result.unicodeScalars.append(scalar) }
            case 0x09: result += " "
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Removes ESC sequences: CSI (`ESC [` … final byte) and OSC (`ESC ]` … BEL or `ESC \`) whole,
    /// any other escape with the character after it.
    public static func stripANSI(_ text: String) -> String {
        guard text.utf8.contains(0x1B) else { return text }
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\u{1B}" {
                guard let next = iterator.next() else { break }
                if next == "[" {
                    while let inner = iterator.next(), !(0x40...0x7E).contains(inner.value) {}
                } else if next == "]" {
                    // OSC (terminal titles, hyperlinks) runs to BEL or ESC \.
                    while let inner = iterator.next(), inner != "\u{07}" {
                        if inner == "\u{1B}" { _ = iterator.next(); break }
                    }
                }
                continue
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
