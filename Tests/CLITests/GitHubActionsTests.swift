import Foundation
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Under GitHub Actions the runner reads every line of standard output and error for workflow
/// commands: annotations go to standard error and never break a report; text from a log never
/// becomes a command; a missing job summary is a warning, a summary that cannot be written an error.
final class GitHubActionsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-actions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder!) }
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private static let actions = ["GITHUB_ACTIONS": "true"]

    /// A log whose crash message is made of workflow commands, old and new.
    private func hostileLog(named name: String = "train.log") throws -> String {
        try file(name, """
            Epoch 1/3
            10/10 [==============================] - 1s 10ms/step - loss: 0.9000
            Epoch 2/3
            10/10 [==============================] - 1s 10ms/step - loss: nan
            Traceback (most recent call last):
              File "train.py", line 1, in <module>
            ValueError: ::add-mask::hunter2
            ::error file=deploy.yml::pwned
              ::STOP-COMMANDS::nothing
            junk ##[error]legacy command
            \u{00A0}::warning::after a no-break space

            """)
    }

    /// Lines the runner would act on outside a stop window: starting with `::` after white space
    /// (.NET trims Unicode white space), or holding `##[`. The window's own lines are allowed.
    private func commands(in stream: String, allowing allowed: Set<String> = []) -> [String] {
        var active: String?
        var found: [String] = []
        for line in stream.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = String(line.drop { $0.isWhitespace })
            if let token = active {
                if trimmed.lowercased() == "::\(token)::" { active = nil }
                continue
            }
            if trimmed.lowercased().hasPrefix("::stop-commands::") {
                active = String(trimmed.dropFirst("::stop-commands::".count)).lowercased()
                continue
            }
            if line.contains("##[") || (trimmed.hasPrefix("::") && !allowed.contains { trimmed.hasPrefix($0) }) {
                found.append(line)
            }
        }
        return found
    }

    /// Annotation lines losslens means the runner to act on.
    private let annotations: Set<String> = ["::error file=", "::warning file=", "::notice file="]

    // MARK: - Annotations never break a report

    func testJSONAndJUnitOnStandardOutputStayValidDocuments() throws {
        let log = try hostileLog()
        let json = try CLIRunner.run(["analyze", "--format", "json", log], environment: Self.actions)
        XCTAssertEqual(json.status, 1, json.stderr)
        XCTAssertNoThrow(try CLIRunner.json(json))
        XCTAssertTrue(json.stderr.contains("::error file=\(log),line="), json.stderr)
        XCTAssertEqual(commands(in: json.stdout), [], "no command in the JSON report")
        XCTAssertTrue(json.stdout.contains("##\\u005b"), "##[ written as a JSON escape: the value is unchanged")
        let message = try XCTUnwrap((try CLIRunner.json(json)["runs"] as? [[String: Any]])?.first?["crash"] as? [String: Any])
        XCTAssertTrue((message["message"] as? String)?.contains("##[error]legacy") == true, "\(message)")

        let junit = try CLIRunner.run(["analyze", "--format", "junit", log], environment: Self.actions)
        XCTAssertEqual(junit.status, 1)
        XCTAssertTrue(XMLParser(data: Data(junit.stdout.utf8)).parse(), "well-formed XML: \(junit.stdout)")
        XCTAssertEqual(commands(in: junit.stdout), [], junit.stdout)
        XCTAssertTrue(junit.stderr.contains("::error file="), junit.stderr)
    }

    func testAnnotationsComeBeforeAnyStopWindow() throws {
        let log = try hostileLog()
        let result = try CLIRunner.run(["analyze", "--format", "json", "--output", folder.appendingPathComponent("r.json").path, "nothere.log", log],
                                       environment: Self.actions)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let firstStop = lines.firstIndex { $0.hasPrefix("::stop-commands::") } ?? lines.count
        let lastAnnotation = lines.lastIndex { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") } ?? -1
        XCTAssertLessThan(lastAnnotation, firstStop, result.stderr)
        XCTAssertEqual(commands(in: result.stderr, allowing: annotations), [], result.stderr)
    }

    // MARK: - Log text never becomes a command

    func testMarkdownAndTextReportsAreWrappedInAStopWindowWithARandomToken() throws {
        let log = try hostileLog()
        var tokens: Set<String> = []
        for format in ["markdown", "text", "markdown"] {
            let result = try CLIRunner.run(["analyze", "--format", format, log], environment: Self.actions)
            XCTAssertEqual(result.status, 1, result.stderr)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let first = try XCTUnwrap(lines.first)
            XCTAssertTrue(first.hasPrefix("::stop-commands::"), first)
            let token = String(first.dropFirst("::stop-commands::".count))
            XCTAssertGreaterThanOrEqual(token.count, 32)
            XCTAssertEqual(lines.last, "::\(token)::")
            tokens.insert(token)
            XCTAssertEqual(commands(in: result.stdout), [])
            // Inert even without the window: no line inside it is a command either.
            XCTAssertEqual(commands(in: lines.dropFirst().dropLast().joined(separator: "\n")), [], result.stdout)
            XCTAssertEqual(commands(in: result.stderr, allowing: annotations), [], result.stderr)
            XCTAssertTrue(result.stdout.contains("hunter2"), "the text is still shown")
        }
        XCTAssertEqual(tokens.count, 3, "a new token every run")
    }

    func testAFileNamedLikeACommandDoesNotStartALine() throws {
        let log = try hostileLog(named: "::notice::x.log")
        let result = try CLIRunner.run(["analyze", "--format", "text", "./" + (log as NSString).lastPathComponent],
                                       environment: Self.actions, currentDirectory: folder)
        XCTAssertEqual(commands(in: result.stdout), [], result.stdout)
        let outsideActions = try CLIRunner.run(["analyze", "--format", "text", "::notice::x.log"], currentDirectory: folder)
        XCTAssertTrue(outsideActions.stdout.hasPrefix("::notice::x.log"), "unchanged outside Actions: \(outsideActions.stdout)")
    }

    func testWatchWrapsThePassThroughAndKeepsAlertsInert() throws {
        let log = """
            Epoch 1/5, Loss: 0.9
            ::add-mask::hunter2
            Epoch 2/5, Loss: nan
            ##[group]fake
            """
        let result = try CLIRunner.run(["watch", "--fail-on", "never"], stdin: Data(log.utf8), environment: Self.actions)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("::stop-commands::") == true, result.stdout)
        XCTAssertEqual(commands(in: result.stdout), [], result.stdout)
        XCTAssertTrue(result.stdout.contains("::add-mask::hunter2\n"), "the pass-through is otherwise unchanged")
        XCTAssertEqual(commands(in: result.stderr), [], result.stderr)
        XCTAssertTrue(result.stderr.contains("non-finite"), result.stderr)
    }

    // MARK: - Annotations: messages sanitized, properties escaped

    func testAnnotationMessagesLoseControlCharactersAndPropertiesAreOnlyEscaped() throws {
        let name = "odd\u{1B}[2J, name:1.log"
        let log = try file(name, """
            Epoch 1/3, Loss: 0.9
            Epoch 2/3, Loss: nan
            Traceback (most recent call last):
              File "train.py", line 1, in <module>
            ValueError: bell\u{07} csi\u{9B}2J osc\u{9D}0;t\u{07} bidi\u{202E}txt.exe

            """)
        let result = try CLIRunner.run(["analyze", "--format", "json", log], environment: Self.actions)
        let annotationLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        XCTAssertFalse(annotationLines.isEmpty, result.stderr)
        for line in annotationLines {
            let message = line.components(separatedBy: "::").dropFirst(2).joined(separator: "::")
            for scalar: Unicode.Scalar in ["\u{07}", "\u{9B}", "\u{9D}", "\u{202E}", "\u{1B}"] {
                XCTAssertFalse(message.unicodeScalars.contains(scalar), "U+\(String(scalar.value, radix: 16)) in \(line)")
            }
            let escapedPath = log.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A")
                .replacingOccurrences(of: ",", with: "%2C")
            XCTAssertTrue(line.hasPrefix("::error file=\(escapedPath),"), "the path kept whole, only escaped: \(line)")
        }
    }

    // MARK: - The job summary

    func testAMissingSummaryFileIsAWarningAndKeepsTheStatus() throws {
        let log = try file("healthy.log", (1...6).map { "Epoch \($0)/6, Loss: \(1.0 / Double($0))\n" }.joined())
        for summary in [folder.appendingPathComponent("no/such/file.md").path, folder.path] {
            let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", log],
                                           environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stderr.contains("warning: no job summary"), result.stderr)
            XCTAssertNoThrow(try CLIRunner.json(result))
        }
    }

    /// A summary file that is the log itself is left alone: the report is not appended to the training log.
    func testASummaryFileThatIsAnInputIsLeftAsItIs() throws {
        let text = (1...6).map { "Epoch \($0)/6, Loss: \(1.0 / Double($0))\n" }.joined()
        let log = try file("train.log", text)
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", log],
                                       environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": log])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("is one of the inputs"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), text)
    }

    /// A file size limit stands in for a full disk.
    func testASummaryThatCannotBeWrittenIsAnErrorAndLeavesTheFileAsItWas() throws {
        let log = try hostileLog()
        // Already at the limit (8 blocks: 4 KB in dash, 8 KB in bash), so nothing more fits; the
        // messages on standard error stay well below it.
        let earlier = "# earlier step\n" + String(repeating: "x", count: 8190 - 15) + "\n"
        let summary = try file("summary.md", earlier)
        let result = try CLIRunner.run(["analyze", "--format", "json", log], setup: "ulimit -f 8", redirections: "",
                                       environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot append the job summary to \(summary): File too large"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: summary, encoding: .utf8), earlier, "no half-written summary")
        XCTAssertNoThrow(try CLIRunner.json(result), "the report itself was written")
    }
}
