import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel

/// A JSON list of records (Chainer's `LogReport` writes `result/log` so), and Hugging Face's
/// `log_history` saved on its own.
final class JSONRecordListTests: XCTestCase {
    func testChainerLogReportIsAListOfRecords() throws {
        let records = (1...12).map { index in
            """
                {
                    "main/loss": \(2.0 / Double(index)),
                    "validation/main/loss": \(2.2 / Double(index)),
                    "iteration": \(index * 100),
                    "epoch": \(index),
                    "elapsed_time": \(Double(index) * 12.3)
                }
            """
        }
        let run = try FormatTesting.onlyRun("[\n" + records.joined(separator: ",\n") + "\n]\n", source: "log")
        XCTAssertEqual(run.format, .jsonLines)
        XCTAssertEqual(run.epochCount, 12)
        XCTAssertNotNil(run.series.first { $0.split == .validation && $0.kind == .loss }, "\(run.series.map(\.key))")
        XCTAssertNil(run.series.first { $0.name.base.contains("elapsed") }, "time is not a metric")
    }

    func testACutListKeepsTheRecordsBeforeTheCut() throws {
        let records = (1...6).map { #"{"loss": \#(1.0 / Double($0)), "epoch": \#($0), "iteration": \#($0 * 10)}"# }
        let text = "[" + records.joined(separator: ", ") + #", {"loss": 0.1, "ep"#
        let run = try FormatTesting.onlyRun(text, source: "log")
        XCTAssertEqual(run.epochCount, 6)
    }

    func testAHuggingFaceLogHistoryListIsATrainerState() throws {
        let entries = (1...10).map { #"{"loss": \#(0.7 - 0.05 * Double($0)), "learning_rate": 2e-05, "epoch": \#(Double($0) * 0.2), "step": \#($0 * 10)}"# }
        let run = try FormatTesting.onlyRun("[" + entries.joined(separator: ", ") + "]", source: "training_history.json")
        XCTAssertEqual(run.format, .huggingFaceState)
        XCTAssertEqual(run.series.first { $0.key == "loss@step" }?.points.count, 10)
    }
}
