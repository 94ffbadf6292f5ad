import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// The cell texts of the `<table>`s in generated HTML (fastai progress tables, pandas DataFrames),
/// row by row with tags stripped. Enough for machine-written tables; not a general HTML parser.
@_spi(Layers) public enum HTMLTables {
    @_spi(Layers) public static func tables(in html: String) -> [[[String]]] {
        html.components(separatedBy: "<table").dropFirst().map { chunk in
            let body = chunk.components(separatedBy: "</table>").first ?? chunk
            return body.components(separatedBy: "<tr").dropFirst()
                .map { cells(in: $0.components(separatedBy: "</tr>").first ?? $0) }
                .filter { !$0.isEmpty }
        }
    }

    /// The contents of the `<td>`/`<th>` elements of one row.
    @_spi(Layers) public static func cells(in row: String) -> [String] {
        var cells: [String] = []
        var rest = row[...]
        while let open = rest.range(of: "<t") {
            let tag = rest[open.upperBound...]
            guard let kind = tag.first, kind == "d" || kind == "h",
                let after = tag.dropFirst().first, after == ">" || after.isWhitespace,
                let close = tag.firstIndex(of: ">")
            else {
                rest = tag
                continue
            }
            let content = tag[tag.index(after: close)...]
            let end = content.range(of: "</t")?.lowerBound ?? content.endIndex
            cells.append(text(of: content[..<end]))
            rest = content[end...]
        }
        return cells
    }

    private static func text(of html: Substring) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
