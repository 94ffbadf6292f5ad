import Foundation
import XCTest

/// Faults a process meets in the wild: standard streams closed or full, standard input closed,
/// special files named as inputs. No trap, ever: exit 2 with a message wherever one can be
/// written, and memory that does not grow with what a device or pipe hands over.
final class FaultInjectionTests: XCTestCase {
    private var folder: URL!
    private var log: String!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder!) }
        log = folder.appendingPathComponent("train.log").path
        try Data((1...6).map { "Epoch \($0)/6, Loss: \(1.0 / Double($0))\n" }.joined().utf8).write(to: URL(fileURLWithPath: log))
    }

    private var missing: String { folder.appendingPathComponent("missing.log").path }

    /// Not a trap (132, SIGILL) nor any other signal: an exit with `status`.
    private func assertExited(_ result: CLIRunner.Result, with status: Int32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, status, "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("backtrace"), result.stderr, file: file, line: line)
    }

    // MARK: - Standard error

    func testClosedStandardErrorIsNoTrapAndExitsTwo() throws {
        let result = try CLIRunner.run(["analyze", missing, log], redirections: "2>&-")
        assertExited(result, with: 2)
        XCTAssertTrue(result.stdout.contains("# losslens report"), "the report is still written")
    }

    func testFullStandardErrorIsNoTrapAndExitsTwo() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full")
        let result = try CLIRunner.run(["analyze", missing, log], redirections: "2>/dev/full")
        assertExited(result, with: 2)
        XCTAssertTrue(result.stdout.contains("# losslens report"))
    }

    func testNothingToSayOnAClosedStandardErrorKeepsTheStatus() throws {
        let result = try CLIRunner.run(["analyze", "--fail-on", "never", log], redirections: "2>&-")
        assertExited(result, with: 0)
    }

    // MARK: - Standard output

    func testFullStandardOutputExitsTwoWithAMessage() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full")
        for format in ["json", "markdown", "text", "junit"] {
            let result = try CLIRunner.run(["analyze", "--format", format, "--fail-on", "never", log], redirections: ">/dev/full")
            assertExited(result, with: 2)
            XCTAssertTrue(result.stderr.contains("cannot write to standard output: No space left on device"), "\(format): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Usage:"), "an I/O error is no usage error")
        }
    }

    func testClosedStandardOutputExitsTwoWithAMessage() throws {
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", log], redirections: ">&-")
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("cannot write to standard output"), result.stderr)
    }

    func testAReaderThatStopsReadingIsNotAnError() throws {
        // `| head -c 1`: the reader goes away after one byte; the rest of the report meets a closed pipe.
        let samples = CLIRunner.repository.appendingPathComponent("samples").path
        let status = folder.appendingPathComponent("status").path
        // losslens's own status, which a pipeline does not give in a POSIX shell.
        let script = "{ \"$0\" \"$@\"; echo $? > \"$STATUS\"; } | head -c 1 >/dev/null"
        let result = try CLIRunner.run(["-c", script, CLIRunner.binary.path, "analyze", "--format", "json", "--fail-on", "never", samples],
                                       executable: URL(fileURLWithPath: "/bin/sh"), environment: ["STATUS": status])
        XCTAssertEqual(try String(contentsOfFile: status, encoding: .utf8), "0\n", "no error for a reader that went away")
        XCTAssertEqual(result.stderr, "", "and no message")
    }

    func testRulesOnAFullStandardOutputExitTwo() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full")
        assertExited(try CLIRunner.run(["rules"], redirections: ">/dev/full"), with: 2)
        assertExited(try CLIRunner.run(["explain", "non-finite"], redirections: ">/dev/full"), with: 2)
    }

    // MARK: - Standard input

    func testClosedStandardInputIsAnInputErrorForAnalyze() throws {
        let result = try CLIRunner.run(["analyze", "--format", "json", "-"], redirections: "<&-")
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("standard input is closed"), result.stderr)
    }

    func testClosedStandardInputEndsWatchWithTwo() throws {
        let result = try CLIRunner.run(["watch", "-"], redirections: "<&-")
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("standard input is closed"), result.stderr)
    }

    // MARK: - Special files named as inputs

    func testZeroDeviceIsRefusedAsBinaryAtOnce() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/zero"), "needs /dev/zero")
        for device in ["/dev/zero", "/dev/urandom"] {
            let result = try CLIRunner.run(["analyze", "--format", "json", device])
            assertExited(result, with: 2)
            XCTAssertTrue(result.stderr.contains("\(device): binary data"), result.stderr)
        }
    }

    func testZeroDeviceOnStandardInputIsRefusedAsBinaryAtOnce() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/zero"), "needs /dev/zero")
        let result = try CLIRunner.run(["analyze", "--format", "json", "-"], redirections: "</dev/zero")
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("-: binary data"), result.stderr)
    }

    /// UTF-16 text has a NUL byte in every other place, yet it is text: piped in, it is read.
    func testUTF16TextOnStandardInputIsReadNotRefusedAsBinary() throws {
        let log = (1...6).map { "Epoch \($0)/6, Loss: \(1.0 / Double($0))\n" }.joined()
        var utf16 = Data([0xFF, 0xFE])
        for unit in log.utf16 { utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", "-"], stdin: utf16)
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(try CLIRunner.json(result)["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["epochs"] as? Int, 6)
    }

    func testEndlessTextOnStandardInputStopsAtTheSpoolCap() throws {
        let result = try CLIRunner.run(["analyze", "--max-spool", "1M", "-"], setup: "yes 'Epoch 1/2, Loss: 0.5' |",
                                       redirections: "", environment: ["TMPDIR": folder.path])
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("more than 1 MiB arrived") && result.stderr.contains("--max-spool"), result.stderr)
    }

    func testFIFOWithoutAWriterIsGivenUpAfterTheIdleTimeout() throws {
        let fifo = folder.appendingPathComponent("nobody-writes").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        let result = try CLIRunner.run(["analyze", "--idle-timeout", "1", "--format", "json", "--fail-on", "never", fifo, log])
        assertExited(result, with: 0)
        XCTAssertTrue(result.stderr.contains("nothing arrived for 1 s"), result.stderr)
        XCTAssertEqual((try CLIRunner.json(result)["runs"] as? [Any])?.count, 1, "the other input is still read")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "open() must not wait for a writer")
    }

    func testFIFOWithAWriterIsReadAsAStream() throws {
        let fifo = folder.appendingPathComponent("log-pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let writer = Thread {
            // Opening for writing waits for losslens to open it for reading.
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            try? handle.write(contentsOf: Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", fifo])
        assertExited(result, with: 0)
        XCTAssertEqual((try CLIRunner.json(result)["runs"] as? [[String: Any]])?.first?["epochs"] as? Int, 6)
    }

    func testWatchingAFolderExitsTwo() throws {
        let result = try CLIRunner.run(["watch", folder.path])
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("Is a directory"), result.stderr)
    }

    func testWatchingAMissingFileExitsTwo() throws {
        let result = try CLIRunner.run(["watch", "/nonexistent.log"])
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("/nonexistent.log: cannot be read (No such file or directory)"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Usage:"), result.stderr)
    }

    func testWatchPassingThroughToAFullDeviceKeepsWatchingAndExitsTwo() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full")
        let input = Data((1...4).map { "Epoch \($0)/4, Loss: \(1.0 / Double($0))\n" }.joined().utf8)
        let report = folder.appendingPathComponent("watch.json")
        let result = try CLIRunner.run(["watch", "--format", "json", "--output", report.path, "--fail-on", "never"],
                                       redirections: ">/dev/full", stdin: input)
        assertExited(result, with: 2)
        XCTAssertTrue(result.stderr.contains("cannot pass the log through to standard output (still watching): No space left on device"),
                      result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
        XCTAssertEqual((json?["runs"] as? [[String: Any]])?.first?["epochs"] as? Int, 4, "the whole log was still analyzed")
    }
}
