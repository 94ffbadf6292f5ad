import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel

/// Redraws of one progress bar on one physical line: the screen shows the last one.
final class RedrawElisionTests: XCTestCase {
    func testRedrawsOfOneBarWithoutEpochHeadersAreOneEpoch() throws {
        // `model.evaluate()` alone: one bar redrawn in place, no `Epoch` line.
        let redraws = (1...300).map { "\($0)/300 [==============================] - 0s - loss: 0.\(1000 + $0) - acc: 0.\(5000 + $0)" }
        let log = "\r" + redraws.joined(separator: "\u{8}\u{8}\r") + "\n"
        let run = try XCTUnwrap(try ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.series(named: "loss")?.values, [0.13])
    }

    func testRedrawsWithAStepKeepEveryStep() throws {
        let redraws = (1...50).map { "Epoch 1:  \($0 * 2)%|███ | \($0)/50 [00:01<00:02, 5.00it/s, loss=0.\(500 - $0)]" }
        let log = "\r" + redraws.joined(separator: "\r") + "\n"
        let run = try XCTUnwrap(try ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.values.count, 50)
    }
}
