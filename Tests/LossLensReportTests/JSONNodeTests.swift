import XCTest

@_spi(Layers) @testable import LossLensReport

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

    func testAWrittenReportComesInBoundedPiecesThatMakeTheSerializedForm() {
        let series = JSONNode.object((0..<4).map { index in
            ("metric \(index)", .object([
                ("values", .numbers((0..<30_000).map { Double($0) / 7 })),
                ("steps", .integers((0..<30_000).map { $0 % 11 == 0 ? nil : $0 })),
            ]))
        })
        let node = JSONNode.object([("runs", .array([series, series])), ("name", .string("a \"quoted\" run"))])
        var pieces: [[UInt8]] = []
        node.write(prettyLineTo: { pieces.append(Array($0)) })
        XCTAssertGreaterThan(pieces.count, 10)
        // A piece ends at the first item past the size, and one number is short.
        XCTAssertLessThan(pieces.map(\.count).max() ?? 0, 65 << 10)
        XCTAssertEqual(String(decoding: pieces.joined(), as: UTF8.self), node.serialized() + "\n")
    }
}
