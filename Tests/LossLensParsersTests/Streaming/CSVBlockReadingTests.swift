import Foundation
import XCTest

@_spi(Fuzzing) @_spi(Layers) @testable import LossLensAnalysis
@_spi(Fuzzing) @_spi(Layers) @testable import LossLensBytes
@_spi(Fuzzing) @_spi(Layers) @testable import LossLensModel
@_spi(Fuzzing) @_spi(Layers) @testable import LossLensParsers
@_spi(Fuzzing) @_spi(Layers) @testable import LossLensReport

/// Reading a table in blocks on several workers must give what reading it in order gives: tiny
/// blocks put block ends inside rows, between a row and its line break, and inside `\r\n`; tables
/// that blocks cannot read (quotes, a second header, a lone `\r`) and decisions that the whole table
/// overturns are read in order or in passes, with the same runs.
final class CSVBlockReadingTests: XCTestCase {
    private func runs(_ text: String, workers: Int, blockBytes: Int = 64, decidingRows: Int = 4) throws -> String {
        let input = LogInput(source: "metrics.csv", data: Data(text.utf8))
        let runs = try CSVParser().parse(input, chunkBytes: 1 << 16, decidingRows: decidingRows, blockWorkers: workers, blockBytes: blockBytes)
        // Described, not compared with ==: NaN values are not equal to themselves.
        return String(describing: runs)
    }

    private func assertSameInBlocks(
        _ text: String, _ name: String, decidingRows: Int = 4, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let inOrder = try runs(text, workers: 1, decidingRows: decidingRows)
        XCTAssertTrue(inOrder.contains("MetricSeries"), "\(name): the table has runs", file: file, line: line)
        for blockBytes in [1, 7, 29, 100, 4096] {
            XCTAssertEqual(try runs(text, workers: 3, blockBytes: blockBytes, decidingRows: decidingRows), inOrder,
                           "\(name), blocks of \(blockBytes) bytes", file: file, line: line)
        }
    }

    /// A Lightning `metrics.csv`: step rows, and at each epoch end a validation row and an epoch row.
    private func lightning(epochs: Int = 4, steps: Int = 30) -> [String] {
        var rows = ["epoch,step,train_loss_step,lr-Adam,val_loss,val_acc,train_loss_epoch"]
        var step = 0
        for epoch in 0..<epochs {
            for _ in 0..<steps {
                step += 1
                rows.append("\(epoch),\(step),\(2.3 - Double(step) / 1_000),0.001,,,")
            }
            rows.append("\(epoch),\(step),,,\(2.0 - Double(epoch) / 10),0.\(epoch + 3),")
            rows.append("\(epoch),\(step),,,,,\(2.1 - Double(epoch) / 10)")
        }
        return rows
    }

    private func table(_ rows: [String], ending: String = "\n") -> String {
        rows.joined(separator: ending) + ending
    }

    func testALightningTableReadsTheSameInBlocks() throws {
        try assertSameInBlocks(table(lightning()), "lightning")
        try assertSameInBlocks(table(lightning(), ending: "\r\n"), "lightning with CRLF")
        try assertSameInBlocks(String(table(lightning()).dropLast()), "no final line break")
        try assertSameInBlocks("\u{FEFF}" + table(lightning()), "byte order mark")
        try assertSameInBlocks(table(lightning().map { $0.replacingOccurrences(of: ",", with: ";") }), "semicolons")
        var blank = lightning()
        blank.insert("", at: 50)
        blank.insert("", at: 10)
        try assertSameInBlocks(table(blank), "blank lines")
    }

    func testAKerasLogAndOddNumbersReadTheSameInBlocks() throws {
        let keras = ["epoch,accuracy,loss,val_accuracy,val_loss"] + (0..<60).map { epoch in
            "\(epoch),0.\(500 + epoch),\(1.0 / Double(epoch + 1)),0.\(400 + epoch),\(1.1 / Double(epoch + 1))"
        }
        try assertSameInBlocks(table(keras), "keras")
        let odd = ["epoch,step,loss_step,grad_norm,val_loss"] + (0..<80).map { index in
            "\(index / 20),\(index),\(["-0.5", ".25", "5.", "1e-3", "-0", "nan", "NA", "12345678.9", "0.000000001", " 3 "][index % 10]),"
                + "\(-Double(index) / 7),\(index % 20 == 19 ? "0.5" : "")"
        }
        try assertSameInBlocks(table(odd), "signs, points, exponents and missing values")
    }

    func testRowsThatAreNotWholeLinesAreReadInOrder() throws {
        var quoted = lightning()
        quoted[40] = quoted[40].replacingOccurrences(of: ",0.001,", with: ",\"0.001\",")
        try assertSameInBlocks(table(quoted), "a quoted cell")
        var loneReturn = lightning()
        loneReturn[60] += "\r" + loneReturn.remove(at: 61)
        try assertSameInBlocks(table(loneReturn), "a lone carriage return")
        let rows = lightning()
        try assertSameInBlocks(table(Array(rows[..<70]) + [rows[0]] + Array(rows[70...])), "a second header")
        try assertSameInBlocks(table(["# written by a script"] + rows), "a line before the header")
    }

    func testDecisionsTheWholeTableOverturnsAreReadInPasses() throws {
        var text = lightning()
        text[90] = text[90].replacingOccurrences(of: ",0.001,", with: ",high,")
        try assertSameInBlocks(table(text), "text further down a numeric column")
        var perStep = lightning()
        let parts = perStep[100].split(separator: ",", omittingEmptySubsequences: false)
        perStep[100] = parts[0..<4].joined(separator: ",") + ",1.5,,"
        perStep[101] = perStep[101].split(separator: ",", omittingEmptySubsequences: false)[0..<4].joined(separator: ",") + ",1.4,,"
        try assertSameInBlocks(table(perStep), "a validation column that turns out per step")
        var short = lightning()
        for index in 20..<short.count {
            short[index] = short[index].split(separator: ",", omittingEmptySubsequences: false)[0..<4].joined(separator: ",")
        }
        try assertSameInBlocks(table(short), "short rows that turn out to be the norm")
    }

    func testDamagedRowsAreCountedAcrossBlocks() throws {
        var rows = lightning()
        rows[20] += ",9,9"
        rows[77] += ",1"
        rows[101] = "3,7"
        try assertSameInBlocks(table(rows), "rows of the wrong width")
        let inBlocks = try runs(table(rows), workers: 3, blockBytes: 7)
        XCTAssertTrue(inBlocks.contains("first at line 21"), "the first skipped row is named by its line: \(inBlocks)")
    }

    func testAConstantEpochColumnAndANumberedFirstColumnReadTheSameInBlocks() throws {
        try assertSameInBlocks(table(["epoch,loss"] + (0..<50).map { "0,\(1.0 / Double($0 + 1))" }), "constant epoch")
        try assertSameInBlocks(table([",loss,val_loss"] + (0..<50).map { "\($0),\(1.0 / Double($0 + 1)),0.5" }), "pandas index")
        try assertSameInBlocks(table(["epoch,loss,phase"] + (0..<50).map { "\($0),0.5,\($0 < 25 ? "warmup" : "main")" }), "a text column")
    }

    /// A plain line's cells are read as it is split (`DelimitedCells`); a row whose cells were
    /// copied (a quoted row) reads them one by one. Both must read every cell alike.
    func testCellsOfAPlainLineReadAsCopiedCellsRead() throws {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.-+e ,xN%".utf8)
        for _ in 0..<3_000 {
            let line = (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let cells = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            let copied = CSVRow(line: 1, cells: cells)
            line.withByteView { bytes in
                var plain = CSVRow()
                plain.borrow(bytes, delimiter: UInt8(ascii: ","))
                XCTAssertEqual(plain.count, copied.count)
                for index in 0..<copied.count {
                    let (a, b) = (plain.reading(index), copied.reading(index))
                    XCTAssertEqual(a.kind, b.kind, "cell \(cells[index])")
                    XCTAssertEqual(a.value.bitPattern, b.value.bitPattern, "cell \(cells[index])")
                }
            }
        }
    }

    /// A line of the last line's digit shape is read from that line's cells and layouts
    /// (`DelimitedCells`): one row reused for lines that differ only in their digits must read
    /// every cell as a fresh copy does, long cells, minus signs, points and text included.
    func testLinesOfOneDigitShapeReadAsCopiedCellsRead() throws {
        var random = SystemRandomNumberGenerator()
        let shapes = ["0,00,0.000000,0.000,,,", "00,000,-0.00,.0,0.,-0,0000000.", "0,0,00000000000000000000,0.0000000000000000,x0,1e0",
                      "-00000000.,0,0000000000000,,,", "0.0.0,--0,0-0,00", "0,0", "00000000,0"]
        var row = CSVRow()
        for _ in 0..<3_000 {
            let shape = shapes[Int.random(in: 0..<min(shapes.count, 2 + Int.random(in: 0..<6, using: &random)), using: &random)]
            let line = Array(shape.utf8).map { $0 == UInt8(ascii: "0") ? UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random) : $0 }
            let cells = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            let copied = CSVRow(line: 1, cells: cells)
            line.withByteView { bytes in
                row.clear()
                row.borrow(bytes, delimiter: UInt8(ascii: ","))
                XCTAssertEqual(row.count, copied.count)
                var numbers: UInt64 = 0
                for index in 0..<copied.count {
                    let (a, b) = (row.reading(index), copied.reading(index))
                    XCTAssertEqual(a.kind, b.kind, "cell \(cells[index]) of \(String(decoding: line, as: UTF8.self))")
                    XCTAssertEqual(a.value.bitPattern, b.value.bitPattern, "cell \(cells[index]) of \(String(decoding: line, as: UTF8.self))")
                    if a.kind == .number { numbers |= 1 << UInt64(index) }
                }
                if let numberCells = row.numberCells { XCTAssertEqual(numberCells, numbers, String(decoding: line, as: UTF8.self)) }
            }
        }
    }
}
