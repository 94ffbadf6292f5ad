import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes

/// Whatever `ShortestDecimal` writes must be exactly what `description` writes.
final class ShortestDecimalTests: XCTestCase {
    private func assertLikeDescription(_ value: Double, file: StaticString = #filePath, line: UInt = #line) {
        var bytes: [UInt8] = []
        if ShortestDecimal.append(value, to: &bytes) {
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), value.description, "bits \(value.bitPattern)", file: file, line: line)
        } else {
            XCTAssertTrue(bytes.isEmpty, "nothing appended when it declines", file: file, line: line)
        }
    }

    func testLogLikeDecimalsAreWrittenAsDescriptionWritesThem() {
        var generator = SystemRandomNumberGenerator()
        var written = 0
        for _ in 0..<200_000 {
            // A number as a log prints it: up to 17 digits, the point anywhere, sometimes an exponent.
            let digits = UInt64.random(in: 1...(UInt64(10).power(Int.random(in: 1...17, using: &generator))), using: &generator)
            let text = "\(Bool.random(using: &generator) ? "-" : "")\(digits)e\(Int.random(in: -24...12, using: &generator))"
            let value = Double(text)!
            assertLikeDescription(value)
            var bytes: [UInt8] = []
            if ShortestDecimal.append(value, to: &bytes) { written += 1 }
        }
        XCTAssertGreaterThan(written, 100_000, "most log-like values take the short way")
    }

    func testAnyDoubleIsWrittenAsDescriptionWritesItOrDeclined() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            assertLikeDescription(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
        }
        for value in [0.0001, 0.00012, 9.999e-05, 1e-20, 9.99e-21, 1e-4, 5e-05, 0.1, 0.30000000000000004, 2.355, 100.5,
                      123456789012345.6, 999999999999999.9, 1e15, 1.5, -0.0, 0.0, 7.0, 1e-7, 4.5e-07, 1.2345678901234e-10] {
            assertLikeDescription(value)
            assertLikeDescription(value.nextUp)
            assertLikeDescription(value.nextDown)
        }
    }
}

private extension UInt64 {
    func power(_ exponent: Int) -> UInt64 { (0..<exponent).reduce(1) { product, _ in product * self } }
}
