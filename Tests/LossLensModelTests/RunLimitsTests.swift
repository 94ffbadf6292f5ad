import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// The caps of `RunAssembler`: past them the input is read on, nothing more is made, and the last
/// run says which cap was reached.
final class RunLimitsTests: XCTestCase {
    private func parse(_ text: String, limits: RunLimits) throws -> [Run] {
        var input = LogInput(source: "x.log", data: Data(text.utf8))
        input.runLimits = limits
        var options = AnalysisOptions()
        options.runLimits = limits
        return try Analyzer(options: options).parse(input)
    }

    private func warnings(_ runs: [Run]) -> [String] {
        runs.flatMap { $0.events.filter { $0.kind == .inputDamaged }.map(\.text) }
    }

    func testRunsPastTheCapAreNotMade() throws {
        let log = String(repeating: "Epoch 2/3, Loss: 0.5\nEpoch 1/3, Loss: 0.4\n", count: 50)
        let runs = try parse(log, limits: RunLimits(runs: 7))
        XCTAssertEqual(runs.count, 7)
        XCTAssertEqual(warnings(runs), ["more than 7 runs: the input past the 7th run was not read (--max-runs)"])
        XCTAssertEqual(try parse(log, limits: RunLimits()).count, 51, "under the cap nothing changes")
        XCTAssertEqual(warnings(try parse(log, limits: RunLimits())), [])
    }

    func testMetricsPastTheCapAreDropped() throws {
        let log = (0..<40).map { "{'loss': 0.5, 'm\($0)': 0.25, 'epoch': 1.0}\n" }.joined()
        let runs = try parse(log, limits: RunLimits(series: 10))
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(Set(runs[0].series.map(\.name.canonical)).count, 10)
        XCTAssertNotNil(runs[0].series(named: "loss"), "the first names are kept")
        XCTAssertEqual(warnings(runs), ["more than 10 metrics: the values of further metric names were not kept (--max-series)"])
    }

    func testEpochsPastTheCapAreDropped() throws {
        // No epoch header: every line repeats the values of the one before and starts an epoch.
        let log = (0..<50).map { "10/10 [======] - 0s - loss: 0.\($0 + 10) - accuracy: 0.25\n" }.joined()
        let runs = try parse(log, limits: RunLimits(epochs: 20))
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].series(named: "loss")?.values.count, 20)
        XCTAssertEqual(runs[0].series(named: "loss")?.values.last, 0.29, "the first epochs are kept")
        XCTAssertEqual(warnings(runs), [
            "a run holds values in more than 20 epochs: the values of later epochs were not kept (--max-epochs)",
        ])
    }

    func testTheEpochCapCountsEpochsNotTheirNumbers() throws {
        // A run that logs every 1000th epoch of 200 000 holds 200 epochs.
        let log = (1...200).map { "Epoch \($0 * 1000)/200000, Loss: 0.5\n" }.joined()
        XCTAssertEqual(try parse(log, limits: RunLimits(epochs: 200))[0].series(named: "loss")?.values.count, 200)
        XCTAssertEqual(warnings(try parse(log, limits: RunLimits(epochs: 200))), [])
        XCTAssertEqual(try parse(log, limits: RunLimits(epochs: 150))[0].series(named: "loss")?.values.count, 150)
    }
}
