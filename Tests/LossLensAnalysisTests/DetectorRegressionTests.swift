import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Real training runs (trimmed copies in Fixtures/detectors) and what losslens must say about them.
final class DetectorRegressionTests: XCTestCase {
    private func findings(_ fixture: String) throws -> [Finding] {
        let url = try TestFixtures.url("detectors/\(fixture)")
        let analyzer = try Analyzer()
        return try analyzer.analyze(LogInput(source: fixture, data: Data(contentsOf: url))).flatMap(\.findings)
    }

    private func alarms(_ findings: [Finding]) -> Set<String> {
        Set(findings.filter { $0.severity >= .warning }.map(\.rule))
    }

    func testHealthyRunRaisesNoAlarm() throws {
        XCTAssertEqual(alarms(try findings("torch-healthy-binary.log")), [])
    }

    func testCrossEntropyLabelOffByOne() throws {
        let crash = try XCTUnwrap(try findings("torch-crash-label-off-by-one.log").first { $0.rule == "crash" })
        XCTAssertTrue(crash.message.contains("Target 3 is out of bounds"), crash.message)
        XCTAssertTrue(crash.causes[0].text.contains("1-based"))
    }

    func testKerasSingleUnitSoftmaxWithBinaryCrossEntropy() throws {
        let all = try findings("keras-single-softmax-bce.json")
        let mismatch = try XCTUnwrap(all.first { $0.rule == "metric-mismatch" })
        XCTAssertTrue(mismatch.causes[0].text.contains("single output unit"), mismatch.causes[0].text)
        XCTAssertTrue(alarms(all).isSubset(of: ["metric-mismatch", "flat"]), "\(alarms(all))")
    }

    func testPyTorchCrossEntropyOverOneLogit() throws {
        let all = try findings("torch-ce-single-logit.log")
        let zero = try XCTUnwrap(all.first { $0.rule == "zero" })
        XCTAssertTrue(zero.causes[0].text.contains("single logit"), zero.causes[0].text)
        XCTAssertTrue(zero.causes[0].because.contains("negative zero"), zero.causes[0].because)
        XCTAssertEqual(alarms(all), ["zero"], "a zero loss is not also flat or at chance level")
    }

    func testImbalancedMajorityClass() throws {
        let all = try findings("keras-imbalanced-majority.json")
        let majority = try XCTUnwrap(all.first { $0.rule == "majority-class" })
        XCTAssertTrue(majority.message.contains("0.965"), majority.message)
        XCTAssertTrue(alarms(all).isSubset(of: ["majority-class", "flat", "leak-suspect"]), "\(alarms(all))")
    }

    /// Mukilan1600/tamslate (fcddd2a) `loss_log.txt`: a translation model whose score, printed as
    /// "BLUE", is 0 at every evaluation while both losses fall fivefold.
    func testATranslationScoreFrozenAtZeroUnderAMisspelledName() throws {
        let all = try findings("tamslate-loss_log.txt")
        let zero = try XCTUnwrap(all.first { $0.rule == "zero" })
        XCTAssertEqual(zero.metric, "bleu")
        XCTAssertEqual(alarms(all), ["zero"])
    }

    /// JasonZeng24/HallucinationDetection (1192354) `trainer_state.json`: a binary fine-tune that
    /// called every input positive at its first evaluation (recall 1, precision = accuracy 0.6056)
    /// and is one sample better at its third.
    func testOneClassAtAnEarlierEvaluationWithoutGainSince() throws {
        let all = try findings("hallucination-trainer_state.json")
        let majority = try XCTUnwrap(all.first { $0.rule == "majority-class" })
        XCTAssertTrue(majority.message.contains("at step 43 recall was 1"), majority.message)
        XCTAssertEqual(alarms(all), ["majority-class"])
    }

    func testNaNFromTheFirstEpoch() throws {
        let nonFinite = try XCTUnwrap(try findings("keras-nan-from-start.json").first { $0.rule == "non-finite" })
        XCTAssertEqual(nonFinite.firstEpoch, 1)
        XCTAssertTrue(nonFinite.causes[0].text.contains("learning rate"))
    }

    func testOverfittingReportsTheBestEpochWithoutMajorityClass() throws {
        let all = try findings("keras-overfitting.json")
        let overfitting = try XCTUnwrap(all.first { $0.rule == "overfitting" })
        XCTAssertEqual(overfitting.firstEpoch, 11)
        XCTAssertFalse(alarms(all).contains("majority-class"), "the validation loss only matches an entropy by coincidence")
    }

    func testHighLearningRateSettlesAtChance() throws {
        let all = try findings("torch-high-lr-chance.log")
        let chance = try XCTUnwrap(all.first { $0.rule == "chance-level" })
        XCTAssertTrue(chance.message.contains("loss and the accuracy"), chance.message)
        XCTAssertFalse(alarms(all).contains("overfitting"))
    }

    func testOscillatingAdam() throws {
        XCTAssertTrue(alarms(try findings("torch-oscillating-adam.log")).contains("oscillating"))
    }
}
