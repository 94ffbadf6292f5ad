import XCTest

@testable import LossLensCore

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
            var copy = text
            return try copy.withUTF8 { try reader.record(in: $0, line: 1) }?.values.map(\.name.base) ?? []
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
}
