import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensParsers

final class DigitShapeMemoTests: XCTestCase {
    private func value(_ memo: inout DigitShapeMemo<String>, _ text: String, computed: inout Int) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            memo.value(for: bytes) {
                computed += 1
                return text
            }
        }
    }

    func testSubjectsDifferingOnlyInDigitsShareOneComputation() {
        var memo = DigitShapeMemo<String>()
        var computed = 0
        XCTAssertEqual(value(&memo, "step 12, loss: 0.25", computed: &computed), "step 12, loss: 0.25")
        XCTAssertEqual(value(&memo, "step 97, loss: 3.50", computed: &computed), "step 12, loss: 0.25")
        XCTAssertEqual(computed, 1)
        // A different length or a letter in place of a digit is another shape.
        _ = value(&memo, "step 123, loss: 0.25", computed: &computed)
        _ = value(&memo, "step 1x, loss: 0.25", computed: &computed)
        _ = value(&memo, "", computed: &computed)
        _ = value(&memo, "", computed: &computed)
        XCTAssertEqual(computed, 4)
    }

    func testPastItsCapacityItComputesEveryTime() {
        var memo = DigitShapeMemo<String>()
        var computed = 0
        for index in 0..<DigitShapeMemo<String>.capacity {
            // Distinct shapes without digits: base 26 with its digits moved to the letters q...z.
            let letters = String(index, radix: 26).unicodeScalars.map { $0.properties.numericType == nil ? Character($0) : Character(UnicodeScalar($0.value + 0x41)!) }
            _ = value(&memo, String(letters), computed: &computed)
        }
        XCTAssertEqual(computed, DigitShapeMemo<String>.capacity)
        // Shapes stored before the table grew are still found.
        _ = value(&memo, "q", computed: &computed)
        _ = value(&memo, "p", computed: &computed)
        XCTAssertEqual(computed, DigitShapeMemo<String>.capacity)
        let before = computed
        _ = value(&memo, "never seen", computed: &computed)
        _ = value(&memo, "never seen", computed: &computed)
        XCTAssertEqual(computed - before, 2)
    }

    func testShapeEqualLinesReadTheirOwnKeysAndValues() {
        let scanner = KeyValueScanner()
        XCTAssertEqual(scanner.pairs(in: "top1: 0.25, loss: 1.50").map(\.name), ["top1", "loss"])
        let second = scanner.pairs(in: "top5: 0.75, loss: 2.00")
        XCTAssertEqual(second.map(\.name), ["top5", "loss"])
        XCTAssertEqual(second.map(\.value), [0.75, 2.0])
    }

    func testEveryByteValueIsShapedInEveryLaneOfAWord() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expected: UInt8 = (0x30...0x39).contains(byte) ? 0x30 : byte
            for lane in 0..<8 {
                // Neighbours that are digits and non-digits, so a carry between lanes would show.
                var bytes: [UInt8] = [0x39, 0xFF, 0x30, 0x2F, 0x3A, 0x00, 0x35, 0x80]
                bytes[lane] = byte
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let shaped = withUnsafeBytes(of: DigitShape.zeroingDigits(word)) { Array($0) }
                var wanted = bytes.map { (0x30...0x39).contains($0) ? UInt8(0x30) : $0 }
                wanted[lane] = expected
                XCTAssertEqual(shaped, wanted, "byte \(value) in lane \(lane)")
            }
        }
    }

    /// Bytes around the digits' neighbours and the escapes, backspaces and multibyte text of bars.
    private static let alphabet: [UInt8] = Array("0123456789 .-:e\r\u{1b}[m".utf8) + [0x08, 0xE2, 0x94, 0x81, 0x2F, 0x3A, 0x00, 0xFF]

    private static func sameShape(_ a: UInt8, _ b: UInt8) -> Bool { a == b || (a &- 0x30 < 10 && b &- 0x30 < 10) }

    /// `bytes` with every digit replaced by a random one: the same shape.
    private static func redigited(_ bytes: [UInt8], using generator: inout some RandomNumberGenerator) -> [UInt8] {
        bytes.map { $0 &- 0x30 < 10 ? UInt8.random(in: 0x30...0x39, using: &generator) : $0 }
    }

    /// Comparing shapes sixteen, eight and one byte at a time agrees with comparing them byte by byte.
    func testShapesCompareAsTheirBytesDo() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let count = Int.random(in: 0...70, using: &generator)
            let a = (0..<count).map { _ in Self.alphabet.randomElement(using: &generator)! }
            var b = Self.redigited(a, using: &generator)
            if count > 0, Bool.random(using: &generator) { b[Int.random(in: 0..<count, using: &generator)] = Self.alphabet.randomElement(using: &generator)! }
            let expected = zip(a, b).allSatisfy(Self.sameShape)
            let found = a.withUnsafeBufferPointer { left in b.withUnsafeBufferPointer { right in DigitShape.equal(left, right) } }
            XCTAssertEqual(found, expected, "\(count) bytes")
        }
    }

    /// The vector search for where redraws stop repeating their shape finds what comparing byte
    /// by byte finds, whatever the period, the place of the difference and the kind of byte.
    func testFirstDifferenceOfShiftedBytesIsTheFirstByteOfAnotherShape() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let period = Int.random(in: 1...90, using: &generator)
            let first = (0..<period).map { _ in Self.alphabet.randomElement(using: &generator)! }
            // Redraws of `first` whose digits change, then one changed byte somewhere (or none).
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &generator) { bytes += Self.redigited(first, using: &generator) }
            if Bool.random(using: &generator) {
                let place = Int.random(in: period..<bytes.count + 1, using: &generator)
                if place < bytes.count { bytes[place] = Self.alphabet.randomElement(using: &generator)! }
            }
            let start = Int.random(in: period...Swift.max(period, bytes.count), using: &generator)
            let expected = (start..<bytes.count).first { !Self.sameShape(bytes[$0], bytes[$0 - period]) } ?? bytes.count
            // The AVX2 search where the CPU has it, and the baseline one every CPU runs.
            let (found, foundInBaseline) = bytes.withUnsafeBufferPointer {
                (DigitShape.firstDifference($0.baseAddress!, from: start, to: $0.count, shift: period),
                 DigitShape.firstDifferenceInBaselineVectors($0.baseAddress!, from: start, to: $0.count, shift: period))
            }
            XCTAssertEqual(found, expected, "period \(period), from \(start), \(bytes.count) bytes")
            XCTAssertEqual(foundInBaseline, expected, "baseline vectors: period \(period), from \(start), \(bytes.count) bytes")
        }
    }
}
