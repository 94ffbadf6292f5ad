import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// The byte-level row reader: RFC 4180 quoting, every line ending, and the same rows whatever the
/// chunk size, so a state cut by a chunk end (a `\r\n`, a doubled quote) is carried over.
final class CSVRowReaderTests: XCTestCase {
    private func rows(_ text: String, chunkBytes: Int = 1 << 16, stopAfter: ((CSVRow) -> Bool)? = nil) throws -> [(cells: [String], line: Int)] {
        let reader = try CSVRowReader(content: .memory(Data(text.utf8)), chunkBytes: chunkBytes)
        var rows: [(cells: [String], line: Int)] = []
        try reader.forEachRow { row in
            rows.append((row.strings, row.line))
            return !(stopAfter?(row) ?? false)
        }
        return rows
    }

    private func assertSameInEveryChunkSize(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let whole = try rows(text)
        for chunkBytes in [1, 2, 3, 7] {
            let chunked = try rows(text, chunkBytes: chunkBytes)
            XCTAssertEqual(chunked.map(\.cells), whole.map(\.cells), "chunks of \(chunkBytes)", file: file, line: line)
            XCTAssertEqual(chunked.map(\.line), whole.map(\.line), "chunks of \(chunkBytes)", file: file, line: line)
        }
    }

    func testQuotedCellsHoldDelimitersDoubledQuotesAndLineBreaks() throws {
        let text = "epoch,\"note, with comma\",\"say \"\"hi\"\"\"\r\n1,\"two\r\nlines\",x\r\n2,  \"padded\" ,y\n"
        let read = try rows(text)
        XCTAssertEqual(read.map(\.cells), [["epoch", "note, with comma", "say \"hi\""], ["1", "two\r\nlines", "x"], ["2", "padded ", "y"]])
        XCTAssertEqual(read.map(\.line), [1, 2, 4], "a line break inside quotes is a line of the file")
        try assertSameInEveryChunkSize(text)
    }

    func testEveryLineEndingEndsARowAndBlankLinesAreLeftOut() throws {
        let text = "a,b\r1,2\r\n\r\n3,4\n\n5,6"
        XCTAssertEqual(try rows(text).map(\.cells), [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        XCTAssertEqual(try rows(text).map(\.line), [1, 2, 4, 6])
        try assertSameInEveryChunkSize(text)
    }

    func testAQuotedEmptyRowIsKeptAndAnUnclosedQuoteRunsToTheEnd() throws {
        let text = "\n\"\"\n\"epoch\",\"a\nb\"\n1,\"2\n3,4\n"
        XCTAssertEqual(try rows(text).map(\.cells), [[""], ["epoch", "a\nb"], ["1", "2\n3,4\n"]])
        try assertSameInEveryChunkSize(text)
    }

    func testTheDelimiterIsTheOneTheHeaderUsesMostAndAByteOrderMarkIsSkipped() throws {
        let semicolons = try CSVRowReader(content: .memory(Data("\u{FEFF}epoch;loss;\"a,b,c\"\n1;0,5;x\n".utf8)))
        XCTAssertEqual(semicolons.delimiter, UInt8(ascii: ";"))
        var first: [String] = []
        try semicolons.forEachRow { first = $0.strings; return false }
        XCTAssertEqual(first, ["epoch", "loss", "a,b,c"])
        XCTAssertEqual(try CSVRowReader(content: .memory(Data("epoch\tloss\n".utf8))).delimiter, UInt8(ascii: "\t"))
        XCTAssertEqual(try CSVRowReader(content: .memory(Data("no delimiters here\n".utf8))).delimiter, UInt8(ascii: ","))
    }

    func testReadingStopsAtTheRowTheCallerAccepts() throws {
        let text = "\n\"\"\n\"epoch\",\"a\nb\"\n1,2\n3,4\n"
        let head = try rows(text, stopAfter: { $0.count > 1 })
        XCTAssertEqual(head.map(\.cells), [[""], ["epoch", "a\nb"]])
        XCTAssertEqual(head.map(\.line), [2, 3])
    }

    func testATableLargerThanTheWholeFileLimitIsStreamed() throws {
        var text = "epoch,loss,val_loss\n"
        for epoch in 0..<400 { text += "\(epoch),\(1.0 / Double(epoch + 1)),\(1.2 / Double(epoch + 1))\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var input = try LogInput(source: url.path, filePath: url.path)
        input.wholeFileLimit = 1024
        XCTAssertGreaterThan(input.byteCount, input.wholeFileLimit)
        let run = try XCTUnwrap(try CSVParser().parse(input).first)
        XCTAssertEqual(run.series(named: "loss")?.values.count, 400)
        XCTAssertEqual(run.series(named: "val_loss")?.values.last, 1.2 / 400)
    }

    func testAFileStillBeingWrittenIsReadAsItWasWhenOpened() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("growing-\(UUID().uuidString).csv")
        try Data("epoch,loss\n0,0.9\n1,0.8\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let input = try LogInput(source: url.path, filePath: url.path)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2,0.7\nepoch,loss\n0,0.5\n".utf8))
        try handle.close()
        let runs = try CSVParser().parse(input)
        XCTAssertEqual(runs.count, 1, "the header written later is not read")
        XCTAssertEqual(runs.first?.series(named: "loss")?.values, [0.9, 0.8])
    }
}
