import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// A 1–3 epoch fine-tune is judged on its logged steps and evaluations, not reported as too short.
final class StepLevelTests: XCTestCase {
    /// A Hugging Face `trainer_state.json` of `epochs` epochs: a training loss every step, an evaluation per `evalEvery` steps.
    private func trainerState(steps: Int, epochs: Double, loss: (Int) -> Double, eval: ((Int) -> Double)? = nil, evalEvery: Int = 20) -> String {
        var entries: [String] = []
        for step in 1...steps {
            let epoch = epochs * Double(step) / Double(steps)
            let value = loss(step)
            entries.append(#"{"epoch": \#(epoch), "loss": \#(value.isNaN ? "NaN" : String(value)), "learning_rate": 5e-05, "step": \#(step)}"#)
            if let eval, step % evalEvery == 0 {
                entries.append(#"{"epoch": \#(epoch), "eval_loss": \#(eval(step)), "step": \#(step)}"#)
            }
        }
        return #"{"global_step": \#(steps), "log_history": [\#(entries.joined(separator: ", "))]}"#
    }

    private func analyze(_ state: String) throws -> AnalyzedRun {
        try XCTUnwrap(try Analyzer().analyze(LogInput(source: "trainer_state.json", data: Data(state.utf8))).first)
    }

    func testAShortFineTuneIsJudgedOnItsSteps() throws {
        let run = try analyze(trainerState(steps: 120, epochs: 2, loss: { 0.7 * exp(-Double($0) / 60) + 0.05 }))
        XCTAssertEqual(run.judgedOn, .step)
        XCTAssertFalse(run.findings.contains { $0.rule == "too-short" })
        XCTAssertTrue(MarkdownReport.render(AnalysisReport(runs: [run], errors: [])).contains("Loss per logged step"))
    }

    func testANaNAtAStepIsReportedAtThatStep() throws {
        let run = try analyze(trainerState(steps: 100, epochs: 1, loss: { $0 >= 73 ? .nan : 0.6 }))
        let nonFinite = try XCTUnwrap(run.findings.first { $0.rule == "non-finite" })
        XCTAssertTrue(nonFinite.message.contains("step 73"), nonFinite.message)
    }

    func testAnEvaluationLossRisingOverEvaluationsIsOverfitting() throws {
        let run = try analyze(trainerState(steps: 200, epochs: 2, loss: { 0.7 * exp(-Double($0) / 40) + 0.01 },
                                           eval: { step in 0.4 + 0.0000125 * Double((step - 60) * (step - 60)) }, evalEvery: 20))
        XCTAssertTrue(run.findings.contains { $0.rule == "overfitting" }, "\(run.findings.map(\.rule))")
    }

    func testALossThatReachesExactlyZeroWithinAFewStepsIsReported() throws {
        let run = try analyze(trainerState(steps: 150, epochs: 1, loss: { $0 < 30 ? 0.69 - 0.02 * Double($0) : 0 }))
        XCTAssertTrue(run.findings.contains { $0.rule == "zero" }, "\(run.findings.map(\.rule))")
    }

    func testTooFewPointsOfEveryKindIsTooShort() throws {
        let run = try analyze(trainerState(steps: 4, epochs: 2, loss: { 0.7 - 0.1 * Double($0) }))
        XCTAssertEqual(run.judgedOn, .epoch)
        XCTAssertTrue(run.findings.contains { $0.rule == "too-short" })
    }

    func testAUserStopIsAnEventNotACrash() throws {
        let log = (1...6).map { "Epoch \($0), Loss: \(1.0 / Double($0))" }.joined(separator: "\n")
            + "\nTraceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n    loss.backward()\nKeyboardInterrupt\n"
        let run = try XCTUnwrap(try Analyzer().analyze(LogInput(source: "train.log", data: Data(log.utf8))).first)
        XCTAssertNil(run.run.crash)
        XCTAssertFalse(run.findings.contains { $0.rule == "crash" })
        XCTAssertEqual(run.run.events.last?.kind, .stoppedByUser)
    }
}
