import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Byte-level fast paths for ASCII text must give what the character-level code they shortcut gives.
final class ASCIIFastPathTests: XCTestCase {
    private func randomText(from alphabet: [Character], using generator: inout some RandomNumberGenerator) -> String {
        String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    func testMetricNameWordsOfASCIIAreThoseOfCharacters() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09_- /.:lossValAcc'\"[]%@")
        for _ in 0..<5000 {
            let raw = randomText(from: alphabet, using: &generator)
            XCTAssertEqual(MetricName.asciiWords(of: raw), MetricName.characterWords(of: raw), raw)
        }
    }

    func testNumbersAreTrimmedAsFoundationTrimsThem() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(" \t'\"[]0.5e-%nan\u{00A0}é")
        for _ in 0..<5000 {
            let raw = randomText(from: alphabet, using: &generator)[...]
            XCTAssertEqual(String(NumberParsing.trimmingWhitespace(raw)), raw.trimmingCharacters(in: .whitespaces), raw.debugDescription)
            XCTAssertEqual(String(NumberParsing.trimmingQuotesAndBrackets(raw)),
                           raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t'\"[]")), raw.debugDescription)
        }
        XCTAssertEqual(NumberParsing.value("\u{00A0}0.5\u{00A0}"), 0.5, "a no-break space is whitespace too")
    }

    func testMetricKeysLoseQuotesAndSpacesAtTheirEnds() {
        XCTAssertEqual(MetricKey(raw: " 'val_loss' ").name, "val_loss")
        XCTAssertEqual(MetricKey(raw: "\"Test Acc\"").name, "Test Acc")
        XCTAssertEqual(MetricKey(raw: "''").name, "")
        XCTAssertEqual(MetricKey(raw: "é'").name, "é")
    }
}
