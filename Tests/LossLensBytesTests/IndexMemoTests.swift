import XCTest

@_spi(Layers) @testable import LossLensBytes

/// The per-cell memo of table rows: each value computed once per round, forgotten all at once.
final class IndexMemoTests: XCTestCase {
    func testValuesAreComputedOnceUntilForgottenAndSurviveGrowth() {
        let memo = IndexMemo<Int>(capacity: 2)
        var computed = 0
        func value(_ index: Int, _ made: Int) -> Int {
            memo.value(at: index) {
                computed += 1
                return made
            }
        }
        XCTAssertEqual(value(1, 10), 10)
        XCTAssertEqual(value(1, 11), 10, "asked again: the first value")
        // Past the capacity: the memory grows and keeps what was computed.
        XCTAssertEqual(value(40, 400), 400)
        XCTAssertEqual(value(1, 12), 10)
        XCTAssertEqual(value(0, 0), 0)
        XCTAssertEqual(computed, 3)
        memo.forgetAll()
        XCTAssertEqual(value(1, 13), 13, "forgotten: computed again")
        XCTAssertEqual(value(40, 401), 401)
        XCTAssertEqual(value(2, 20), 20)
        XCTAssertEqual(computed, 6)
    }
}
