import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class DigitBlindnessTests: XCTestCase {
    func testClassesAndQuantifierCountsDoNotTellDigitsApart() {
        for source in [
            #"^Epoch (?<epoch>\d+)/(?<epochs>\d+)\s*$"#, #"^\[?\d{4}-\d\d[^:=]{0,40}?x{2,}y{,3}"#, #"[-+\d.eE]+"#,
            #"[[:digit:]]+\p{Nd}"#, #"[]x]{3}"#,
        ] {
            XCTAssertTrue(DigitBlindness.holds(for: source), source)
        }
    }

    func testLiteralDigitsAndCharacterComparisonsDo() {
        for source in [
            #"f1|loss"#, #"[0-9]+"#, #"(\d)\1"#, #"(?<d>\d)\k<d>"#, #"\x30"#, #"\Q1\E"#, #"[{3}]"#, #"\{3}"#, #"a{3"#,
            #"(?<top1>\d)"#, #"(?C1)\d"#,
        ] {
            XCTAssertFalse(DigitBlindness.holds(for: source), source)
        }
    }

    /// Lines of one digit shape share remembered matches; a pattern with a literal digit (`f1`)
    /// still decides on the real line.
    func testDigitSensitivePatternsStillSeeEveryLine() throws {
        let dialect = try PatternDialect(name: "t", file: "t.pcre", contents: """
            ^(?=f1)(?<metrics>.*)$
            ^step \\d+ (?<metrics>.*)$
            """)
        XCTAssertEqual(dialect.digitBlindPatterns, [false, true])
        var reader = DialectReader(dialect: dialect)
        func names(_ text: String) throws -> [String] {
            try text.withByteView { try reader.record(in: $0, line: 1) }?.values.map(\.name.base) ?? []
        }
        XCTAssertEqual(try names("f1: 0.5"), ["f1"])
        XCTAssertEqual(try names("f2: 0.5"), [])
        XCTAssertEqual(try names("step 1 loss: 0.5"), ["loss"])
        XCTAssertEqual(try names("step 7 loss: 0.9"), ["loss"])
        XCTAssertEqual(try names("step 7 loss: 0.9 acc: 0.1"), ["loss", "acc"])
        // Same shape, keys that differ in a digit: each line's own key.
        XCTAssertEqual(try names("step 1 w1: 0.5"), ["w1"])
        XCTAssertEqual(try names("step 2 w5: 0.5"), ["w5"])
    }

    /// Whether a line is a callback line is remembered per digit shape, which holds only while no
    /// callback pattern or text tells digits apart.
    func testCallbackLinesAreRecognizedByShape() throws {
        XCTAssertTrue(CallbackEvents.dependOnDigitShapeOnly)
        let dialect = try PatternLibrary.bundled().dialects.first { $0.name == "keras-console" }!
        var reader = DialectReader(dialect: dialect)
        var batch = RecordBatch()
        var yields: [DialectReader.Yield] = []
        for (number, text) in [
            "Epoch 3: val_loss improved from 0.51 to 0.48, saving model to best.h5",
            "Epoch 4: val_loss improved from 0.48 to 0.47, saving model to best.h5",
            "100/100 - 1s - loss: 0.4000 - val_loss: 0.4700",
            "100/100 - 1s - loss: 0.3000 - val_loss: 0.4600",
            "Epoch 5: val_loss improved from 0.47 to 0.46, saving model to best.h5",
        ].enumerated() {
            yields.append(try text.withByteView { try reader.read($0, line: number + 1, into: &batch) })
        }
        XCTAssertEqual(yields, [.event, .event, .record, .record, .event])
        var events: [Int?] = []
        batch.forEach(serial: 1, records: { _ in }, event: { events.append($0.epoch) })
        XCTAssertEqual(events, [3, 4, 5])
    }
}
