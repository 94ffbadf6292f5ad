import XCTest

@testable import LossLensCore

/// Numbers are written straight into the report's bytes: they must read as Swift prints them.
final class JSONNodeTests: XCTestCase {
    func testIntegersAreWrittenAsSwiftPrintsThem() {
        let values = [0, 7, -7, 10, 1_000_000, -1_000_000, 123_456_789_012, Int.max, Int.min]
        XCTAssertEqual(JSONNode.integers(values + [nil]).serialized(pretty: false),
                       "[" + values.map(String.init).joined(separator: ", ") + ", null]")
        for value in values {
            XCTAssertEqual(JSONNode.integer(value).serialized(pretty: false), String(value))
        }
    }

    func testNumbersKeepTheirShortestForm() {
        let node = JSONNode.numbers([0.1, 2.0, -3.5, 1e-05, 1e300, .nan, .infinity, -.infinity])
        XCTAssertEqual(node.serialized(pretty: false), #"[0.1, 2, -3.5, 1e-05, 1e+300, "NaN", "Infinity", "-Infinity"]"#)
    }
}
