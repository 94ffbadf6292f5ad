import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes

final class NumberBytesTests: XCTestCase {
    private func bytesValue(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { NumberParsing.value($0) }
    }

    private func assertSame(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let fromString = NumberParsing.value(text)
        let fromBytes = bytesValue(text)
        if let fromString, fromString.isNaN {
            XCTAssertTrue(fromBytes?.isNaN ?? false, text, file: file, line: line)
        } else {
            XCTAssertEqual(fromBytes?.bitPattern, fromString?.bitPattern, text, file: file, line: line)
        }
    }

    func testPrintedValuesReadExactlyAsDoubleFromString() {
        for text in ["0.0296", "1.0e-03", "5e-05", "-0.0", "+3", "12", "0.1", "0.30000000000000004", "123456789.123456789",
                     "9007199254740993", "1e22", "1e23", "4.9e-324", "1.7976931348623157e308", "1e999", ".5", "1.",
                     "2.3025850929940455", "0.12345678901234567890", "-1.5E+3", "00012.5000"] {
            assertSame(text)
            var copy = text
            XCTAssertEqual(copy.withUTF8 { DecimalBytes.double($0) }?.bitPattern, Double(text)?.bitPattern, text)
        }
    }

    func testRandomDecimalsMatchDoubleFromString() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let digits = Int.random(in: 1...18, using: &generator)
            let mantissa = String((0..<digits).map { _ in "0123456789".randomElement(using: &generator)! })
            let point = Int.random(in: 0...digits, using: &generator)
            var text = String(mantissa.prefix(point)) + "." + String(mantissa.dropFirst(point))
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            assertSame(text)
        }
    }

    func testLogFormsReadLikeTheStringVersion() {
        for text in ["55.00%", "84.90%", "1e2%", "'4.161'", "\"0.5\"", "[ 0.5916]", "[0.5916 ]", "nan", "-inf", "Infinity",
                     "9800/10000 (98%)", "abc", "", "'", "1.2.3", "5e", "-", "0x1p3", " 0.5 ", "0.5 %"] {
            assertSame(text)
        }
    }

    func testIntegersReadLikeIntFromString() {
        for text in ["0", "42", "-7", "+5", "007", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "", "-", "1.0", "12a"] {
            var copy = text
            XCTAssertEqual(copy.withUTF8 { DecimalBytes.integer($0) }, Int(text), text)
        }
    }

    /// A layout made from one number reads every number with digits at the same places as
    /// `DecimalBytes.double` does, or leaves it to it (nil).
    func testDigitLayoutsReadLikeDecimalBytes() {
        var generator = SystemRandomNumberGenerator()
        func randomDigits(_ text: String) -> String {
            String(text.map { $0.isNumber ? "0123456789".randomElement(using: &generator)! : $0 })
        }
        var layouts = 0
        for pattern in ["2.356", "0.0002", "5e-05", "1.0e-03", "-0.5", "+12", "3.", ".25", "7E+2", "123456789012345",
                        "1e999", "1234567890123456", "1e", "-", "1.2.3", "0.5%", "e5", "1e0001"] {
            var copy = pattern
            let layout = copy.withUTF8 { DecimalLayout($0) }
            XCTAssertEqual(layout != nil, ["2.356", "0.0002", "5e-05", "1.0e-03", "-0.5", "+12", "3.", ".25", "7E+2",
                                           "123456789012345", "1e999"].contains(pattern), pattern)
            guard let layout else { continue }
            layouts += 1
            for _ in 0..<500 {
                var number = randomDigits(pattern)
                let expected = number.withUTF8 { DecimalBytes.double($0) }
                if let read = number.withUTF8({ layout.value(at: $0.baseAddress!) }) {
                    XCTAssertEqual(read.bitPattern, expected?.bitPattern, "\(number) read by the layout of \(pattern)")
                }
            }
        }
        XCTAssertEqual(layouts, 11)
        var beyond = "9e-99"
        XCTAssertNil(beyond.withUTF8 { bytes in DecimalLayout(bytes)?.value(at: bytes.baseAddress!) }, "a power of ten past 22 is left to DecimalBytes")
    }
}
