import Foundation
import XCTest

@_spi(Fuzzing) @_spi(Layers) @testable import LossLensBytes
@_spi(Fuzzing) @_spi(Layers) @testable import LossLensModel
@_spi(Fuzzing) @_spi(Layers) @testable import LossLensParsers

/// Reading a table once with columns decided from each section's first rows: when a later row
/// overturns the decision, the table is read in passes and the runs are the same as if it had been
/// read in passes from the start.
final class CSVOneReadingTests: XCTestCase {
    private func runs(_ text: String, decidingRows: Int? = nil, inPasses: Bool = false) throws -> [Run] {
        try CSVParser().parse(
            LogInput(source: "metrics.csv", data: Data(text.utf8)), chunkBytes: 1 << 16, decidingRows: decidingRows, inPasses: inPasses)
    }

    /// Whether reading once kept the decision taken from the first rows (false: it read in passes).
    private func decisionHeld(_ text: String, decidingRows: Int) throws -> Bool {
        var table = CSVTableReading(source: .content(try CSVRowReader(content: .memory(Data(text.utf8)))))
        table.decidingRows = decidingRows
        var assembler = RunAssembler(source: "metrics.csv", format: .csv)
        return try table.addRecordsInOneReading(to: &assembler, firstStartsNewRun: false)
    }

    private func assertSameAsInPasses(_ text: String, decidingRows: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let once = try runs(text, decidingRows: decidingRows)
        let inPasses = try runs(text, inPasses: true)
        XCTAssertEqual(String(describing: once), String(describing: inPasses), file: file, line: line)
    }

    func testTextFurtherDownANumericColumnMakesItNoMetric() throws {
        let text = "epoch,loss,phase\n" + (0..<6).map { "\($0),0.\(9 - $0),\($0)\n" }.joined() + "6,0.3,warmup\n"
        let run = try XCTUnwrap(try runs(text, decidingRows: 3).first)
        XCTAssertNil(run.values("phase"), "a column with text is not a metric, though its first rows were numbers")
        XCTAssertEqual(run.values("loss"), [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
        XCTAssertFalse(try decisionHeld(text, decidingRows: 3))
        XCTAssertTrue(try decisionHeld(text, decidingRows: 7))
        try assertSameAsInPasses(text, decidingRows: 3)
    }

    func testAColumnThatLaterHoldsTwoValuesInAnEpochIsPerStep() throws {
        // `loss` looks per epoch in the first rows (one value per epoch), then epoch 3 has two.
        let text = "epoch,step,loss\n0,10,0.9\n1,20,0.8\n2,30,0.7\n3,40,0.6\n3,41,0.5\n"
        let run = try XCTUnwrap(try runs(text, decidingRows: 2).first)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.values, [0.9, 0.8, 0.7, 0.6, 0.5])
        XCTAssertFalse(try decisionHeld(text, decidingRows: 2))
        try assertSameAsInPasses(text, decidingRows: 2)
    }

    func testShortRowsThatTurnOutToBeTheNormAreRead() throws {
        // Full rows first, then a writer that leaves trailing empty cells out: most rows are short.
        let text = "epoch,loss,val_loss\n0,0.9,1.0\n1,0.8,0.9\n" + (2..<8).map { "\($0),0.\(9 - $0)\n" }.joined()
        let run = try XCTUnwrap(try runs(text, decidingRows: 2).first)
        XCTAssertEqual(run.values("loss")?.count, 8, "short rows are the norm: none is skipped")
        XCTAssertFalse(try decisionHeld(text, decidingRows: 2))
        try assertSameAsInPasses(text, decidingRows: 2)
    }

    func testEverySectionIsDecidedOnItsOwn() throws {
        let text = "epoch,loss\n0,0.9\n1,0.8\n2,0.7\nepoch,loss,tag\n0,0.5,1\n1,0.4,x\n"
        let read = try runs(text, decidingRows: 1)
        XCTAssertEqual(read.count, 2)
        XCTAssertNil(read.last?.values("tag"))
        XCTAssertFalse(try decisionHeld(text, decidingRows: 1))
        try assertSameAsInPasses(text, decidingRows: 1)
    }

    func testTheDefaultReadingOfALargeTableEqualsTheReadingInPasses() throws {
        var text = "epoch,step,train_loss_step,lr-Adam,val_loss,val_acc,train_loss_epoch\n"
        var step = 0
        for epoch in 0..<4 {
            for _ in 0..<700 {
                step += 1
                text += "\(epoch),\(step),\(2.3 - Double(step) / 10_000),0.001,,,\n"
            }
            text += "\(epoch),\(step),,,\(2.0 - Double(epoch) / 10),0.\(epoch + 3),\(2.1 - Double(epoch) / 10)\n"
        }
        let once = try runs(text)
        XCTAssertEqual(once.first?.values("val_loss"), [2.0, 1.9, 1.8, 1.7])
        XCTAssertEqual(once.first?.series(named: "loss", granularity: .step)?.values.count, 2800)
        XCTAssertEqual(String(describing: once), String(describing: try runs(text, inPasses: true)))
        XCTAssertTrue(try decisionHeld(text, decidingRows: CSVTableReading.defaultDecidingRows))
    }

    func testAKeptRowKeepsItsOwnCellsAndNumbers() throws {
        let reader = try CSVRowReader(content: .memory(Data("a,b\n1,2\n3,x\n5,6\n".utf8)))
        var kept: [CSVRow] = []
        try reader.forEachRow { row in
            _ = row.number(0)  // fills the reader's memo, which the next row reuses
            kept.append(row.detached)
            return true
        }
        XCTAssertEqual(kept.map(\.strings), [["a", "b"], ["1", "2"], ["3", "x"], ["5", "6"]])
        XCTAssertEqual(kept.map { $0.number(0) }, [nil, 1, 3, 5])
        XCTAssertEqual(kept.map { $0.number(1) }, [nil, 2, nil, 6])
        XCTAssertEqual(kept.map { $0.isMissing(2) }, [true, true, true, true], "a cell past the end has no value")
    }
}
