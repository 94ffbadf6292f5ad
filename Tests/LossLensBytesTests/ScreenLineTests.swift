import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensParsers

final class ScreenLineTests: XCTestCase {
    private func screen(_ bytes: [UInt8]) -> (segments: [String], indent: Int) {
        var line = ScreenLine()
        bytes.withUnsafeBufferPointer { line.load(RawLine(bytes: $0, number: 1, offset: 0, continues: false)) }
        return (line.segments.map(line.string), line.indent)
    }

    private func screen(_ text: String) -> (segments: [String], indent: Int) { screen(Array(text.utf8)) }

    func testRedrawsAreScreenStatesWithoutEscapesOrBackspaces() {
        let keras = "\u{1b}[1m 1/50\u{1b}[0m \u{1b}[32m━━\u{1b}[0m - loss: 2.3\u{08}\u{08}\r\u{1b}[1m50/50\u{1b}[0m - loss: 1.9"
        XCTAssertEqual(screen(keras).segments, ["1/50 ━━ - loss: 2.3", "50/50 - loss: 1.9"])
    }

    func testBlankStatesAreDroppedAndIndentComesFromTheLastState() {
        let result = screen("  first  \r   \r\t  second\r")
        XCTAssertEqual(result.segments, ["first", "second"])
        XCTAssertEqual(result.indent, 10)
    }

    func testUnicodeSpacesAreTrimmedLikeFoundation() {
        XCTAssertEqual(screen("\u{00A0}loss: 1\u{3000}").segments, ["loss: 1"])
    }

    func testInvalidUTF8BecomesAReplacementCharacterLikeStringDecoding() {
        let bytes: [UInt8] = [0xC4, 0xE3, 0xBA, 0xC3] + Array(" Loss: 1.5 ".utf8) + [0xE2, 0x82]
        let expected = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        XCTAssertEqual(screen(bytes).segments, [expected])
    }

    func testTheByteFormMatchesTheStringFormOfLogLine() throws {
        let text = "Epoch 1/2\n\u{1b}[1m1/2\u{1b}[0m - loss: 0.5\r2/2 - loss: 0.4\n        wrapped: 1\n\n"
        let lines = try LogInput(source: "t", data: Data(text.utf8)).lines()
        XCTAssertEqual(lines.map(\.segments), [["Epoch 1/2"], ["1/2 - loss: 0.5", "2/2 - loss: 0.4"], ["wrapped: 1"], []])
        XCTAssertEqual(lines.map(\.number), [1, 2, 3, 4])
        XCTAssertEqual(lines[2].indent, 8)
    }

    func testPlainASCIIIsNotCleanedAndControlBytesAreFound() {
        let plain = Array("Epoch 1/2, step 10/542, loss = 0.0296\tlr = 1e-3".utf8)
        plain.withUnsafeBufferPointer { XCTAssertFalse(TerminalBytes.needsCleaning($0)) }
        for special: UInt8 in [0x1B, 0x08, 0xC3] {
            for position in [0, 5, 8, 15, plain.count - 1] {
                var bytes = plain
                bytes[position] = special
                bytes.withUnsafeBufferPointer { XCTAssertTrue(TerminalBytes.needsCleaning($0), "\(special) at \(position)") }
            }
        }
    }

    func testCaseInsensitiveNeedleFindsAnyCase() {
        let needle = CaseInsensitiveNeedle("early stopping")
        for text in ["Epoch 5: early stopping", "EARLY STOPPING triggered", "eArLy StOpPiNg", "xxearly stopping"] {
            var copy = text
            copy.withUTF8 { XCTAssertTrue(needle.occurs(in: $0), text) }
        }
        for text in ["early stoppin", "", "early_stopping", "Epoch 5: saving model"] {
            var copy = text
            copy.withUTF8 { XCTAssertFalse(needle.occurs(in: $0), text) }
        }
    }
}
