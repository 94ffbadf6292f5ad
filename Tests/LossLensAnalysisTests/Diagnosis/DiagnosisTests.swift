import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

/// The diagnosis step: one finding per root cause, the symptoms it explains as its evidence, causes
/// the log shows first, fixes that never pull a setting both ways.
final class DiagnosisTests: XCTestCase {
    func testANaNFromTheFirstEpochExplainsTheFlatAndChanceLevelMetricsAfterIt() throws {
        let run = try DiagnosisSupport.analyze(#"{"loss": [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], "accuracy": [0.1002, 0.0967, 0.0967, 0.0967, 0.0967, 0.0967, 0.0967, 0.0967], "val_loss": [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], "val_accuracy": [0.1083, 0.1083, 0.1083, 0.1083, 0.1083, 0.1083, 0.1083, 0.1083]}"#)
        XCTAssertEqual(run.findings.map(\.rule), ["non-finite"], "the NaN's consequences are not findings of their own")
        let explained = Set(run.findings[0].explains.map(\.rule))
        XCTAssertTrue(explained.isSuperset(of: ["flat", "chance-level"]), "\(explained)")
        let json = JSONReport.render(AnalysisReport(runs: [run], errors: []))
        XCTAssertTrue(json.contains(#""explains""#))
    }

    func testADivergenceExplainsTheSpikesOfItsStretchButNotADeadNetworkAfterIt() {
        let loss = Finding(rule: "diverging", severity: .error, confidence: 0.9, metric: "loss", firstEpoch: 5, lastEpoch: 20, message: "")
        let spike = Finding(rule: "spike", severity: .warning, confidence: 0.9, metric: "loss", firstEpoch: 9, lastEpoch: 20, message: "")
        let flat = Finding(rule: "flat", severity: .warning, confidence: 0.9, metric: "acc", firstEpoch: 12, lastEpoch: 20, message: "")
        let diagnoses = Diagnosis.diagnose([spike, flat, loss], framework: nil)
        XCTAssertEqual(Set(diagnoses.map(\.rule)), ["diverging", "flat"])
        XCTAssertEqual(diagnoses.first { $0.rule == "diverging" }?.explains.map(\.rule), ["spike"])
    }

    /// A held-out loss that climbs 4x while the training loss falls to 0 is overfitting, the climb its evidence.
    func testOverfittingExplainsTheClimbOfItsOwnHeldOutLoss() {
        let climb = Finding(rule: "diverging", severity: .error, confidence: 0.9, metric: "val_loss", firstEpoch: 2, lastEpoch: 50, message: "")
        let overfitting = Finding(rule: "overfitting", severity: .warning, confidence: 1, metric: "val_loss", firstEpoch: 1, lastEpoch: 50, message: "")
        let diagnoses = Diagnosis.diagnose([climb, overfitting], framework: nil)
        XCTAssertEqual(diagnoses.map(\.rule), ["overfitting"])
        XCTAssertEqual(diagnoses[0].explains.map(\.rule), ["diverging"])
        let trainDiverges = Finding(rule: "diverging", severity: .error, confidence: 0.9, metric: "loss", firstEpoch: 5, lastEpoch: 50, message: "")
        XCTAssertEqual(Set(Diagnosis.diagnose([trainDiverges, overfitting], framework: nil).map(\.rule)), ["diverging", "overfitting"])
    }

    func testAnAccuracyAtZeroExplainsTheMismatchOfThatAccuracy() {
        let zero = Finding(rule: "zero", severity: .warning, confidence: 1, metric: "val_acc", firstEpoch: 1, lastEpoch: 30, message: "")
        let mismatch = Finding(rule: "metric-mismatch", severity: .warning, confidence: 0.85, metric: "val_acc", firstEpoch: 1, lastEpoch: 30, message: "")
        XCTAssertEqual(Diagnosis.diagnose([mismatch, zero], framework: nil).map(\.rule), ["zero"])
    }

    func testACrashExplainsARunCutShort() {
        let crash = Finding(rule: "crash", severity: .error, confidence: 1, message: "")
        let notConverged = Finding(rule: "not-converged", severity: .info, confidence: 0.6, metric: "loss", message: "")
        XCTAssertEqual(Diagnosis.diagnose([notConverged, crash], framework: nil).map(\.rule), ["crash"])
    }

    func testMajorityClassExplainsTheMetricMismatchOfItsFrozenAccuracy() {
        let majority = Finding(rule: "majority-class", severity: .warning, confidence: 0.8, metric: "val_acc", firstEpoch: 2, lastEpoch: 20, message: "")
        let mismatch = Finding(rule: "metric-mismatch", severity: .warning, confidence: 0.85, metric: "val_acc", firstEpoch: 1, lastEpoch: 20, message: "")
        let diagnoses = Diagnosis.diagnose([mismatch, majority], framework: nil)
        XCTAssertEqual(diagnoses.map(\.rule), ["majority-class"])
        XCTAssertEqual(diagnoses[0].explains.map(\.rule), ["metric-mismatch"])
    }

    func testNoRunGetsFixesThatTurnTheLearningRateBothWays() {
        let flat = Finding(rule: "flat", severity: .warning, confidence: 0.7, metric: "val_loss", firstEpoch: 10, lastEpoch: 20, message: "",
                           fixes: [FixLibrary.raiseLearningRate, FixLibrary.checkLabels])
        let spike = Finding(rule: "spike", severity: .warning, confidence: 0.9, metric: "loss", firstEpoch: 3, lastEpoch: 20, message: "",
                            fixes: [FixLibrary.clipGradients, FixLibrary.lowerLearningRate])
        let fixes = Diagnosis.diagnose([flat, spike], framework: nil).flatMap(\.fixes)
        XCTAssertTrue(fixes.contains(FixLibrary.lowerLearningRate))
        XCTAssertFalse(fixes.contains(FixLibrary.raiseLearningRate), "the more confident spike keeps its direction")
    }

    func testSnippetsFollowTheFrameworkOfTheLog() {
        let finding = Finding(rule: "spike", severity: .warning, confidence: 0.9, message: "", fixes: [FixLibrary.clipGradients])
        let keras = Diagnosis.diagnose([finding], framework: .keras)[0].fixes[0]
        XCTAssertNotNil(keras.keras)
        XCTAssertNil(keras.pytorch)
        let pytorch = Diagnosis.diagnose([finding], framework: .pytorch)[0].fixes[0]
        XCTAssertNil(pytorch.keras)
        XCTAssertNotNil(pytorch.pytorch)
        let unknown = Diagnosis.diagnose([finding], framework: nil)[0].fixes[0]
        XCTAssertNotNil(unknown.keras)
        XCTAssertNotNil(unknown.pytorch)
    }

    func testCausesTheLogCannotShowRankLastAndSaySo() {
        let finding = Finding(rule: "diverging", severity: .error, confidence: 0.9, message: "", causes: [
            Cause("Inputs are unnormalized.", notInLog: "large data make any step too large"),
            Cause("The learning rate is too high.", because: "the loss grows 2x per epoch"),
        ])
        let causes = Diagnosis.diagnose([finding], framework: nil)[0].causes
        XCTAssertEqual(causes.map(\.isSeenInLog), [true, false])
        XCTAssertTrue(causes[1].because.hasPrefix("nothing in this log shows it"))
    }

    func testEvidencePointsAtTheConsoleLineWhenTheConsoleIsACompanion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-printed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let losses = [0.9, 3.5, 40.0, 900.0, Double.nan, Double.nan]
        let history = #"{"loss": [0.9, 3.5, 40.0, 900.0, NaN, NaN], "accuracy": [0.5, 0.4, 0.3, 0.2, 0.1, 0.1]}"#
        try Data(history.utf8).write(to: folder.appendingPathComponent("history.json"))
        var console = "Model: a preamble line\n"
        for (index, loss) in losses.enumerated() {
            console += "Epoch \(index + 1)/6\n10/10 [==============================] - 0s 1ms/step - loss: \(loss.isNaN ? "nan" : String(format: "%.4f", loss)) - accuracy: \(String(format: "%.4f", 0.5 - 0.1 * Double(min(index, 4))))\n"
        }
        try Data(console.utf8).write(to: folder.appendingPathComponent("console.log"))
        let report = try Analyzer().analyze(paths: [folder.path])
        let nonFinite = try XCTUnwrap(report.runs.first?.findings.first { $0.rule == "non-finite" })
        let first = try XCTUnwrap(nonFinite.evidence.first)
        XCTAssertEqual(first.source, folder.appendingPathComponent("console.log").path)
        XCTAssertEqual(first.line, 11, "epoch 5's values line of the console")
    }
}

enum DiagnosisSupport {
    static func analyze(_ log: String, classes: Int? = nil) throws -> AnalyzedRun {
        let analyzer = try Analyzer(options: AnalysisOptions(classes: classes))
        let runs = try analyzer.analyze(LogInput(source: "history.json", data: Data(log.utf8)))
        return try XCTUnwrap(runs.first)
    }
}
