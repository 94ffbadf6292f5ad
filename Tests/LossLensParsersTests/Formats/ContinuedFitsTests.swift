import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel

/// Keras `fit(epochs=N)` called in a loop: calls that start where the last one ended are one
/// training; a call that starts over is a run of its own.
final class ContinuedFitsTests: XCTestCase {
    /// Keras verbose 2 output of `fit(epochs=3)` calls whose losses are `calls`.
    private func log(_ calls: [[Double]]) -> String {
        calls.map { losses in
            losses.enumerated().map { "Epoch \($0.offset + 1)/\(losses.count)\n1563/1563 - 3s - loss: \($0.element) - acc: 0.5" }
                .joined(separator: "\n")
        }.joined(separator: "\nsample: the quick brown fox\n") + "\n"
    }

    func testCallsThatContinueOneTrainingAreOneRun() throws {
        let runs = try FormatTesting.runs(log([[2.38, 1.9, 1.56], [1.41, 1.3, 1.22], [1.18, 1.15, 1.12]]))
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].format, .kerasConsole)
        XCTAssertValues(runs[0].values("loss"), [2.38, 1.9, 1.56, 1.41, 1.3, 1.22, 1.18, 1.15, 1.12])
        XCTAssertNil(runs[0].plannedEpochs)
        XCTAssertTrue(runs[0].notes.contains(ContinuedFits.note))
    }

    func testACallThatStartsOverIsARunOfItsOwn() throws {
        // Cross-validation folds: each call starts near the untrained loss again.
        let runs = try FormatTesting.runs(log([[2.38, 1.9, 1.56], [2.31, 1.85, 1.5]]))
        XCTAssertEqual(runs.count, 2)
        XCTAssertFalse(runs[0].notes.contains(ContinuedFits.note))
    }
}
