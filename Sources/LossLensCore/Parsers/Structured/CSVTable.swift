/// Delimited text split into rows of fields per RFC 4180: quoted fields may hold the delimiter,
/// doubled quotes and line breaks. The delimiter (comma, semicolon or tab) is the one the header
/// line uses most.
struct CSVTable {
    struct Row {
        var fields: [String]
        /// 1-based physical line the row starts on.
        var line: Int
    }

    let delimiter: Character
    let rows: [Row]

    static let candidateDelimiters: [Character] = [",", ";", "\t"]

    /// `stopAfter` ends the reading at the first row it accepts (that row included), for a caller
    /// that needs only the first rows of a long text.
    init(text: String, stopAfter: ((Row) -> Bool)? = nil) {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        delimiter = Self.delimiter(ofHeader: body.prefix { $0 != "\n" && $0 != "\r\n" })
        rows = Self.rows(of: body, delimiter: delimiter, stopAfter: stopAfter)
    }

    static func delimiter(ofHeader header: Substring) -> Character {
        var counts: [Character: Int] = [:]
        var quoted = false
        for character in header {
            if character == "\"" { quoted.toggle() }
            if !quoted, candidateDelimiters.contains(character) { counts[character, default: 0] += 1 }
        }
        return candidateDelimiters.max { counts[$0, default: 0] < counts[$1, default: 0] } ?? ","
    }

    /// Blank lines are left out; a quote opened and never closed runs to the end of the text.
    private static func rows(of text: Substring, delimiter: Character, stopAfter: ((Row) -> Bool)?) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldWasQuoted = false
        var line = 1
        var rowStart = 1
        var iterator = text.makeIterator()
        var pending: Character?
        var stopped = false

        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                rows.append(Row(fields: fields, line: rowStart))
                if let stopAfter, stopAfter(rows[rows.count - 1]) { stopped = true }
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    if character == "\n" || character == "\r\n" || character == "\r" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.allSatisfy(\.isWhitespace):
                field = ""
                quoted = true
                fieldWasQuoted = true
            case delimiter:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\n", "\r\n", "\r":
                endRow()
                if stopped { return rows }
                line += 1
                rowStart = line
            default:
                field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
