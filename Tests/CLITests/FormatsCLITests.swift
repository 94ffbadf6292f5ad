import Foundation
import XCTest

/// The JSON-lines records the training callbacks write, through standard input and `watch`.
final class FormatsCLITests: XCTestCase {
    private let records = [
        #"{"kind": "step", "epoch": 0, "step": 10, "loss": 0.95}"#,
        #"{"kind": "epoch", "epoch": 0, "loss": 0.9, "accuracy": 0.5, "val_loss": 1.0, "val_accuracy": 0.45}"#,
        #"{"kind": "epoch", "epoch": 1, "loss": 0.7, "accuracy": 0.6, "val_loss": 0.8, "val_accuracy": 0.55}"#,
        #"{"kind": "epoch", "epoch": 2, "loss": NaN, "accuracy": 0.1, "val_loss": NaN, "val_accuracy": 0.1}"#,
    ]

    func testRecordsFromStandardInput() throws {
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never"], stdin: Data((records.joined(separator: "\n") + "\n").utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(try CLIRunner.json(result)["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["format"] as? String, "jsonl")
        XCTAssertEqual(runs.first?["epochs"] as? Int, 3)
        let forced = try CLIRunner.run(["parse", "--input-format", "jsonl"], stdin: Data(records.joined(separator: "\n").utf8))
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stdout.contains("\"val_acc\""), forced.stdout)
    }

    /// A writer that appends a record per epoch and sleeps after the NaN: watch re-reads the growing
    /// input and alerts at epoch 3 while the writer still runs.
    func testWatchFollowsGrowingJSONLines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-jsonl-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("metrics.jsonl")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let script = records.map { "echo '\($0)' >> '\(log.path)'; sleep 0.3" }.joined(separator: "\n") + "\nsleep 20\n"
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", script]
        try writer.run()
        defer { if writer.isRunning { writer.terminate() } }
        let start = Date()
        let result = try CLIRunner.run(["watch", "--exit-on", "error", "--idle-timeout", "15", log.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(writer.isRunning, "watch waited for the writer")
        XCTAssertLessThan(Date().timeIntervalSince(start), 12)
        XCTAssertTrue(result.stderr.contains("non-finite at epoch 3"), result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix(records[0] + "\n"), "input passes through unchanged")
    }
}
