import XCTest
@_spi(Layers) @testable import LossLensReport

final class SparklineTests: XCTestCase {
    func testScalesFromLowestToHighestBlock() {
        XCTAssertEqual(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Sparkline.render([3, 2, 1]), "█▅▁")
    }

    func testAFlatSeriesIsAFlatLine() {
        XCTAssertEqual(Sparkline.render([0.5, 0.5, 0.5]), "▄▄▄")
    }

    func testNonFiniteValuesHaveTheirOwnMarks() {
        XCTAssertEqual(Sparkline.render([1, .nan, 2, .infinity, -.infinity]), "▁×█↑↓")
        XCTAssertEqual(Sparkline.render([.nan, .nan]), "××")
    }

    func testLongSeriesAreAveragedIntoTheWidthAndKeepNaNVisible() {
        let values = (0..<100).map { Double($0) }
        let line = Sparkline.render(values, width: 10)
        XCTAssertEqual(line.count, 10)
        XCTAssertEqual(line.first, "▁")
        XCTAssertEqual(line.last, "█")
        var withNaN = values
        withNaN[55] = .nan
        XCTAssertEqual(Array(Sparkline.render(withNaN, width: 10))[5], "×")
    }

    func testValuesSpanningOrdersOfMagnitudeUseALogScale() {
        let exploding = [1e20, 1e10, 10, 1]
        XCTAssertEqual(ValueScale.suited(to: exploding), .log10)
        XCTAssertEqual(Sparkline.render(exploding), "█▅▁▁")
        XCTAssertEqual(Sparkline.render(exploding, scale: .linear), "█▁▁▁")
        XCTAssertEqual(ValueScale.suited(to: [2.3, 2.2, 2.1]), .linear)
        XCTAssertEqual(ValueScale.suited(to: [1000, 0, 1]), .linear, "zero cannot go on a log axis")
    }
}
