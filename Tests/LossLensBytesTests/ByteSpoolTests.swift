import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Bytes that arrive over time stay in memory while small and go to a temporary file past the
/// limit; `watch` keeps what it followed there, so its memory does not grow with the log.
final class ByteSpoolTests: XCTestCase {
    private func epochs(_ range: ClosedRange<Int>, nanAt: Int? = nil) -> Data {
        Data(range.map { "Epoch \($0)/60, loss = \($0 == nanAt ? "nan" : String(1.0 / Double($0)))\n" }.joined().utf8)
    }

    /// Spool files of this process: they have no name, so there are none to find.
    private func namedSpoolFiles() -> [String] {
        let folder = NSTemporaryDirectory()
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("losslens-spool-") }
    }

    func testBytesPastTheLimitGoToAnUnnamedFileThatLivesAsLongAsItsContent() throws {
        let before = namedSpoolFiles()
        var spool: ByteSpool? = ByteSpool(memoryLimit: 100)
        let data = epochs(1...20)
        try spool?.append(data.prefix(50))
        guard case .memory = spool?.content(upTo: 50) else { return XCTFail("under the limit the bytes stay in memory") }
        try spool?.append(data.dropFirst(50))
        guard let content = spool?.content(upTo: 120), case let .spooled(_, size) = content else {
            return XCTFail("expected a spool file past the limit")
        }
        XCTAssertEqual(size, 120)
        XCTAssertEqual(Set(namedSpoolFiles()), Set(before), "the spool file has no name to leave behind")
        spool = nil
        XCTAssertEqual(try content.bytes(in: 0..<size), data.prefix(120), "the content keeps the file open")
    }

    func testAppendingPastTheCapFailsAndKeepsWhatCameBefore() throws {
        let spool = ByteSpool(memoryLimit: 64, limit: 200)
        let data = epochs(1...20)
        try spool.append(data.prefix(150))
        XCTAssertThrowsError(try spool.append(data.dropFirst(150).prefix(100))) { error in
            XCTAssertEqual(error as? SpoolError, .limitReached(limit: 200))
            XCTAssertTrue(error.localizedDescription.contains("--max-spool"), error.localizedDescription)
        }
        XCTAssertEqual(spool.count, 150)
        XCTAssertEqual(try spool.content(upTo: 150).bytes(in: 0..<150), data.prefix(150))
    }

    func testByteCountsAreReadAndWrittenAsUsersWriteThem() {
        XCTAssertEqual(ByteCount.parse("4G"), 4 << 30)
        XCTAssertEqual(ByteCount.parse("512m"), 512 << 20)
        XCTAssertEqual(ByteCount.parse("64KiB"), 64 << 10)
        XCTAssertEqual(ByteCount.parse("1000"), 1000)
        XCTAssertNil(ByteCount.parse("0"))
        XCTAssertNil(ByteCount.parse("lots"))
        XCTAssertEqual(ByteCount.describe(4 << 30), "4 GiB")
        XCTAssertEqual(ByteCount.describe(1000), "1000 bytes")
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
                try? live.append(log.subdata(in: offset..<end))
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
