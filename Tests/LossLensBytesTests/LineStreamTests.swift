import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensParsers

final class LineStreamTests: XCTestCase {
    /// The lines as (number, text, continues), read with a tiny chunk so lines cross chunk boundaries.
    private func lines(_ text: String, chunk: Int = 3, cap: Int = 1 << 20) throws -> ([(Int, String, Bool)], LineStream.Summary) {
        var found: [(Int, String, Bool)] = []
        let summary = try LineStream.rawLines(of: .memory(Data(text.utf8)), chunkSize: chunk, lineCap: cap) { line in
            found.append((line.number, String(decoding: line.bytes), line.continues))
            return true
        }
        return (found, summary)
    }

    func testLinesCrossingChunkBoundariesComeOutWhole() throws {
        let (found, summary) = try lines("Epoch 1/2, loss = 0.5\n\nEpoch 2/2, loss = 0.4\nlast without newline")
        XCTAssertEqual(found.map(\.1), ["Epoch 1/2, loss = 0.5", "", "Epoch 2/2, loss = 0.4", "last without newline"])
        XCTAssertEqual(found.map(\.0), [1, 2, 3, 4])
        XCTAssertEqual(summary.lines, 4)
        XCTAssertEqual(summary.truncatedLines, 0)
    }

    func testEveryChunkSizeGivesTheSameLines() throws {
        let text = "a\r\nbb\n\nccc\r\rdddd\n" + String(repeating: "e", count: 40) + "\n"
        // Split on bytes: as a String, "\r\n" is one character and would not split at "\n".
        let expected = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) }
        for chunk in 1...12 {
            XCTAssertEqual(try lines(text, chunk: chunk).0.map(\.1), expected, "chunk \(chunk)")
        }
    }

    func testALineWithoutNewlineLongerThanTheCapIsCutAndCounted() throws {
        let long = String(repeating: "x", count: 100)
        let (found, summary) = try lines("first\n" + long + "\nafter\n", chunk: 7, cap: 16)
        XCTAssertEqual(found.map(\.1), ["first", String(repeating: "x", count: 16), "after"])
        XCTAssertEqual(found.map(\.0), [1, 2, 3])
        XCTAssertEqual(summary.truncatedLines, 1)
    }

    func testAHugeLineWithoutAnyNewlineStaysWithinTheBuffer() throws {
        // 8 MiB of one line with a 64 KiB cap: only the first 64 KiB is handed over.
        let data = Data(repeating: UInt8(ascii: "z"), count: 8 << 20)
        var lengths: [Int] = []
        let summary = try LineStream.rawLines(of: .memory(data), chunkSize: 1 << 16, lineCap: 1 << 16) { line in
            lengths.append(line.bytes.count)
            return true
        }
        XCTAssertEqual(lengths, [1 << 16])
        XCTAssertEqual(summary.truncatedLines, 1)
    }

    func testALongProgressLineIsHandedOverInPiecesCutAtRedraws() throws {
        let states = (1...20).map { "\r\($0)/20 - loss: 0.\($0)" }.joined()
        let (found, summary) = try lines(states + "\nEpoch 2/2\n", chunk: 8, cap: 64)
        XCTAssertEqual(summary.truncatedLines, 0)
        let pieces = found.filter { $0.0 == 1 }
        XCTAssertGreaterThan(pieces.count, 1)
        XCTAssertTrue(pieces.dropLast().allSatisfy(\.2), "all pieces but the last continue")
        XCTAssertFalse(pieces.last!.2)
        XCTAssertEqual(pieces.map(\.1).joined(), states, "no byte lost or repeated")
        XCTAssertEqual(found.last?.1, "Epoch 2/2")
        XCTAssertEqual(found.last?.0, 2)
    }

    func testTheCallbackCanStopReading() throws {
        var seen = 0
        try LineStream.rawLines(of: .memory(Data("1\n2\n3\n4\n".utf8))) { _ in
            seen += 1
            return seen < 2
        }
        XCTAssertEqual(seen, 2)
    }

    func testAFileIsReadInChunksLikeMemory() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("linestream-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        let text = (1...500).map { "Epoch \($0)/500, loss = 0.\($0)" }.joined(separator: "\n")
        try Data(text.utf8).write(to: url)
        let input = try LogInput(source: url.path, filePath: url.path)
        XCTAssertEqual(input.byteCount, text.utf8.count)
        var fromFile: [String] = []
        try LineStream.rawLines(of: input.content, chunkSize: 100, lineCap: 1000) { line in
            fromFile.append(String(decoding: line.bytes))
            return true
        }
        XCTAssertEqual(fromFile, text.components(separatedBy: "\n"))
        XCTAssertEqual(input.prefix(8), "Epoch 1/")
        XCTAssertEqual(String(decoding: input.suffixData(5), as: UTF8.self), "0.500")
    }
}
