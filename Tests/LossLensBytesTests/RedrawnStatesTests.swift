import Foundation
import XCTest

import LossLensTestSupport
@_spi(Layers) @testable import LossLensBytes

/// `RedrawnStates` finds a long line's screen states on its raw bytes; whenever it accepts a line,
/// it must give what `ScreenLine` gives: the same states, and the same digit-shape comparisons.
final class RedrawnStatesTests: XCTestCase {
    /// Returns whether `RedrawnStates` accepted the line.
    @discardableResult
    private func assertSameAsScreenLine(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        bytes.withUnsafeBufferPointer { raw in
            var screen = ScreenLine()
            screen.load(RawLine(bytes: raw, number: 1, offset: 0, continues: false))
            var redrawn = RedrawnStates()
            guard redrawn.load(raw) else { return false }
            XCTAssertEqual(redrawn.count, screen.segments.count, file: file, line: line)
            guard redrawn.count == screen.segments.count else { return true }
            screen.bytes.withUnsafeBufferPointer { all in
                for index in 0..<redrawn.count {
                    let expected = Array(all[screen.segments[index]])
                    XCTAssertEqual(redrawn.withState(index, Array.init), expected, "state \(index)", file: file, line: line)
                    if index > 0 {
                        let shapesMatch = DigitShape.equal(UnsafeBufferPointer(rebasing: all[screen.segments[index - 1]]),
                                                           UnsafeBufferPointer(rebasing: all[screen.segments[index]]))
                        XCTAssertEqual(redrawn.sameShapeAsPrevious(index), shapesMatch, "state \(index)", file: file, line: line)
                    }
                }
                // Skipping a raw run at a time ends where walking state by state ends.
                var states = SegmentStates(all: ByteView(all), segments: screen.segments)
                for index in 0..<redrawn.count {
                    XCTAssertEqual(redrawn.lastOfSameShape(from: index), states.lastOfSameShape(from: index),
                                   "last of the shape from state \(index)", file: file, line: line)
                }
            }
            return true
        }
    }

    func testStatesAndShapesAreThoseOfScreenLine() {
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<200 where assertSameAsScreenLine(SampleLines.progressBar(count: Int.random(in: 1...300, using: &generator), using: &generator)) {
            accepted += 1
        }
        XCTAssertEqual(accepted, 200, "no line of these holds an open escape")
        XCTAssertTrue(assertSameAsScreenLine(Array("\r\r  \rloss: 1\r\rloss: 2\r".utf8)))
        var blank = RedrawnStates()
        XCTAssertTrue(Array("  \r\u{1b}[2K\r\t".utf8).withUnsafeBufferPointer { blank.load($0) })
        XCTAssertEqual(blank.count, 0, "blank and escape-only states are no states")
    }

    /// Choosing a dialect loads only a long line's last state: it must be the line's last state,
    /// with its indent and the line's count of states.
    func testTheLastStateAloneIsTheLastStateOfTheWholeLine() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = SampleLines.progressBar(count: Int.random(in: 1...300, using: &generator), using: &generator)
            if Bool.random(using: &generator) { bytes += Array("\r        \t loss: 0.5   ".utf8) }
            bytes.withUnsafeBufferPointer { raw in
                let line = RawLine(bytes: raw, number: 7, offset: 40, continues: false)
                var whole = ScreenLine(), last = ScreenLine()
                whole.load(line)
                var redrawn = RedrawnStates()
                guard redrawn.load(raw) else { return XCTFail("no open escape in these bars") }
                last.loadLastState(of: &redrawn, line)
                XCTAssertEqual(last.stateCount, whole.stateCount)
                XCTAssertEqual(last.indent, whole.indent)
                XCTAssertEqual(last.lastSegment.map { Array(last.bytes[$0]) }, whole.lastSegment.map { Array(whole.bytes[$0]) })
                XCTAssertEqual(last.number, 7)
                XCTAssertEqual(last.offset, 40)
            }
        }
    }

    func testAnEscapeLeftOpenAtACarriageReturnIsRefused() {
        // Cleaning the whole line lets the open sequence take in the `\r` and what follows.
        for open in ["\u{1b}", "\u{1b}[", "\u{1b}[12;"] {
            let line = Array("1/2 - loss: 0.5\(open)\r2/2 - loss: 0.4".utf8)
            var redrawn = RedrawnStates()
            XCTAssertFalse(line.withUnsafeBufferPointer { redrawn.load($0) }, open.debugDescription)
        }
        let closed = Array("1/2 - loss: 0.5\u{1b}[0m\r2/2 - loss: 0.4\u{1b}".utf8)
        var redrawn = RedrawnStates()
        XCTAssertFalse(closed.withUnsafeBufferPointer { redrawn.load($0) }, "open at the end of the line")
        XCTAssertTrue(Array(closed.dropLast()).withUnsafeBufferPointer { redrawn.load($0) })
    }
}
