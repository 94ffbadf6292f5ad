import PCRE2
import XCTest

final class PatternTests: XCTestCase {
    func testNamedGroupsAreExposed() throws {
        let matcher = try Pattern(#"Epoch (?<epoch>\d+)/(?<total>\d+)"#).makeMatcher()
        let text = "Epoch 3/20"
        let match = try XCTUnwrap(matcher.firstMatch(in: text))
        XCTAssertEqual(match.string(named: "epoch", in: text), "3")
        XCTAssertEqual(match.string(named: "total", in: text), "20")
        XCTAssertNil(match.range(named: "missing"))
    }

    func testByteOffsetsAreCorrectAfterNonASCIIText() throws {
        let matcher = try Pattern(#"loss: (?<loss>[\d.]+)"#).makeMatcher()
        let text = "━━━━ 保存 loss: 0.25"
        let match = try XCTUnwrap(matcher.firstMatch(in: text))
        // "━" is 3 bytes and each CJK character 3 bytes: the group starts at byte 4*3 + 1 + 2*3 + 1 + 6.
        XCTAssertEqual(match.range(named: "loss"), 26..<30)
        XCTAssertEqual(match.string(named: "loss", in: text), "0.25")
    }

    func testInvalidUTF8DoesNotStopMatching() throws {
        let matcher = try Pattern(#"Loss: (?<loss>[\d.]+)"#).makeMatcher()
        var bytes: [UInt8] = [0xC4, 0xE3, 0xBA, 0xC3]  // GBK, not UTF-8
        bytes += Array(" Loss: 1.5".utf8)
        let match = try bytes.withUnsafeBufferPointer { try matcher.firstMatch(in: $0) }
        XCTAssertEqual(match?.range(named: "loss"), 11..<14)
    }

    func testJITIsUsedWhenAvailable() throws {
        try XCTSkipUnless(Pattern.libraryHasJIT, "this libpcre2-8 is built without JIT")
        XCTAssertTrue(try Pattern("a+b").isJITCompiled)
    }

    func testCompileErrorNamesFileLineAndOffset() {
        let origin = PatternOrigin(file: "patterns/mine.pcre", line: 7)
        XCTAssertThrowsError(try Pattern("Epoch (\\d+", origin: origin)) { error in
            guard case let PCRE2Error.compile(_, offset, _, errorOrigin) = error else {
                return XCTFail("expected a compile error, got \(error)")
            }
            XCTAssertEqual(errorOrigin, origin)
            XCTAssertEqual(offset, 10)
            XCTAssertTrue(error.localizedDescription.hasPrefix("patterns/mine.pcre:7: "))
        }
    }

    func testCatastrophicPatternHitsTheLimitInsteadOfHanging() throws {
        let matcher = try Pattern("^(a+)+$", limits: .init(matchLimit: 100_000, depthLimit: 1_000)).makeMatcher()
        let subject = String(repeating: "a", count: 40) + "b"
        XCTAssertThrowsError(try matcher.firstMatch(in: subject)) { error in
            guard case PCRE2Error.matchLimitExceeded = error else { return XCTFail("unexpected \(error)") }
        }
    }

    func testAllMatchesAdvancesPastEmptyMatches() throws {
        let matcher = try Pattern("x*").makeMatcher()
        var text = "ab"
        let matches = try text.withUTF8 { try matcher.allMatches(in: $0) }
        XCTAssertEqual(matches.count, 3)
    }
}
