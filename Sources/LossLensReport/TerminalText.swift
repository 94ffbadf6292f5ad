@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Text laid out for a terminal: words wrapped at its width with a hanging indent, counts that read
/// naturally. Colour escapes (`ESC [ … m`) take no columns.
@_spi(Layers) public enum TerminalText {
    /// `line` wrapped at `width` columns; continuation lines start with `hangingIndent` spaces.
    /// Words longer than a line are cut. A line that fits is returned as it is.
    @_spi(Layers) public static func wrap(_ line: String, width: Int, hangingIndent: Int) -> [String] {
        let width = max(width, hangingIndent + 20)
        guard visibleWidth(line) > width else { return [line] }
        let leading = String(line.prefix { $0 == " " })
        let words = line.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let indent = String(repeating: " ", count: hangingIndent)
        var lines: [String] = []
        var current = leading
        var currentWidth = leading.count
        var lineHasWord = false
        for word in words {
            var word = word
            var wordWidth = visibleWidth(word)
            if lineHasWord && currentWidth + 1 + wordWidth > width {
                lines.append(current)
                current = indent
                currentWidth = hangingIndent
                lineHasWord = false
            }
            // A word wider than a whole line (a long path) is cut where the line ends.
            while currentWidth + (lineHasWord ? 1 : 0) + wordWidth > width, wordWidth > width - hangingIndent {
                let room = width - currentWidth - (lineHasWord ? 1 : 0)
                guard room > 0 else {
                    lines.append(current)
                    current = indent
                    currentWidth = hangingIndent
                    lineHasWord = false
                    continue
                }
                let (head, tail) = split(word, atColumn: room)
                current += (lineHasWord ? " " : "") + head
                lines.append(current)
                current = indent
                currentWidth = hangingIndent
                lineHasWord = false
                word = tail
                wordWidth = visibleWidth(word)
            }
            current += (lineHasWord ? " " : "") + word
            currentWidth += (lineHasWord ? 1 : 0) + wordWidth
            lineHasWord = true
        }
        lines.append(current)
        return lines
    }

    /// Columns the text takes on a terminal: escape sequences take none.
    @_spi(Layers) public static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            // Combining marks and zero-width characters take no column; East Asian wide ones take two.
            if scalar.properties.generalCategory == .nonspacingMark || scalar.value == 0x200B { continue }
            width += isWide(scalar) ? 2 : 1
        }
        return width
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF,
             0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The word cut so that its head takes at most `column` columns (escapes go with the head).
    private static func split(_ word: String, atColumn column: Int) -> (String, String) {
        var head = ""
        var width = 0
        var index = word.startIndex
        while index < word.endIndex {
            let character = word[index]
            let characterWidth = visibleWidth(String(character))
            if width + characterWidth > column && width > 0 { break }
            head.append(character)
            width += characterWidth
            index = word.index(after: index)
        }
        return (head, String(word[index...]))
    }

    /// "1 run", "2 runs", "no errors": a count with its noun.
    @_spi(Layers) public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// How a source is named to a person: standard input is `<stdin>`.
    @_spi(Layers) public static func sourceName(_ source: String) -> String {
        source == "-" ? "<stdin>" : source
    }
}
