import Foundation
import XCTest

/// Runs the built `losslens` binary with `--patterns`, as a user would.
final class PatternOptionCLITests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testUserPatternDirectoryReadsANewDialect() throws {
        let directory = try temporaryDirectory()
        try "@require round\n^round (?<epoch>\\d+) cost=(?<loss>\\S+)$\n"
            .write(to: directory.appendingPathComponent("rounds.pcre"), atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("train.log")
        try "round 1 cost=0.9\nround 2 cost=0.7\nround 3 cost=0.5\n".write(to: log, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["parse", "--patterns", directory.path, log.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"loss\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("0.5"), result.stdout)
    }

    func testBadUserPatternNamesTheFileAndLine() throws {
        let directory = try temporaryDirectory()
        try "# comment\n^Epoch (?<epoch>\\d+\n".write(
            to: directory.appendingPathComponent("broken.pcre"), atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("train.log")
        try "Epoch 1 loss: 0.5\n".write(to: log, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["parse", "--patterns", directory.path, log.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("broken.pcre:2"), result.stderr)
    }
}
