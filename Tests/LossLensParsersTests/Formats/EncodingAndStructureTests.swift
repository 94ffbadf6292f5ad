import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// UTF-16 logs, and the structure fixes of the formats issue.
final class EncodingAndStructureTests: XCTestCase {
    private let log = "Epoch 1/3, Loss: 0.9, Acc: 0.50\r\nEpoch 2/3, Loss: 0.7, Acc: 0.60\r\nEpoch 3/3, Loss: 0.5, Acc: 0.70 ✓ 验证\r\n"

    private func utf16(_ text: String, bigEndian: Bool, byteOrderMark: Bool) -> Data {
        var data = Data(byteOrderMark ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : [])
        for unit in text.utf16 {
            data.append(contentsOf: bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)])
        }
        return data
    }

    /// What Windows PowerShell's `>` and `Tee-Object` write (UTF-16LE with a BOM), and the other byte orders.
    func testUTF16IsDecodedNotRejectedAsBinary() throws {
        for (bigEndian, mark) in [(false, true), (true, true), (false, false), (true, false)] {
            let run = try XCTUnwrap(try FormatTesting.runs(data: utf16(log, bigEndian: bigEndian, byteOrderMark: mark), source: "train.log").first)
            XCTAssertEqual(run.format, .pytorchConsole, "big endian \(bigEndian), BOM \(mark)")
            XCTAssertValues(run.values("loss"), [0.9, 0.7, 0.5])
        }
    }

    func testUTF16DecodingAcrossChunksAndSurrogates() throws {
        let text = String(repeating: "step 1 loss 0.5 😀 训练\n", count: 6000)
        for mark in [true, false] {
            let data = utf16(text, bigEndian: false, byteOrderMark: mark)
            let decoded = try UTF16Text.decode(.memory(data), order: .littleEndian, memoryLimit: 1 << 16)
            XCTAssertEqual(String(decoding: try decoded.content.bytes(in: 0..<decoded.content.byteCount), as: UTF8.self), text)
        }
        XCTAssertNil(UTF16Text.byteOrder(of: Data("plain UTF-8 text, nothing else".utf8)))
        XCTAssertNil(UTF16Text.byteOrder(of: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])))
    }

    func testAConstantEpochColumnFallsBackToRowOrder() throws {
        let run = try FormatTesting.onlyRun("epoch,loss,val_loss\n0,0.9,1.0\n0,0.7,0.8\n0,0.5,0.7\n0,0.4,0.75\n0,0.3,0.8\n", source: "log.csv")
        XCTAssertEqual(run.epochCount, 5)
        XCTAssertValues(run.values("loss"), [0.9, 0.7, 0.5, 0.4, 0.3])
        XCTAssertTrue(run.notes.contains { $0.contains("holds 0 in all 5 rows") }, "\(run.notes)")
        // One row per epoch with a varying column is read as before, without a note.
        let normal = try FormatTesting.onlyRun("epoch,loss\n0,0.9\n1,0.7\n2,0.5\n", source: "log.csv")
        XCTAssertEqual(normal.notes, [])
    }

    func testATableOfProseIsNoLog() {
        let manifest = """
            file\tformat\trepo\tnotes
            a.log\tpytorch\tx/y\tHF trainer_state, 430 train log entries over 3 epochs. Loss nearly flat 2.00->1.74 (plateau); loss: 1.6279 at epoch 1 of 35
            b.csv\tcsv\tx/z\tKeras CSVLogger with learning_rate 1e-6, val_loss 0.6936 (=ln2) -> 0.668, val_acc starts at exactly 0.5
            c.log\tkeras\tx/w\tKeras 1 verbose=2 format, Epoch 1/35 loss: 0.7 acc: 0.5 and overfitting after epoch 4 of the run
            """
        XCTAssertThrowsError(try FormatTesting.runs(manifest, source: "MANIFEST.tsv")) { error in
            XCTAssertEqual(error as? LossLensError, .proseTable(source: "MANIFEST.tsv"))
        }
        // A tab-separated metrics table is still a table.
        XCTAssertNoThrow(try FormatTesting.runs("epoch\tloss\tval_loss\n1\t0.9\t1.0\n2\t0.7\t0.8\n", source: "log.tsv"))
    }

    func testABrokenNotebookIsReportedNeverReadAsConsoleText() throws {
        let cells = #"{"cells": [{"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout", "text": ["Epoch 1/3, Loss: 0.9\n", "Epoch 2/3, Loss: 0.5\n", "Epoch 3/3, Loss: 0.4\n"]}]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#
        for broken in [String(cells.dropLast(40)), cells + "\ngarbage after the notebook"] {
            XCTAssertThrowsError(try FormatTesting.runs(broken, source: "train.ipynb")) { error in
                guard case .brokenNotebook? = error as? LossLensError else { return XCTFail("\(error)") }
            }
        }
        var large = LogInput(source: "big.ipynb", data: Data(cells.utf8))
        large.wholeFileLimit = 64
        XCTAssertThrowsError(try Analyzer().parse(large)) { error in
            guard case let .brokenNotebook(_, reason)? = error as? LossLensError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("over the 64 bytes a notebook is loaded up to"), reason)
        }
        XCTAssertEqual(try FormatTesting.onlyRun(cells, source: "train.ipynb").format, .notebook)
    }

    func testACSVHeaderOfThousandsOfColumns() throws {
        let names = ["epoch"] + (0..<1500).map { "feature_\($0)_loss" }
        var text = names.joined(separator: ",") + "\n"
        for epoch in 0..<3 { text += ([String(epoch)] + (0..<1500).map { _ in String(0.9 - 0.1 * Double(epoch)) }).joined(separator: ",") + "\n" }
        XCTAssertGreaterThan(text.utf8.count, 8192)
        let run = try FormatTesting.onlyRun(text, source: "wide.csv")
        XCTAssertEqual(run.format, .csv)
        XCTAssertValues(run.values("feature_1499_loss"), [0.9, 0.8, 0.7])
    }

    func testHexadecimalAndUnderscoredNumbersAreText() throws {
        XCTAssertNil(NumberParsing.value("0x10"))
        XCTAssertNil(NumberParsing.value("1_000"))
        XCTAssertNil(NumberParsing.value("0x1p3"))
        XCTAssertEqual(NumberParsing.value("1e3"), 1000)
        let run = try FormatTesting.onlyRun("epoch,loss,acc\n1,0x10,0.5\n2,0.5,0.6\n3,1_000,0.7\n", source: "t.csv")
        XCTAssertNil(run.values("loss"), "a column with hexadecimal text is text")
        XCTAssertValues(run.values("acc"), [0.5, 0.6, 0.7])
    }
}
