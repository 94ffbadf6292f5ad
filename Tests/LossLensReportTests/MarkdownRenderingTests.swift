import Foundation
import XCTest
@_spi(Layers) @testable import LossLensReport

/// Renders reports through cmark-gfm (GitHub's Markdown engine) to check that tables stay intact and
/// that nothing from a log turns into HTML. Raw HTML is let through (`--unsafe`) so injection would show.
final class MarkdownRenderingTests: XCTestCase {
    private static let allowedTags: Set<String> = [
        "h1", "h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "a", "details",
        "summary", "ol", "ul", "li", "strong", "em",
    ]

    func testHostileNamesStayTextAndKeepTablesIntact() throws {
        let html = try Self.html(MarkdownReport.render(ReportSamples.hostile(), rules: ReportSamples.rules))
        let tables = Self.tables(in: html)
        XCTAssertEqual(tables.count, 5, "summary, metrics, EarlyStopping replay, events, evidence")
        XCTAssertEqual(tables.first, [7, 7], "summary: header and one run, seven cells each")
        for table in tables {
            XCTAssertEqual(Set(table).count, 1, "a row with a different number of cells: \(table)")
        }
        XCTAssertEqual(tables[1], [6, 6, 6, 6], "three metrics, one row each")
        XCTAssertTrue(html.contains("f1|&lt;img src=x onerror=alert(1)&gt;"), "the hostile metric name is shown as text")
        XCTAssertTrue(html.contains("run &lt;b&gt;|1&lt;/b&gt;"), "the hostile run name is shown as text")
        XCTAssertTrue(html.contains("<code>logs/a|b ˋtickˋ &lt;script&gt;alert(1)&lt;/script&gt; red.log</code>"),
                      "the hostile source path is shown as code, without its terminal colours")
        try assertNoInjectedHTML(html)
    }

    func testGoldenSamplesRenderWithTheirTables() throws {
        let overfitting = try Self.html(MarkdownReport.render(try ReportSamples.overfitting(), rules: ReportSamples.rules))
        // summary, metrics, EarlyStopping replay, one evidence table per finding
        XCTAssertEqual(Self.tables(in: overfitting).map(\.count), [2, 5, 4, 4, 2])
        XCTAssertTrue(overfitting.contains("<pre><code class=\"language-mermaid\">"))
        XCTAssertEqual(overfitting.components(separatedBy: "<details>").count - 1, 4, "two fixes, Keras and PyTorch each")
        try assertNoInjectedHTML(overfitting)

        let nanAndCrash = try Self.html(MarkdownReport.render(try ReportSamples.nanAndCrash(), rules: ReportSamples.rules))
        XCTAssertEqual(Self.tables(in: nanAndCrash).first?.count, 3, "summary: header and two runs")
        try assertNoInjectedHTML(nanAndCrash)
    }

    private func assertNoInjectedHTML(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(html.contains("\u{1B}"), "an ANSI escape reached the output", file: file, line: line)
        let tags = try NSRegularExpression(pattern: "<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
        for match in tags.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let name = String(html[Range(match.range(at: 2), in: html)!]).lowercased()
            let closing = match.range(at: 1).length > 0
            let attributes = String(html[Range(match.range(at: 3), in: html)!])
            XCTAssertTrue(Self.allowedTags.contains(name), "unexpected <\(name)\(attributes)>", file: file, line: line)
            if name == "a" && !closing {
                XCTAssertTrue(attributes.range(of: ##"^ (href="#run-\d+"|id="run-\d+")$"##, options: .regularExpression) != nil,
                              "unexpected link <a\(attributes)>", file: file, line: line)
            }
        }
    }

    /// Each table as its rows' cell counts (header row first).
    static func tables(in html: String) -> [[Int]] {
        html.components(separatedBy: "<table>").dropFirst().map { chunk in
            let table = chunk.components(separatedBy: "</table>")[0]
            return table.components(separatedBy: "<tr>").dropFirst().map { row in
                row.components(separatedBy: "<td").count - 1 + row.components(separatedBy: "<th").count - 1
            }
        }
    }

    static func html(_ markdown: String) throws -> String {
        guard let executable = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm", "/opt/homebrew/bin/cmark-gfm"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw XCTSkip("cmark-gfm is not installed (Debian: apt-get install cmark-gfm); the rendering check is skipped")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }
}
