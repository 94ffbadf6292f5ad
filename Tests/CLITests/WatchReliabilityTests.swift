import Foundation
import XCTest

/// `watch` over hours of training: a signal still gets the report, a rotated or truncated log is
/// followed as `tail -F` follows it, a bad `--output` is found at the start, alerts are inert text.
final class WatchReliabilityTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder!) }
    }

    private func lines(_ range: ClosedRange<Int>, of total: Int = 99) -> String {
        range.map { "Epoch \($0)/\(total), Loss: \(String(format: "%.4f", 1.0 / Double($0)))\n" }.joined()
    }

    private func append(_ text: String, to path: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    private func report(_ path: URL) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    private func epochs(ofRuns report: [String: Any]) -> [Int] {
        (report["runs"] as? [[String: Any]] ?? []).compactMap { $0["epochs"] as? Int }
    }

    // MARK: - Signals

    private func interrupt(with signal: Int32, expecting status: Int32) throws {
        let spoolFolder = folder.appendingPathComponent("tmp-\(signal)")
        try FileManager.default.createDirectory(at: spoolFolder, withIntermediateDirectories: true)
        let reportFile = folder.appendingPathComponent("report-\(signal).json")
        let process = try LiveProcess(["watch", "--format", "json", "--output", reportFile.path, "--fail-on", "never"],
                                      feedsInput: true, environment: ["TMPDIR": spoolFolder.path], in: folder)
        defer { process.closeInput() }
        // Past the 8 MB kept in memory, so the log is in a spool file when the signal comes.
        var fed = 0
        var step = 0
        while fed < 9 << 20 {
            let block = (0..<1000).map { _ in
                step += 1
                return "Epoch 1/1, step \(step)/999999, loss = 0.5\n"
            }.joined()
            process.feed(block)
            fed += block.utf8.count
        }
        process.waitUntil("the log to pass through") { process.stdout.utf8.count >= fed }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spoolFolder.path), [], "the spool file has no name")
        process.send(signal)
        XCTAssertEqual(process.exitStatus(), status, process.stderr)
        XCTAssertEqual(epochs(ofRuns: try report(reportFile)), [1], "the report of what was followed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spoolFolder.path), [], "nothing left in TMPDIR")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".losslens-") }, [])
    }

    func testSIGINTWritesTheReportAndExits130() throws {
        try interrupt(with: SIGINT, expecting: 130)
    }

    func testSIGTERMWritesTheReportAndExits143() throws {
        try interrupt(with: SIGTERM, expecting: 143)
    }

    /// Binary data is refused from its first kilobyte, as `analyze` refuses it, and none of it is
    /// passed through (it used to be passed through, and spooled, without end).
    func testBinaryDataIsRefusedBeforeAnyOfItIsPassedThrough() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/zero"), "needs /dev/zero")
        let result = try CLIRunner.run(["watch", "/dev/zero"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("binary data, not a training log"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty, "\(result.stdout.count) characters passed through")
    }

    func testSIGINTWithoutOutputPrintsTheSummary() throws {
        let log = folder.appendingPathComponent("train.log").path
        try Data(lines(1...3).utf8).write(to: URL(fileURLWithPath: log))
        let process = try LiveProcess(["watch", log], in: folder)
        process.waitUntil("the log to pass through") { process.stdout == lines(1...3) }
        process.send(SIGINT)
        XCTAssertEqual(process.exitStatus(), 130)
        XCTAssertTrue(process.stderr.contains("1 run:"), process.stderr)
    }

    // MARK: - Rotation

    /// Follows `train.log` through `rotate`, which runs once the first epochs passed through.
    private func follow(rotating rotate: (String) throws -> Void, then more: String) throws -> (LiveProcess, URL) {
        let log = folder.appendingPathComponent("train.log").path
        try Data(lines(1...3).utf8).write(to: URL(fileURLWithPath: log))
        let reportFile = folder.appendingPathComponent("report.json")
        let process = try LiveProcess(["watch", "--format", "json", "--output", reportFile.path, "--fail-on", "never", log], in: folder)
        process.waitUntil("the first epochs") { process.stdout == lines(1...3) }
        try rotate(log)
        process.waitUntil("the rotation to be noticed") { process.stderr.contains("losslens: \(log): ") }
        if !FileManager.default.fileExists(atPath: log) {
            try Data().write(to: URL(fileURLWithPath: log))
        }
        try append(more, to: log)
        process.waitUntil("the new lines") { process.stdout.hasSuffix(more) }
        process.send(SIGTERM)
        XCTAssertEqual(process.exitStatus(), 143, process.stderr)
        return (process, reportFile)
    }

    func testCopyTruncateIsFollowedFromTheStartOfTheFile() throws {
        let (process, reportFile) = try follow(rotating: { log in
            try FileManager.default.copyItem(atPath: log, toPath: log + ".1")
            XCTAssertEqual(truncate(log, 0), 0)
        }, then: lines(1...2))
        XCTAssertTrue(process.stderr.contains("file truncated; reading it again from the start"), process.stderr)
        XCTAssertEqual(process.stdout, lines(1...3) + lines(1...2), "no torn line, nothing skipped")
        XCTAssertEqual(epochs(ofRuns: try report(reportFile)), [3, 2], "the log started over: a new run")
    }

    func testARenamedLogIsFollowedToItsNewFile() throws {
        let (process, reportFile) = try follow(rotating: { log in
            // The old file keeps a name and the new one takes its place in one step, so the
            // follower cannot look in between and see no file at all.
            XCTAssertEqual(link(log, log + ".1"), 0)
            try Data(lines(4...4).utf8).write(to: URL(fileURLWithPath: log + ".new"))
            XCTAssertEqual(rename(log + ".new", log), 0)
        }, then: lines(5...6))
        XCTAssertTrue(process.stderr.contains("replaced by a new file; following it"), process.stderr)
        XCTAssertEqual(process.stdout, lines(1...6))
        XCTAssertEqual(epochs(ofRuns: try report(reportFile)), [6], "the training went on: one run")
    }

    func testADeletedLogIsFollowedWhenItComesBack() throws {
        let (process, reportFile) = try follow(rotating: { log in
            XCTAssertEqual(unlink(log), 0)
        }, then: lines(1...4))
        XCTAssertTrue(process.stderr.contains("removed; still reading the open file"), process.stderr)
        XCTAssertTrue(process.stderr.contains("appeared again; following it from its start"), process.stderr)
        XCTAssertEqual(process.stdout, lines(1...3) + lines(1...4))
        XCTAssertEqual(epochs(ofRuns: try report(reportFile)), [3, 4])
    }

    func testATruncationInsideALineDoesNotJoinTwoLines() throws {
        let log = folder.appendingPathComponent("partial.log").path
        try Data((lines(1...2) + "Epoch 3/99, Lo").utf8).write(to: URL(fileURLWithPath: log))
        let process = try LiveProcess(["watch", log], in: folder)
        process.waitUntil("the partial line") { process.stdout.hasSuffix("Epoch 3/99, Lo") }
        XCTAssertEqual(truncate(log, 0), 0)
        process.waitUntil("the truncation") { process.stderr.contains("file truncated") }
        try append(lines(1...1), to: log)
        process.waitUntil("the new line") { process.stdout.hasSuffix(lines(1...1)) }
        process.send(SIGINT)
        XCTAssertEqual(process.exitStatus(), 130)
        XCTAssertEqual(process.stdout, lines(1...2) + "Epoch 3/99, Lo\n" + lines(1...1))
    }

    // MARK: - Checked at the start

    func testABadOutputIsFoundBeforeFollowing() throws {
        // Standard input stays open: only a check at the start can end the command.
        let process = try LiveProcess(["watch", "--output", folder.appendingPathComponent("no/such/dir/r.md").path],
                                      feedsInput: true, in: folder)
        defer { process.closeInput() }
        XCTAssertEqual(process.exitStatus(), 2)
        XCTAssertTrue(process.stderr.contains("cannot write the report to") && process.stderr.contains("No such file or directory"),
                      process.stderr)
        XCTAssertFalse(process.stderr.contains("Usage:"), process.stderr)
    }

    func testTheFollowedLogIsNotTheOutput() throws {
        let log = folder.appendingPathComponent("train.log").path
        try Data(lines(1...3).utf8).write(to: URL(fileURLWithPath: log))
        let result = try CLIRunner.run(["watch", "--output", log, log])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("is one of the inputs"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), lines(1...3))
    }

    // MARK: - Alerts

    func testAlertsCarryNoControlCharacters() throws {
        let log = """
            Epoch 1/9, Loss: 0.9
            Epoch 2/9, Loss: 0.8
            Traceback (most recent call last):
              File "train.py", line 1, in <module>
            RuntimeError: bell\u{07} csi\u{9B}2J esc\u{1B}]0;title\u{07} bidi\u{202E}gpj.exe

            """
        let result = try CLIRunner.run(["watch", "--fail-on", "never"], stdin: Data(log.utf8))
        XCTAssertTrue(result.stderr.contains("crash"), result.stderr)
        for scalar: Unicode.Scalar in ["\u{07}", "\u{9B}", "\u{1B}", "\u{202E}"] {
            XCTAssertFalse(result.stderr.unicodeScalars.contains(scalar), "U+\(String(scalar.value, radix: 16)) in \(result.stderr)")
        }
        XCTAssertEqual(result.stdout, log, "the pass-through itself is unchanged")
    }
}
