import Foundation
import XCTest

/// Logs made to blow up memory: a run per line, a metric per line, an epoch per line. The caps stop them with a
/// warning that names the cap and its option, and memory stays bounded.
final class AdversarialLogTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-adversarial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder!) }
    }

    /// The epoch counter goes back on every other line: each line would start a run.
    private func runPerLine(_ restarts: Int) throws -> String {
        let url = folder.appendingPathComponent("restarts.log")
        try Data(String(repeating: "Epoch 2/3, Loss: 0.5\nEpoch 1/3, Loss: 0.4\n", count: restarts).utf8).write(to: url)
        return url.path
    }

    /// A new metric name on every line.
    private func metricPerLine(_ lines: Int) throws -> String {
        let url = folder.appendingPathComponent("names.log")
        let text = (0..<lines).map { "{'loss': 0.5, 'metric_\($0)': 0.25, 'epoch': \(1 + $0 / 1000).0}\n" }.joined()
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Keras progress lines without an `Epoch` header: each repeats the values of the line before,
    /// and so starts an epoch.
    private func epochPerLine(_ lines: Int) throws -> String {
        let url = folder.appendingPathComponent("epochs.log")
        let text = (0..<lines).map { "\($0 % 1875 + 1)/1875 [======] - 0s 1ms/step - loss: 0.\($0 % 97 + 1) - accuracy: 0.5\n" }.joined()
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func runs(_ result: CLIRunner.Result) throws -> [[String: Any]] {
        try XCTUnwrap(try CLIRunner.json(result)["runs"] as? [[String: Any]])
    }

    func testARunPerLineStopsAtTheRunCap() throws {
        let log = try runPerLine(1500)
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", log])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try runs(result).count, 1000, "the default cap")
        XCTAssertTrue(result.stderr.contains("warning: \(log): more than 1000 runs") && result.stderr.contains("(--max-runs)"),
                      result.stderr)
        let lowered = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", "--max-runs", "5", log])
        XCTAssertEqual(try runs(lowered).count, 5)
        let events = (try runs(lowered).last?["events"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        XCTAssertTrue(events.contains { $0.contains("more than 5 runs") }, "\(events)")
    }

    func testAMetricPerLineStopsAtTheSeriesCap() throws {
        let log = try metricPerLine(3000)
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", "--max-series", "50", log])
        XCTAssertEqual(result.status, 0, result.stderr)
        let metrics = try XCTUnwrap(try runs(result).first?["metrics"] as? [String: Any])
        XCTAssertEqual(Set(metrics.keys.map { $0.replacingOccurrences(of: "@step", with: "") }).count, 50)
        XCTAssertTrue(result.stderr.contains("more than 50 metrics") && result.stderr.contains("(--max-series)"), result.stderr)
    }

    func testAnEpochPerLineStopsAtTheEpochCap() throws {
        let log = try epochPerLine(3000)
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", "--max-epochs", "1000", log])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try runs(result).first?["epochs"] as? Int, 1000)
        XCTAssertTrue(result.stderr.contains("more than 1000 epochs") && result.stderr.contains("(--max-epochs)"), result.stderr)
        let uncapped = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", log])
        XCTAssertEqual(try runs(uncapped).first?["epochs"] as? Int, 3000, "under the default cap nothing changes")
        XCTAssertFalse(uncapped.stderr.contains("--max-epochs"), uncapped.stderr)
    }

    func testCapsMustBePositive() throws {
        for option in ["--max-runs", "--max-series", "--max-epochs"] {
            let result = try CLIRunner.run(["analyze", option, "0", "x.log"])
            XCTAssertEqual(result.status, 2)
            XCTAssertTrue(result.stderr.contains(option), result.stderr)
        }
        let spool = try CLIRunner.run(["analyze", "--max-spool", "lots", "x.log"])
        XCTAssertEqual(spool.status, 2)
        XCTAssertTrue(spool.stderr.contains("--max-spool"), spool.stderr)
    }

    /// Peak memory of the whole process, as GNU time measures it. Before the caps these logs took
    /// about 350 MB (runs) and 125 MB with quadratic time (metrics) for 4 to 5 MB of text, and
    /// about 100 MB for the 30 MB of an epoch per line (2.5 GB for 1 GB).
    func testMemoryStaysBoundedOnBothLogs() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "needs GNU time in /usr/bin/time")
        for log in [try runPerLine(100_000), try metricPerLine(30_000), try epochPerLine(400_000)] {
            let measure = folder.appendingPathComponent("rss").path
            let result = try CLIRunner.run(
                ["-f", "%M", "-o", measure, CLIRunner.binary.path, "analyze", "--format", "text", "--fail-on", "never", log],
                executable: URL(fileURLWithPath: "/usr/bin/time"))
            XCTAssertEqual(result.status, 0, result.stderr)
            let kilobytes = try XCTUnwrap(Int(try String(contentsOfFile: measure, encoding: .utf8)
                .split(separator: "\n").last.map(String.init) ?? ""))
            XCTAssertLessThan(kilobytes, 150 << 10, "peak RSS of \((log as NSString).lastPathComponent)")
        }
    }
}
