import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// What the code cells of a Jupyter notebook printed: the text outputs joined in order (stream
/// text, and `text/plain` of results and displays) and the HTML tables of `text/html` outputs.
@_spi(Layers) public struct NotebookOutputs {
    @_spi(Layers) public var text = ""
    var htmlTables: [[[String]]] = []
    private var lastStream: String?

    /// Nil when the parsed JSON is not a notebook (no `cells` list).
    @_spi(Layers) public init?(root: Any) {
        guard let root = root as? [String: Any], let cells = root["cells"] as? [[String: Any]] else { return nil }
        for cell in cells where (cell["cell_type"] as? String) == "code" {
            for output in cell["outputs"] as? [[String: Any]] ?? [] {
                add(output)
            }
            endLine()
            lastStream = nil
        }
    }

    private mutating func add(_ output: [String: Any]) {
        switch output["output_type"] as? String {
        case "stream":
            // Chunks of one stream may split a line and are joined as printed; stdout and stderr
            // (a tqdm bar) are separate streams, so a switch between them ends the line.
            let name = output["name"] as? String
            if name != lastStream { endLine() }
            lastStream = name
            text += Self.joined(output["text"])
        case "execute_result", "display_data":
            let data = output["data"] as? [String: Any] ?? [:]
            if let html = data["text/html"] {
                htmlTables += HTMLTables.tables(in: Self.joined(html))
            }
            lastStream = nil
            if let plain = data["text/plain"] {
                endLine()
                text += Self.joined(plain)
                endLine()
            }
        default:
            break
        }
    }

    private mutating func endLine() {
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
    }

    /// nbformat stores multi-line text as a string or as a list of strings.
    @_spi(Layers) public static func joined(_ value: Any?) -> String {
        if let string = value as? String { return string }
        return (value as? [Any])?.compactMap { $0 as? String }.joined() ?? ""
    }
}
