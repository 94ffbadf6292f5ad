import XCTest
@_spi(Layers) @testable import LossLensAnalysis

final class SeriesStatisticsTests: XCTestCase {
    func testMedian() {
        XCTAssertEqual(SeriesStatistics.median([3, 1, 2]), 2)
        XCTAssertEqual(SeriesStatistics.median([4, 1, 3, 2]), 2.5)
        XCTAssertNil(SeriesStatistics.median([]))
    }

    /// Selecting the median gives what sorting gives, bit for bit, on long lists with repeats,
    /// infinities and zeros of both signs.
    func testTheMedianOfALongListIsTheMiddleOfItsSortedValues() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            // Half the lists without -0, which sorting may place on either side of +0.
            let zeros: [Double] = round % 2 == 0 ? [0, -0.0] : [0]
            let pool: [Double] = [-.infinity, .infinity, 1, 1, 2.5, -3] + zeros + (0..<5).map { _ in Double.random(in: -9...9, using: &generator) }
            let values = (0..<Int.random(in: 1...600, using: &generator)).map { _ in
                Bool.random(using: &generator) ? pool.randomElement(using: &generator)! : Double.random(in: -1e6...1e6, using: &generator)
            }
            let sorted = values.sorted(), middle = values.count / 2
            let expected = values.count % 2 == 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
            let found = SeriesStatistics.median(values)!
            XCTAssertTrue(found.bitPattern == expected.bitPattern || (found.isNaN && expected.isNaN), "\(values.count) values")
        }
    }

    func testTheilSenIgnoresAnOutlier() throws {
        let slope = try XCTUnwrap(SeriesStatistics.theilSenSlope([0, 1, 2, 300, 4, 5, 6]))
        XCTAssertEqual(slope, 1, accuracy: 1e-12)
    }

    func testLogSlopeMeasuresGeometricGrowth() throws {
        let doubling = (0..<8).map { pow(2.0, Double($0)) * 0.01 }
        XCTAssertEqual(try XCTUnwrap(SeriesStatistics.logSlope(doubling)), log(2), accuracy: 1e-12)
        XCTAssertNil(SeriesStatistics.logSlope([1, 0, 2]), "log slope needs positive values")
    }

    func testSignChangeRate() {
        XCTAssertEqual(SeriesStatistics.signChangeRate([1, 2, 3, 4]), 0)
        XCTAssertEqual(SeriesStatistics.signChangeRate([1, 3, 1, 3, 1]), 1)
        XCTAssertEqual(SeriesStatistics.signChangeRate([1, 1, 2, 2, 1]), 1, "flat steps are ignored")
    }

    func testRelativeMeasuresAreScaleFree() throws {
        let values = [10.0, 9, 8, 7, 6, 5]
        let scaled = values.map { $0 * 1e6 }
        XCTAssertEqual(try XCTUnwrap(SeriesStatistics.relativeChangeOverRun(values, window: 2)),
                       try XCTUnwrap(SeriesStatistics.relativeChangeOverRun(scaled, window: 2)), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(SeriesStatistics.relativeSpread(values)), try XCTUnwrap(SeriesStatistics.relativeSpread(scaled)),
                       accuracy: 1e-12)
        XCTAssertEqual(SeriesStatistics.relativeSpread([2, 2, 2]), 0)
    }

    func testWindowLengthIsAFifthBetweenThreeAndTen() {
        XCTAssertEqual(SeriesStatistics.windowLength(forCount: 8), 3)
        XCTAssertEqual(SeriesStatistics.windowLength(forCount: 20), 4)
        XCTAssertEqual(SeriesStatistics.windowLength(forCount: 200), 10)
    }

    func testRollingMediansAndBinaryEntropy() {
        XCTAssertEqual(SeriesStatistics.rollingMedians([5, 1, 4, 2, 3], length: 3), [4, 2, 3])
        XCTAssertEqual(SeriesStatistics.binaryEntropy(0.5), log(2), accuracy: 1e-12)
        XCTAssertEqual(SeriesStatistics.binaryEntropy(0.9463), 0.20927, accuracy: 1e-4)
        XCTAssertEqual(SeriesStatistics.binaryEntropy(1), 0)
    }

    func testTheilSenSlopeOfAVeryLongSeriesIsBoundedAndStillRobust() throws {
        // 50 000 values: all pairs would be 1.25 billion slopes.
        let values = (0..<50_000).map { index in index % 97 == 0 ? 1e6 : 3.0 - 0.001 * Double(index) }
        let slope = try XCTUnwrap(SeriesStatistics.theilSenSlope(values))
        XCTAssertEqual(slope, -0.001, accuracy: 1e-9)
    }
}
