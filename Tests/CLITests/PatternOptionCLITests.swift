import Foundation
import XCTest

/// Runs the built `losslens` binary with `--patterns`, as a user would.
final class PatternOptionCLITests: XCTestCase {
    /// The binary `swift build` put in this package's .build folder (debug first, as `swift test` builds it).
    private var binary: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = ["debug", "release"].map { root.appendingPathComponent(".build/\($0)/losslens") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testUserPatternDirectoryReadsANewDialect() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "losslens binary not built")
        let directory = try temporaryDirectory()
        try "@require round\n^round (?<epoch>\\d+) cost=(?<loss>\\S+)$\n"
            .write(to: directory.appendingPathComponent("rounds.pcre"), atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("train.log")
        try "round 1 cost=0.9\nround 2 cost=0.7\nround 3 cost=0.5\n".write(to: log, atomically: true, encoding: .utf8)
        let result = try run(["parse", "--patterns", directory.path, log.path])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("\"loss\""), result.output)
        XCTAssertTrue(result.output.contains("0.5"), result.output)
    }

    func testBadUserPatternNamesTheFileAndLine() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "losslens binary not built")
        let directory = try temporaryDirectory()
        try "# comment\n^Epoch (?<epoch>\\d+\n".write(
            to: directory.appendingPathComponent("broken.pcre"), atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("train.log")
        try "Epoch 1 loss: 0.5\n".write(to: log, atomically: true, encoding: .utf8)
        let result = try run(["parse", "--patterns", directory.path, log.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("broken.pcre:2"), result.error)
    }
}
