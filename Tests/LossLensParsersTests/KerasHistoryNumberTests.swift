import XCTest
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Metric lists that contain 0.0 or 1.0 (a perfect or zero accuracy, a zero loss) must survive
/// parsing: on Linux `NSNumber(1.0) is Bool` is true, which once dropped such lists.
final class KerasHistoryNumberTests: XCTestCase {
    func testListsWithZeroAndOneAreKept() throws {
        let log = #"{"loss": [0.0, 0.0, 0.0], "accuracy": [0.5, 1.0, 1.0], "val_accuracy": [0, 0, 1]}"#
        let runs = try KerasHistoryParser().parse(LogInput(source: "h.json", data: Data(log.utf8)))
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.series(.loss, .train)?.values, [0, 0, 0])
        XCTAssertEqual(run.series(.accuracy, .train)?.values, [0.5, 1, 1])
        XCTAssertEqual(run.series(.accuracy, .validation)?.values, [0, 0, 1])
    }

    func testBooleansAreNotNumbers() {
        XCTAssertNil(LenientJSON.number(NSNumber(value: true)))
        XCTAssertEqual(LenientJSON.number(NSNumber(value: 1.0)), 1.0)
    }
}
