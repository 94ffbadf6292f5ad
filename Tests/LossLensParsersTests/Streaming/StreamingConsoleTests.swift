import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

final class StreamingConsoleTests: XCTestCase {
    func testAFileInputParsesLikeTheSameBytesInMemory() throws {
        let data = try ConsoleFixtures.data("torch-crash.log")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        let analyzer = try Analyzer()
        let fromFile = try analyzer.parse(LogInput(source: "x.log", filePath: url.path))
        let fromMemory = try analyzer.parse(LogInput(source: "x.log", data: data))
        XCTAssertEqual(fromFile, fromMemory)
        XCTAssertNotNil(fromFile.last?.crash)
    }

    func testAMetricLineAfterAHugeUnterminatedBlobIsStillRead() throws {
        // A binary-looking line far over the cap, then ordinary epoch lines.
        var data = Data("Epoch 1/2, loss = 0.9\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "q"), count: LineStream.lineCap * 3))
        data.append(Data("\nEpoch 2/2, loss = 0.5\n".utf8))
        let run = try XCTUnwrap(try Analyzer().parse(LogInput(source: "blob.log", data: data)).first)
        XCTAssertEqual(run.series(named: "loss")?.values, [0.9, 0.5])
        XCTAssertEqual(run.series(named: "loss")?.points.map(\.line), [1, 3])
    }

    func testCallbackLinesAreStillEventsWithTheirEpoch() throws {
        let log = "Epoch 1/3, loss = 0.9\nEpoch 2/3, loss = 0.8\nEpoch 00002: early stopping\n"
        let run = try XCTUnwrap(try Analyzer().parse(LogInput(source: "cb.log", data: Data(log.utf8))).first)
        XCTAssertEqual(run.events.map(\.kind), [.earlyStopping])
        XCTAssertEqual(run.events.first?.epoch, 2)
    }

    func testADocumentOverTheLoadLimitIsRefusedWithAReason() throws {
        let notebook = #"{"cells": [{"cell_type": "code", "outputs": []}], "nbformat": 4}"#
        var input = LogInput(source: "train.ipynb", data: Data(notebook.utf8))
        input.wholeFileLimit = 8
        // A notebook over the limit is a broken notebook (the formats issue): never read as console text.
        XCTAssertThrowsError(try Analyzer().parse(input)) { error in
            XCTAssertEqual(error as? LossLensError, .brokenNotebook(
                source: "train.ipynb", reason: "\(notebook.utf8.count) bytes is over the 8 bytes a notebook is loaded up to"))
        }
    }

    /// History JSON and `trainer_state.json` are read as streams, so the load limit does not apply.
    func testStreamedDocumentsAreReadOverTheLoadLimit() throws {
        var history = LogInput(source: "history.json", data: Data(#"{"loss": [0.9, 0.7, 0.5]}"#.utf8))
        history.wholeFileLimit = 8
        XCTAssertEqual(try Analyzer().parse(history).first?.series(named: "loss")?.values, [0.9, 0.7, 0.5])
        let state = #"{"log_history": [{"loss": 0.9, "step": 1}, {"loss": 0.7, "step": 2}]}"#
        var trainerState = LogInput(source: "trainer_state.json", data: Data(state.utf8))
        trainerState.wholeFileLimit = 8
        XCTAssertEqual(try Analyzer().parse(trainerState).first?.series(named: "loss", granularity: .step)?.values, [0.9, 0.7])
    }

    func testAConsoleLogThatLooksLikeADocumentStillStreamsOverTheLimit() throws {
        let log = "{'loss': 0.9, 'epoch': 0.5}\n{'loss': 0.7, 'epoch': 1.0}\n"
        var input = LogInput(source: "train.log", data: Data(log.utf8))
        input.wholeFileLimit = 8
        let run = try XCTUnwrap(try Analyzer().parse(input).first)
        XCTAssertEqual(run.format, .huggingFaceConsole)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.values, [0.9, 0.7])
    }
}
