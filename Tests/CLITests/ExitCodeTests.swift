import Foundation
import XCTest

/// The exit status contract CI relies on: 0 clean, 1 findings at or above --fail-on, 2 input or usage errors.
final class ExitCodeTests: XCTestCase {
    private let crashLog = CLIRunner.repository.appendingPathComponent("samples/pytorch-crash-target-out-of-bounds.log").path
    private let healthyLog = CLIRunner.repository.appendingPathComponent("samples/pytorch-healthy.log").path

    func testAnErrorFindingFailsByDefault() throws {
        XCTAssertEqual(try CLIRunner.run(["analyze", crashLog]).status, 1)
    }

    func testFailOnDecidesWhichSeverityFails() throws {
        // The healthy sample has an info finding (still improving) and nothing worse.
        XCTAssertEqual(try CLIRunner.run(["analyze", healthyLog]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["analyze", "--fail-on", "warning", healthyLog]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["analyze", "--fail-on", "info", healthyLog]).status, 1)
        XCTAssertEqual(try CLIRunner.run(["analyze", "--fail-on", "never", crashLog]).status, 0)
    }

    func testIgnoredRulesDoNotFail() throws {
        let result = try CLIRunner.run(["analyze", "--ignore", "crash", "--format", "json", crashLog])
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(CLIRunner.json(result)["runs"] as? [[String: Any]])
        let rules = runs.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
        XCTAssertFalse(rules.contains("crash"))
    }

    func testUnknownRuleIsAUsageError() throws {
        let result = try CLIRunner.run(["analyze", "--ignore", "no-such-rule", healthyLog])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("losslens rules"), result.stderr)
    }

    /// A timeout that is not a number used to reach a conversion to Int32 and trap (exit 132).
    func testAnIdleTimeoutThatIsNotANumberIsAUsageError() throws {
        for arguments in [["analyze", "--idle-timeout", "nan", healthyLog], ["watch", "--idle-timeout", "nan", healthyLog],
                          ["analyze", "--idle-timeout", "inf", healthyLog]] {
            let result = try CLIRunner.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--idle-timeout must be a positive number"), result.stderr)
        }
    }

    func testFindingsBecomeGitHubAnnotationsAtTheEvidenceLine() throws {
        let result = try CLIRunner.run(["analyze", "--format", "json", crashLog], environment: ["GITHUB_ACTIONS": "true"])
        XCTAssertEqual(result.status, 1)
        XCTAssertNoThrow(try CLIRunner.json(result), "the JSON report on standard output stays valid")
        let annotation = try XCTUnwrap(result.stderr.split(separator: "\n").first { $0.hasPrefix("::error ") }, result.stderr)
        XCTAssertTrue(annotation.hasPrefix("::error file=\(crashLog),line=17,title=losslens crash::"), String(annotation))
        XCTAssertNoThrow(try CLIRunner.json(result), "standard output is the JSON report alone")
    }

    func testJUnitMarksFindingsAtTheThresholdAsFailures() throws {
        let result = try CLIRunner.run(["analyze", "--format", "junit", crashLog, healthyLog])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("tests=\"2\" failures=\"1\" errors=\"0\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("<failure type=\"crash\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("<system-out>[info] not-converged"), "findings below --fail-on are listed, not failed")
    }
}
