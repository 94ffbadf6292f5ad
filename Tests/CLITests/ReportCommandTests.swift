import Foundation
import XCTest

/// Runs the built `losslens` binary: the report commands as a user calls them.
final class ReportCommandTests: XCTestCase {
    private static let kerasLog = (1...8).map { epoch -> String in
        let loss = 1.0 / Double(epoch)
        let validation = [0.9, 0.7, 0.6, 0.65, 0.7, 0.72, 0.75, 0.8][epoch - 1]
        return "Epoch \(epoch)/8\n5/5 - 0s - loss: \(loss) - val_loss: \(validation)"
    }.joined(separator: "\n") + "\n"

    func testAnalyzeWritesTheMarkdownReportWithChartAndReplay() throws {
        let log = try temporaryLog(Self.kerasLog)
        let result = try CLIRunner.run(["analyze", log.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("# losslens report\n"))
        XCTAssertTrue(result.stdout.contains("```mermaid\n"))
        XCTAssertTrue(result.stdout.contains("Best `val_loss`: 0.6 at epoch 3 of 8."), result.stdout)
        XCTAssertTrue(result.stdout.contains("| 3 | 6 | 2 |"), "patience 3 stops after epoch 6, saving 2 of 8")
    }

    func testMinSeverityIsStatedInBothFormats() throws {
        let log = try temporaryLog(Self.kerasLog)
        let markdown = try CLIRunner.run(["analyze", "--min-severity", "warning", log.path])
        XCTAssertTrue(markdown.stdout.contains("Findings below warning are left out (`--min-severity warning`)."), markdown.stdout)
        let json = try CLIRunner.run(["analyze", "--format", "json", "--min-severity", "error", log.path])
        XCTAssertTrue(json.stdout.contains(#""minSeverity": "error""#), json.stdout)
        XCTAssertTrue(json.stdout.contains(#""earlyStopping": {"#), json.stdout)
    }

    func testRulesPrintsAHeaderedTable() throws {
        let result = try CLIRunner.run(["rules"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("ID"), result.stdout)
        XCTAssertTrue(result.stdout.contains("SEVERITY  NAME"), result.stdout)
        XCTAssertTrue(result.stdout.contains("losslens explain RULE"))
    }

    func testExplainRejectsAnUnknownRule() throws {
        let result = try CLIRunner.run(["explain", "no-such-rule"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("Unknown rule 'no-such-rule'"), result.stderr)
    }

    private func temporaryLog(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-report-\(UUID().uuidString).log")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
