import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// How the parsers and the analyzer treat damaged input: a typed error that says what is wrong, or
/// the values that could be read plus an `inputDamaged` event saying what was left out.
final class DamagedInputTests: XCTestCase {
    private func input(_ text: String, source: String = "history.json") -> LogInput {
        LogInput(source: source, data: Data(text.utf8))
    }

    func testNumbersBeyondDoubleRangeBecomeInfinitiesAndAreListed() throws {
        let document = try LenientJSON.document(Data(#"{"a": [1e999, -2E+400, 1e-400, 0.5], "b": "1e999"}"#.utf8))
        let list = try XCTUnwrap((document.root as? [String: Any])?["a"] as? [Any])
        XCTAssertEqual(list.compactMap(LenientJSON.number), [.infinity, -.infinity, 0, 0.5])
        XCTAssertEqual(document.outOfRangeNumbers, ["1e999", "-2E+400"])
        XCTAssertEqual((document.root as? [String: Any])?["b"] as? String, "1e999", "strings are left alone")
    }

    func testKerasHistoryWarnsAboutOverflowedNumbers() throws {
        let runs = try KerasHistoryParser().parse(input(#"{"loss": [0.5, 1e999, 0.3]}"#))
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.series(.loss, .train)?.values[1], .infinity)
        let warning = try XCTUnwrap(run.events.first { $0.kind == .inputDamaged })
        XCTAssertTrue(warning.text.contains("1e999") && warning.text.contains("read as inf"), warning.text)
    }

    func testTruncatedJSONThrowsATypedErrorNamingTheFormat() {
        let truncated = input(#"{"log_history": [{"loss": 0.5, "step": 1"#, source: "trainer_state.json")
        XCTAssertThrowsError(try HuggingFaceStateParser().parse(truncated)) { error in
            guard case let .invalidJSON(source, format, reason) = error as? LossLensError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(source, "trainer_state.json")
            XCTAssertEqual(format, .huggingFaceState)
            XCTAssertTrue(reason.contains("truncated"), reason)
        }
    }

    func testAnalyzerReportsTheRefusalWhenNoParserFindsMetrics() throws {
        let analyzer = try Analyzer()
        XCTAssertThrowsError(try analyzer.parse(input(#"{"loss": [0.5, 0.4"#))) { error in
            XCTAssertTrue(error.localizedDescription.contains("not valid JSON"), error.localizedDescription)
        }
    }

    func testARefusingParserDoesNotStopTheOthers() throws {
        // Starts like JSON, so the JSON parsers try it first and refuse it; the console parser reads it.
        let log = "{'lr': 0.1, 'batch_size': 32}\nEpoch 1/2\n10/10 [==============================] - 1s 10ms/step - loss: 0.9\n"
            + "Epoch 2/2\n10/10 [==============================] - 1s 10ms/step - loss: 0.7\n"
        let runs = try Analyzer().parse(input(log, source: "train.log"))
        XCTAssertEqual(runs.first?.series(.loss, .train)?.values, [0.9, 0.7])
    }

    func testBinaryDataIsToldFromText() {
        XCTAssertTrue(BinarySniffer.looksBinary(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])))
        XCTAssertTrue(BinarySniffer.looksBinary(Data((0..<200).map { UInt8($0 % 16 + 1) })))
        XCTAssertFalse(BinarySniffer.looksBinary(Data("Epoch 1/3 \u{1B}[32m━━━\u{1B}[0m loss: 0.5\r\n".utf8)))
        XCTAssertFalse(BinarySniffer.looksBinary(Data([0xD1, 0xB5, 0xC1, 0xB7, 0x20, 0x6C, 0x6F, 0x73, 0x73, 0x0A])), "GBK text")
        XCTAssertFalse(BinarySniffer.looksBinary(Data()))
    }

    func testAnalyzerCallsBinaryDataBinary() throws {
        let data = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00] + Array(repeating: 0x00, count: 64))
        XCTAssertThrowsError(try Analyzer().parse(LogInput(source: "model.zip", data: data))) { error in
            XCTAssertEqual(error as? LossLensError, .binaryInput(source: "model.zip"))
        }
    }

    func testRaggedCSVRowsAreNamedInAWarning() throws {
        let csv = "epoch,loss,val_loss\n0,0.9,1.0\n1,0.8\n2,0.7,0.9\n3,0.6,0.8,7\n"
        let run = try XCTUnwrap(try CSVParser().parse(input(csv, source: "training.csv")).first)
        XCTAssertEqual(run.series(.loss, .train)?.values, [0.9, 0.7])
        let warning = try XCTUnwrap(run.events.first { $0.kind == .inputDamaged })
        XCTAssertEqual(warning.line, 3)
        XCTAssertTrue(warning.text.hasPrefix("2 rows were skipped"), warning.text)
    }

    func testWellFormedCSVHasNoWarning() throws {
        let run = try XCTUnwrap(try CSVParser().parse(input("epoch,loss\n0,0.9\n1,0.8\n", source: "training.csv")).first)
        XCTAssertTrue(run.events.isEmpty)
    }

    func testEmptyDirectoryIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let layout = InputCollector().collect([directory.path])
        let (items, errors) = (layout.items, layout.errors)
        XCTAssertTrue(items.isEmpty)
        XCTAssertEqual(errors.map { $0.1 as? LossLensError }, [.noLogFiles(directory: directory.path)])
    }

    func testTerminalTextLosesEscapesControlsAndBidiOverrides() {
        XCTAssertEqual(TextReport.plain("a\u{1B}[31mb\u{1B}[0m\u{9B}c\u{202E}d\u{07}\ne"), "abcd e")
    }
}
