import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// Bytes that arrive over time stay in memory while small and go to a temporary file past the
/// limit; `watch` keeps what it followed there, so its memory does not grow with the log.
final class ByteSpoolTests: XCTestCase {
    private func epochs(_ range: ClosedRange<Int>, nanAt: Int? = nil) -> Data {
        Data(range.map { "Epoch \($0)/60, loss = \($0 == nanAt ? "nan" : String(1.0 / Double($0)))\n" }.joined().utf8)
    }

    func testBytesPastTheLimitGoToAFileThatGoesAwayWithTheSpool() throws {
        var spool: ByteSpool? = ByteSpool(memoryLimit: 100)
        let data = epochs(1...20)
        spool?.append(data.prefix(50))
        guard case .memory = spool?.content(upTo: 50) else { return XCTFail("under the limit the bytes stay in memory") }
        spool?.append(data.dropFirst(50))
        guard case let .file(path, size)? = spool?.content(upTo: 120) else { return XCTFail("expected a file past the limit") }
        XCTAssertEqual(size, 120)
        XCTAssertEqual(try LogContent.file(path: path, size: size).bytes(in: 0..<size), data.prefix(120))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), data)
        spool = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the temporary file is removed")
    }

    func testAFileIsReadOnlyUpToItsSizeWhenOpened() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("growing-\(UUID().uuidString).log")
        try epochs(1...3).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let input = try LogInput(source: url.path, filePath: url.path)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: epochs(4...6))
        try handle.close()
        let run = try XCTUnwrap(try Analyzer().parse(input).first)
        XCTAssertEqual(run.series(named: "loss")?.values.count, 3, "lines written after the input was opened are not read")
    }

    func testLiveAnalysisPastTheMemoryLimitAlertsAndReportsAsInMemory() throws {
        let analyzer = try Analyzer()
        let log = epochs(1...60, nanAt: 41)
        func follow(memoryLimit: Int) -> (alerts: [String], report: AnalysisReport) {
            let live = LiveAnalysis(source: "-", analyzer: analyzer, memoryLimit: memoryLimit)
            var alerts: [String] = []
            var offset = 0
            while offset < log.count {
                // Chunks that end inside lines, as a pipe delivers them.
                let end = min(log.count, offset + 97)
                live.append(log.subdata(in: offset..<end))
                alerts += live.newAlerts().map { "\($0.finding.rule) \($0.finding.firstEpoch ?? 0)" }
                offset = end
            }
            return (alerts, live.finalReport())
        }
        let inMemory = follow(memoryLimit: 1 << 20)
        let spooled = follow(memoryLimit: 256)
        XCTAssertEqual(inMemory.alerts, ["non-finite 41"])
        XCTAssertEqual(spooled.alerts, inMemory.alerts)
        // Described, not compared with ==: the NaN is not equal to itself.
        XCTAssertEqual(String(describing: spooled.report.runs.map(\.run)), String(describing: inMemory.report.runs.map(\.run)))
        XCTAssertEqual(spooled.report.runs.first?.run.series(named: "loss")?.values.count, 60)
    }
}
