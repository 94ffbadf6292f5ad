import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// Epochs for logs that count steps only, and the notes that say how a run was read.
final class StepPeriodsAndNotesTests: XCTestCase {
    private func record(step: Int, _ values: [(String, Double)]) -> MetricRecord {
        MetricRecord(step: step, stepIsGlobal: true, values: values.map { (MetricName(raw: $0.0), $0.1) }, line: step)
    }

    func testEvaluationsClosePeriodsAndAStepGoingBackStartsOver() {
        var periods = StepPeriods()
        var assembler = RunAssembler(source: "x", format: .jsonLines)
        for (step, values) in [(10, [("loss", 1.0)]), (20, [("loss", 0.8)]), (20, [("val_loss", 0.9)]), (30, [("loss", 0.6)]),
                               (40, [("val_loss", 0.7)]), (10, [("loss", 2.0)]), (20, [("val_loss", 1.9)])] {
            var one = record(step: step, values)
            periods.place(&one)
            assembler.add(one)
        }
        let runs = periods.finish(&assembler)
        XCTAssertEqual(runs.count, 2)
        XCTAssertValues(runs[0].values("loss"), [0.9, 0.6])
        XCTAssertValues(runs[0].values("val_loss"), [0.9, 0.7])
        XCTAssertEqual(runs[1].series(named: "val_loss")?.points.map(\.epoch), [1])
        XCTAssertTrue(runs.allSatisfy { $0.notes.contains { $0.contains("each evaluation") } })
    }

    func testStepsWithoutEvaluationsAreCutIntoPeriods() {
        var assembler = RunAssembler(source: "x", format: .genericConsole)
        for step in 0..<100 {
            var one = record(step: step * 10, [("loss", 1.0 / Double(step + 1))])
            one.perStep = true
            assembler.add(one)
        }
        var run = assembler.finish()[0]
        XCTAssertTrue(run.groupingStepsIntoPeriods())
        XCTAssertEqual(run.epochCount, 20)
        XCTAssertEqual(run.series(named: "loss")?.points.count, 20)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.first?.epoch, 1)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.last?.epoch, 20)
        XCTAssertFalse(run.groupingStepsIntoPeriods(), "a run with epochs is left as it is")
    }

    func testNotesAreShownInEveryReportFormat() throws {
        var run = Run(source: "train.log", format: .genericConsole, name: "run 1",
                      series: [MetricSeries(name: MetricName(raw: "loss"), granularity: .epoch, points: [MetricPoint(epoch: 1, value: 0.5, line: 1)])])
        run.notes = [GenericConsoleParser.note]
        let report = AnalysisReport(runs: [AnalyzedRun(run: run, findings: [])], errors: [])
        XCTAssertTrue(MarkdownRenderer().render(report).contains("> **Note:** Read by the generic console reader"))
        XCTAssertTrue(TextRenderer(colored: false).render(report).contains("ℹ note    Read by the generic console reader"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["notes"] as? [String], [GenericConsoleParser.note])
        // Runs without notes have no `notes` key: reports of exactly read runs stay as they were.
        run.notes = []
        let plain = JSONRenderer().render(AnalysisReport(runs: [AnalyzedRun(run: run, findings: [])], errors: []))
        XCTAssertFalse(plain.contains("\"notes\""))
    }
}

/// The README's format table names every `--input-format`.
final class FormatTableTests: XCTestCase {
    func testTheReadmeListsEveryFormat() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for format in InputFormat.allCases {
            XCTAssertTrue(text.contains("| `\(format.rawValue)` |"), "README's format table lacks a row for \(format.rawValue)")
        }
    }
}
