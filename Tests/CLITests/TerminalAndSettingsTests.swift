import Foundation
import XCTest

/// What a person at a terminal gets, settings files, and the CI formats.
final class TerminalAndSettingsTests: XCTestCase {
    private var folder: URL!
    private let crashLog = CLIRunner.repository.appendingPathComponent("samples/pytorch-crash-target-out-of-bounds.log").path
    private let healthyLog = CLIRunner.repository.appendingPathComponent("samples/pytorch-healthy.log").path
    private let samples = CLIRunner.repository.appendingPathComponent("samples").path

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-settings-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    private func write(_ text: String, to name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Runs losslens on a pseudo-terminal of `columns` columns (util-linux `script`), as a person would.
    private func onTerminal(_ arguments: [String], columns: Int = 72) throws -> CLIRunner.Result {
        let quoted = ([CLIRunner.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "stty cols \(columns) rows 50; exec \(quoted.joined(separator: " "))"
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { throw XCTSkip("util-linux script is not installed") }
        let process = Process()
        process.executableURL = script
        process.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GITHUB_ACTIONS")
        environment["NO_COLOR"] = "1"
        environment.removeValue(forKey: "COLUMNS")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        return CLIRunner.Result(status: process.terminationStatus, stdout: text, stderr: "")
    }

    // MARK: The terminal

    func testATerminalGetsTextWrappedAtItsWidth() throws {
        let result = try onTerminal(["analyze", "--fail-on", "never", crashLog, healthyLog], columns: 64)
        XCTAssertEqual(result.status, 0)
        XCTAssertFalse(result.stdout.contains("# losslens report"), result.stdout)
        XCTAssertTrue(result.stdout.contains("✖ error"), result.stdout)
        XCTAssertTrue(result.stdout.contains("2 runs: 1 error"), result.stdout)
        for line in result.stdout.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 64, "wrapped at the terminal's width: \(line)")
        }
        XCTAssertTrue(result.stdout.split(separator: "\n").contains { $0.hasPrefix("            ") && !$0.hasPrefix("             ") },
                      "continuation lines hang under the message: \(result.stdout)")
    }

    func testFormatWinsOnATerminalAndAPipeGetsMarkdown() throws {
        XCTAssertTrue(try onTerminal(["analyze", "--format", "markdown", "--fail-on", "never", crashLog]).stdout.hasPrefix("# losslens report"))
        let piped = try CLIRunner.run(["analyze", "--fail-on", "never", crashLog])
        XCTAssertTrue(piped.stdout.hasPrefix("# losslens report"), piped.stdout)
    }

    func testStandardInputIsNamedStdinInText() throws {
        let log = "Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.6\nEpoch 3, Loss: 0.4\n"
        let result = try CLIRunner.run(["analyze", "--format", "text", "--fail-on", "never"], stdin: Data(log.utf8))
        XCTAssertTrue(result.stdout.hasPrefix("<stdin> · "), result.stdout)
        XCTAssertTrue(result.stdout.contains("3 epochs"), result.stdout)
    }

    func testExplainRendersForATerminalAndStaysMarkdownWhenPiped() throws {
        let terminal = try onTerminal(["explain", "diverging"], columns: 60)
        XCTAssertEqual(terminal.status, 0)
        XCTAssertTrue(terminal.stdout.hasPrefix("diverging: "), terminal.stdout)
        XCTAssertFalse(terminal.stdout.contains("## "), terminal.stdout)
        for line in terminal.stdout.split(separator: "\n") where !line.hasPrefix("      ") {
            XCTAssertLessThanOrEqual(line.count, 60, String(line))
        }
        XCTAssertTrue(try CLIRunner.run(["explain", "diverging"]).stdout.hasPrefix("# diverging: "))
    }

    // MARK: Settings

    func testLosslensTomlIsReadFromAParentAndTheCommandLineWins() throws {
        try write("fail-on = \"never\"\nformat = \"json\"\n", to: ".losslens.toml")
        let inside = folder.appendingPathComponent("deep/er")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        let fromFile = try CLIRunner.run(["analyze", crashLog], currentDirectory: inside)
        XCTAssertEqual(fromFile.status, 0, "fail-on = never: \(fromFile.stderr)")
        XCTAssertNoThrow(try CLIRunner.json(fromFile), "format = json")
        let overridden = try CLIRunner.run(["analyze", "--fail-on", "error", "--format", "markdown", crashLog], currentDirectory: inside)
        XCTAssertEqual(overridden.status, 1)
        XCTAssertTrue(overridden.stdout.hasPrefix("# losslens report"))
        XCTAssertEqual(try CLIRunner.run(["analyze", "--no-config", crashLog], currentDirectory: inside).status, 1)
    }

    func testPyprojectToolTableIsReadAndOtherPyprojectsAreSkipped() throws {
        try write("[project]\nname = \"x\"\n\n[tool.losslens]\nignore = [\"crash\"]\nmin-severity = \"warning\"\n", to: "pyproject.toml")
        try write("[project]\nname = \"inner\"\n", to: "pkg/pyproject.toml")
        let result = try CLIRunner.run(["analyze", "--format", "json", crashLog], currentDirectory: folder.appendingPathComponent("pkg"))
        let json = try CLIRunner.json(result)
        XCTAssertEqual(json["ignoredRules"] as? [String], ["crash"])
        XCTAssertEqual(json["minSeverity"] as? String, "warning")
    }

    func testABadSettingNamesFileLineAndKey() throws {
        let file = try write("# settings\nignore = [\"too-short\"]\n\nfail-on = \"sometimes\"\n", to: ".losslens.toml")
        let result = try CLIRunner.run(["analyze", crashLog], currentDirectory: folder)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("\(file.path):4: 'fail-on' must be one of error, warning, info, never; got \"sometimes\""), result.stderr)

        try write("[tool.losslens]\nfail-on = \"error\"\n\n[tool.losslens.rules.spike]\nseverity = \"loud\"\n", to: "pyproject.toml")
        try FileManager.default.removeItem(at: file)
        let nested = try CLIRunner.run(["analyze", crashLog], currentDirectory: folder)
        XCTAssertTrue(nested.stderr.contains("pyproject.toml:5: 'rules.spike.severity' must be one of"), nested.stderr)

        try write("fail-on = \"error\"\nunknown-key = 1\n", to: ".losslens.toml")
        let unknown = try CLIRunner.run(["analyze", crashLog], currentDirectory: folder)
        XCTAssertTrue(unknown.stderr.contains(".losslens.toml:2: 'unknown-key' is not a losslens setting"), unknown.stderr)

        try write("fail-on = \"error\"\nignore = [\"too-short\"\n", to: ".losslens.toml")
        let syntax = try CLIRunner.run(["analyze", crashLog], currentDirectory: folder)
        XCTAssertEqual(syntax.status, 2)
        XCTAssertTrue(syntax.stderr.contains(".losslens.toml:") && syntax.stderr.contains("is not valid TOML"), syntax.stderr)

        try write("ignore = [\"no-such-rule\"]\n", to: ".losslens.toml")
        XCTAssertTrue(try CLIRunner.run(["analyze", crashLog], currentDirectory: folder).stderr.contains(".losslens.toml:1: 'ignore' names 'no-such-rule'"))
    }

    func testPerPathIgnoresReplayPatienceAndRuleSeverity() throws {
        let smoke = try write(try String(contentsOfFile: crashLog, encoding: .utf8), to: "runs/smoke/train.log")
        let real = try write(try String(contentsOfFile: crashLog, encoding: .utf8), to: "runs/real/train.log")
        try write("""
            [per-path-ignores]
            "runs/smoke" = ["crash"]

            [replay]
            patience = [2, 4]

            [rules.not-converged]
            severity = "warning"
            """, to: ".losslens.toml")
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", "runs"], currentDirectory: folder)
        let runs = try XCTUnwrap(try CLIRunner.json(result)["runs"] as? [[String: Any]], result.stderr)
        let rules = { (source: String) in
            (runs.first { ($0["source"] as? String)?.hasSuffix(source) == true }?["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
        }
        XCTAssertEqual(rules("smoke/train.log")?.contains("crash"), false, "\(smoke.path) is under runs/smoke")
        XCTAssertEqual(rules("real/train.log")?.contains("crash"), true, real.path)

        let healthy = try CLIRunner.run(["analyze", "--format", "json", healthyLog], currentDirectory: folder)
        let run = try XCTUnwrap((try CLIRunner.json(healthy)["runs"] as? [[String: Any]])?.first)
        let patience = (run["earlyStopping"] as? [String: Any])?["patience"] as? [[String: Any]]
        XCTAssertEqual(patience?.compactMap { $0["patience"] as? Int }, [2, 4])
        let notConverged = (run["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "not-converged" }
        XCTAssertEqual(notConverged?["severity"] as? String, "warning", "the file's severity for the rule")
    }

    // MARK: CI formats

    func testJSONLinesHasOneObjectPerRun() throws {
        let result = try CLIRunner.run(["analyze", "--format", "jsonl", "--fail-on", "never", samples])
        let lines = result.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 5)
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertNotNil(object["source"])
            XCTAssertNotNil(object["findings"] ?? object["error"])
        }
    }

    func testGitHubFormatPrintsTheAnnotationsAloneAndActionsKeepsJSONValid() throws {
        let github = try CLIRunner.run(["analyze", "--format", "github", crashLog])
        XCTAssertEqual(github.status, 1)
        XCTAssertFalse(github.stdout.isEmpty)
        for line in github.stdout.split(separator: "\n") { XCTAssertTrue(line.hasPrefix("::"), String(line)) }

        let summary = try write("", to: "summary.md")
        let underActions = try CLIRunner.run(["analyze", "--format", "json", samples],
                                             environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertNoThrow(try CLIRunner.json(underActions), "JSON on standard output stays valid under GitHub Actions")
        XCTAssertTrue(underActions.stderr.contains("::error "), underActions.stderr)
        XCTAssertTrue(try String(contentsOf: summary, encoding: .utf8).hasPrefix("# losslens report"))

        let githubUnderActions = try CLIRunner.run(["analyze", "--format", "github", crashLog], environment: ["GITHUB_ACTIONS": "true"])
        XCTAssertFalse(githubUnderActions.stderr.contains("::error"), "annotations are printed once")
    }

    func testAFullStepSummaryGetsOnlyWhatIsLeftOfTheMebibyte() throws {
        let summary = try write(String(repeating: "x", count: (1 << 20) - 2000) + "\n", to: "summary.md")
        let result = try CLIRunner.run(["analyze", "--fail-on", "never", "--output", folder.appendingPathComponent("r.md").path, samples],
                                       environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let size = try FileManager.default.attributesOfItem(atPath: summary.path)[.size] as? Int
        XCTAssertLessThanOrEqual(size ?? .max, 1 << 20)
        XCTAssertTrue(try String(contentsOf: summary, encoding: .utf8).contains("The full report is in `"), "the note points at --output")
    }

    func testCompletionScriptsAndTheManualSource() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try CLIRunner.run(["--generate-completion-script", shell])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("losslens"), shell)
            XCTAssertTrue(result.stdout.contains("jsonl"), "\(shell): the formats are completed")
        }
        let dump = try CLIRunner.run(["--experimental-dump-help"])
        XCTAssertTrue(dump.stdout.contains("\"commandName\" : \"analyze\"") || dump.stdout.contains("\"commandName\":\"analyze\""), String(dump.stdout.prefix(300)))
    }

    /// The README's "Analyzing a fleet of runs" example, run as written on the bundled samples.
    func testTheReadmeFleetExampleRuns() throws {
        let readme = try String(contentsOf: CLIRunner.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "<!-- fleet-example -->\n```sh\n"), "the README marks its tested example")
        let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let example = String(readme[start.upperBound..<end.lowerBound])
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/jq") else { throw XCTSkip("jq is not installed (scripts/setup installs it)") }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("losslens"), withDestinationURL: CLIRunner.binary)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("runs"), withDestinationURL: URL(fileURLWithPath: samples))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-euo", "pipefail", "-c", example]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        let rows = text.split(separator: "\n")
        XCTAssertTrue(rows.first?.hasPrefix("worst") == true, text)
        XCTAssertTrue(rows.dropFirst().first?.hasPrefix("error") == true, "most severe first: \(text)")
        XCTAssertGreaterThan(rows.count, 8, text)
        let jsonl = try String(contentsOf: folder.appendingPathComponent("runs.jsonl"), encoding: .utf8)
        XCTAssertEqual(jsonl.split(separator: "\n").count, rows.count - 1, "a row per JSON line")
    }
}
