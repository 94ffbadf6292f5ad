import Foundation
import XCTest

final class AnalyzeCommandTests: XCTestCase {
    func testJSONReportFollowsTheSchema() throws {
        let sample = CLIRunner.repository.appendingPathComponent("samples/pytorch-healthy.log").path
        let result = try CLIRunner.run(["analyze", "--format", "json", "--fail-on", "never", sample])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try CLIRunner.json(result)
        XCTAssertEqual(json["schemaVersion"] as? Int, 1)
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0]["format"] as? String, "pytorch-console")
        XCTAssertEqual(runs[0]["epochs"] as? Int, 25)
        let metrics = try XCTUnwrap(runs[0]["metrics"] as? [String: [String: Any]])
        XCTAssertEqual(Set(metrics.keys), ["loss", "acc", "val_loss", "val_acc"])
        XCTAssertEqual(metrics["val_loss"]?["split"] as? String, "validation")
        XCTAssertEqual(metrics["val_loss"]?["granularity"] as? String, "epoch")
        XCTAssertEqual((metrics["loss"]?["values"] as? [Double])?.first, 2.1596)
        XCTAssertNotNil(runs[0]["findings"] as? [Any])
        XCTAssertEqual((json["errors"] as? [Any])?.count, 0)
    }

    func testNonFiniteValuesAreWrittenAsStrings() throws {
        let sample = CLIRunner.repository.appendingPathComponent("samples/keras-console-nan-at-epoch-1.log").path
        let result = try CLIRunner.run(["parse", sample])
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(CLIRunner.json(result)["runs"] as? [[String: Any]])
        let metrics = try XCTUnwrap(runs.first?["metrics"] as? [String: [String: Any]])
        let loss = try XCTUnwrap(metrics["loss"]?["values"] as? [Any])
        XCTAssertEqual(loss.first as? String, "NaN")
    }

    func testStandardInputIsReadWhenPiped() throws {
        let log = "Epoch 1, Loss: 0.9\nEpoch 2, Loss: 0.7\nEpoch 3, Loss: 0.5\n"
        let result = try CLIRunner.run(["parse"], stdin: Data(log.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(CLIRunner.json(result)["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["source"] as? String, "-")
        XCTAssertEqual(runs.first?["epochs"] as? Int, 3)
    }

    func testLargeStandardInputIsReadThroughATemporaryFileThatIsRemoved() throws {
        // Over the 8 MB kept in memory, and read in blocks on all cores once spooled.
        var log = ""
        for epoch in 1...20 {
            for step in 1...12_000 {
                log += "Epoch \(epoch)/20, step \(step)/12000, loss = \(String(format: "%.4f", 2.0 / Double(epoch) + Double(step) * 1e-6))\n"
            }
        }
        XCTAssertGreaterThan(log.utf8.count, 8 << 20)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID())", isDirectory: true)
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let result = try CLIRunner.run(["parse"], stdin: Data(log.utf8), environment: ["TMPDIR": temporary.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(CLIRunner.json(result)["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["source"] as? String, "-")
        XCTAssertEqual(runs.first?["epochs"] as? Int, 20)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.path), [], "the spooled copy is removed")

        // Where no temporary file can be made, the input is kept in memory and still read.
        let nowhere = temporary.appendingPathComponent("missing").path
        let inMemory = try CLIRunner.run(["parse"], stdin: Data(log.utf8), environment: ["TMPDIR": nowhere])
        XCTAssertEqual(inMemory.status, 0, inMemory.stderr)
        XCTAssertEqual(inMemory.stdout, result.stdout)
    }

    func testAFileWithoutMetricsIsAnInputErrorNamingTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID()).txt")
        try Data("nothing to see here\njust words\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CLIRunner.run(["analyze", "--format", "json", file.path])
        XCTAssertEqual(result.status, 2)
        let errors = try XCTUnwrap(CLIRunner.json(result)["errors"] as? [[String: Any]])
        XCTAssertEqual(errors.first?["source"] as? String, file.path)
        XCTAssertTrue((errors.first?["message"] as? String ?? "").contains("no training metrics found"))
        XCTAssertTrue(result.stderr.contains(file.path))
    }

    func testMissingPathExitsWithTwo() throws {
        let result = try CLIRunner.run(["analyze", "/nonexistent/losslens/run.log"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("no such file or directory"))
    }

    func testUnknownOptionValueIsAUsageErrorWithExitTwo() throws {
        let result = try CLIRunner.run(["analyze", "--format", "yaml", "samples"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("yaml"))
    }

    func testVersionIsPrinted() throws {
        let result = try CLIRunner.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertFalse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
