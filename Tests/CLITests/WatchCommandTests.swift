import Foundation
import XCTest

final class WatchCommandTests: XCTestCase {
    /// A writer that prints a NaN at epoch 3 of 50 and then sleeps: the alert must arrive while it
    /// sleeps, and --exit-on stops losslens without waiting for the writer to end.
    func testAlertArrivesBeforeTheWriterEnds() throws {
        let script = """
            for i in 1 2; do echo "Epoch $i/50, Loss: 0.$((9 - i)), Acc: 0.5$i"; done
            echo "Epoch 3/50, Loss: nan, Acc: 0.10"
            sleep 20
            echo "Epoch 4/50, Loss: nan, Acc: 0.10"
            """
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", script]
        let pipe = Pipe()
        writer.standardOutput = pipe

        let watcher = Process()
        watcher.executableURL = CLIRunner.binary
        watcher.arguments = ["watch", "--exit-on", "error"]
        watcher.standardInput = pipe
        let passedThrough = Pipe()
        let alerts = Pipe()
        watcher.standardOutput = passedThrough
        watcher.standardError = alerts

        let start = Date()
        try writer.run()
        try watcher.run()
        defer { if writer.isRunning { writer.terminate() } }
        let alertText = String(decoding: alerts.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        watcher.waitUntilExit()
        let elapsed = Date().timeIntervalSince(start)

        XCTAssertEqual(watcher.terminationStatus, 1, alertText)
        XCTAssertTrue(writer.isRunning, "losslens stopped while the writer was still sleeping (after \(elapsed) s)")
        XCTAssertLessThan(elapsed, 15, "the alert waited for the writer")
        XCTAssertTrue(alertText.contains("non-finite at epoch 3"), alertText)
        let output = String(decoding: passedThrough.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("Epoch 1/50, Loss: 0.8, Acc: 0.51\nEpoch 2/50"), "input passes through unchanged")
    }

    func testInputPassesThroughUnchangedAndTheReportIsWrittenAtTheEnd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-watch-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json")
        // A partial last line (no newline) and a carriage-return progress bar must pass through byte for byte.
        let log = (1...8).map { "Epoch \($0), Loss: \(1.0 / Double($0))\n" }.joined() + "\rstep 1/10\rstep 10/10 partial"
        let result = try CLIRunner.run(
            ["watch", "--format", "json", "--output", report.path, "--fail-on", "never"], stdin: Data(log.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, log)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["epochs"] as? Int, 8)
    }

    func testFollowingAFileEndsAfterTheIdleTimeout() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-follow-\(UUID()).log")
        try Data("Epoch 1, Loss: 0.9\nEpoch 2, Loss: inf\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CLIRunner.run(["watch", "--idle-timeout", "0.5", "--fail-on", "never", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("non-finite"), result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Epoch 1, Loss: 0.9\n"))
    }

    func testAnIdleTimeoutMustBePositive() throws {
        let result = try CLIRunner.run(["watch", "--idle-timeout", "0", "some.log"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--idle-timeout"), result.stderr)
    }
}
