import Foundation
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

final class BatchAndCITests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-batch-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ text: String, to name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    func testABatchWithACorruptFileReportsItAndGoesOn() throws {
        _ = try write("Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\nEpoch 3, Loss: 0.4\n", to: "a/train.log")
        _ = try write("Epoch 1, Loss: 1.9\nEpoch 2, Loss: 1.6\nEpoch 3, Loss: 1.4\n", to: "b/train.log")
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        try garbage.write(to: folder.appendingPathComponent("a/broken.log"))
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", folder.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try CLIRunner.json(result)
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.compactMap { $0["source"] as? String }.map { URL(fileURLWithPath: $0).lastPathComponent },
                       ["train.log", "train.log"])
        XCTAssertTrue((runs[0]["source"] as? String ?? "").hasSuffix("a/train.log"), "deterministic order")
        let errors = try XCTUnwrap(json["errors"] as? [[String: Any]])
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue((errors[0]["source"] as? String ?? "").hasSuffix("broken.log"))
    }

    func testBatchOutputOrderDoesNotDependOnScheduling() throws {
        for index in 0..<24 {
            _ = try write("Epoch 1, Loss: \(index).9\nEpoch 2, Loss: \(index).5\n", to: "run\(index)/log.txt")
        }
        let first = try CLIRunner.run(["parse", folder.path]).stdout
        let second = try CLIRunner.run(["parse", folder.path]).stdout
        XCTAssertEqual(first, second)
        let runs = try XCTUnwrap(CLIRunner.json(.init(status: 0, stdout: first, stderr: ""))["runs"] as? [[String: Any]])
        let sources = runs.compactMap { $0["source"] as? String }
        XCTAssertEqual(sources, sources.sorted())
        XCTAssertEqual(sources.count, 24)
    }

    func testOutputFileReceivesTheReport() throws {
        let log = try write("Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\n", to: "train.log")
        let output = folder.appendingPathComponent("report.md")
        let result = try CLIRunner.run(["analyze", "--output", output.path, "--fail-on", "never", log.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        let report = try String(contentsOf: output, encoding: .utf8)
        XCTAssertTrue(report.contains("train.log"))
    }

    func testJUnitOutputIsWellFormedXMLWithATestCasePerRunAndAnErrorPerUnreadableSource() throws {
        _ = try write("Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\n", to: "ok <&> \"run\".log")
        _ = try write("no metrics in here\n", to: "notes.txt")
        let result = try CLIRunner.run(["analyze", "--format", "junit", folder.path])
        let parser = XMLParser(data: Data(result.stdout.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")\n\(result.stdout)")
        XCTAssertEqual(counter.counts["testcase"], 2)
        XCTAssertEqual(counter.counts["error"], 1)
        XCTAssertEqual(counter.attributes["testsuites"]?["tests"], "2")
    }

    func testGitHubActionsStepSummaryIsAppended() throws {
        let log = try write("Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\n", to: "train.log")
        let summary = try write("# earlier step\n", to: "summary.md")
        let result = try CLIRunner.run(
            ["analyze", "--format", "json", "--fail-on", "never", log.path],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# earlier step\n"), "the summary is appended to, not replaced")
        XCTAssertTrue(text.contains("train.log"))
        XCTAssertTrue(text.contains("|"), "the Markdown report with its summary table")
    }

    func testGitHubAnnotationsNameTheUnreadableSource() throws {
        let notes = try write("nothing here\n", to: "notes.txt")
        let result = try CLIRunner.run(["analyze", notes.path], environment: ["GITHUB_ACTIONS": "true"])
        XCTAssertEqual(result.status, 2)
        // On standard error, which the runner reads for commands too: standard output holds the report.
        XCTAssertTrue(result.stderr.contains("::error file=\(notes.path),title=losslens::"), result.stderr)
        XCTAssertFalse(result.stdout.contains("::error"), result.stdout)
    }

    func testNothingReadableExitsWithTwo() throws {
        let notes = try write("nothing here\n", to: "notes.txt")
        XCTAssertEqual(try CLIRunner.run(["analyze", notes.path]).status, 2)
        let empty = try write("", to: "empty.log")
        let result = try CLIRunner.run(["analyze", empty.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("empty"), result.stderr)
    }

    func testTextFormatIsPlainWhenNotATerminal() throws {
        let log = try write("Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\n", to: "train.log")
        let result = try CLIRunner.run(["analyze", "--format", "text", "--fail-on", "never", log.path])
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour codes when standard output is a pipe")
        XCTAssertTrue(result.stdout.contains("train.log"))
        XCTAssertTrue(result.stdout.contains("1 run: "), result.stdout)
    }
}

/// Counts elements and keeps the attributes of the last element of each name.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var attributes: [String: [String: String]] = [:]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
        attributes[elementName] = attributeDict
    }
}
