import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Epoch numbers no training reaches are read as no epoch, never turned into an integer that traps.
final class EpochRangeTests: XCTestCase {
    func testAHugeEpochNumberFoundByTheFuzzerIsNotACrash() throws {
        let url = try TestFixtures.url("fuzz/console-huge-epoch.log")
        let runs = try Analyzer().parse(LogInput(source: "fuzz.log", data: try Data(contentsOf: url)))
        XCTAssertFalse(runs.isEmpty)
    }

    func testEpochsBeyondTheRangeArePlacedAsIfUnnamed() throws {
        let log = "Epoch 1/3, loss = 0.9\nEpoch 99999999999999999999/3, loss = 0.8\nEpoch 3/3, loss = 0.7\n"
        let run = try XCTUnwrap(try ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.series(named: "loss")?.values, [0.8, 0.7], "the unnamed record joins epoch 1, then epoch 3 follows")
        XCTAssertEqual(run.series(named: "loss")?.points.map(\.epoch), [1, 3])
    }

    func testAnInfiniteHuggingFaceEpochIsNotACrash() throws {
        let log = "{'loss': '0.9', 'epoch': '0.5'}\n{'loss': '0.8', 'epoch': '1e999'}\n{'loss': '0.7', 'epoch': '1.0'}\n"
        let run = try XCTUnwrap(try ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.values, [0.9, 0.8, 0.7])
    }
}
