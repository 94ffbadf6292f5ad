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

    /// A detector's run is judged by its mAP: one small term of the held-out loss rising while mAP
    /// still improves is info; the same rise with mAP falling is a warning.
    func testDetectionOverfittingFollowsTheHeldOutScore() throws {
        let improving = try XCTUnwrap(try findings("yolo-results-map-rises-val-box-drifts.csv").first { $0.rule == "overfitting" })
        XCTAssertEqual(improving.severity, .info)
        XCTAssertEqual(improving.metric, "val_box_loss")
        XCTAssertTrue(improving.message.contains("val_map50 rose from 0.2851 to 0.337"), improving.message)
        let falling = try XCTUnwrap(try findings("yolo-results-map-falls-val-box-rises.csv").first { $0.rule == "overfitting" })
        XCTAssertEqual(falling.severity, .warning)
        XCTAssertFalse(falling.message.contains("rose from"), falling.message)
    }

    /// A held-out score oscillates when it gives back most of a material gain and wins it back, twice.
    func testAScoreThatCollapsesAndRecoversTwiceOscillates() {
        XCTAssertEqual(ScoreCollapses.collapses(of: [0.32, 0.97, 0.14, 0.79, 0.02, 0.9, 0.2, 0.95]).map(\.low), [4, 6])
        XCTAssertEqual(ScoreCollapses.collapses(of: [0, 0.0002, 0, 0.0002, 0, 0.0002, 0, 0.0002]).count, 0, "no material gain")
        XCTAssertEqual(ScoreCollapses.collapses(of: [0.5, 0.9, 0.8, 0.85, 0.7, 0.9, 0.88]).count, 0, "dips, not collapses")
        XCTAssertEqual(ScoreCollapses.collapses(of: [32, 97, 14, 95, 12, 96]).count, 2, "a percent scale")
    }

    /// A held-out accuracy frozen at 0.9217 with its loss at that prior's entropy: majority class,
    /// unless the held-out loss repeats to every digit while the training loss moves (the learning
    /// rate decayed to 0, as in a TextCNN run on THUCNews: the weights stopped where they were).
    func testAHeldOutSplitFrozenWithItsWeightsIsNoMajorityClass() throws {
        XCTAssertFalse(try findings("keras-weights-stopped-at-0.9217.json").contains { $0.rule == "majority-class" })
        XCTAssertTrue(try findings("keras-held-out-at-prior-0.9217.json").contains { $0.rule == "majority-class" })
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

    /// jakeret/tf_unet issue 201: an excerpt whose one epoch is not enough, but whose ten logged
    /// minibatch losses are all exactly 0.
    func testALossAtZeroOnEveryLoggedStepOfAnExcerpt() throws {
        let zero = try XCTUnwrap(try findings("tf-unet-zero-loss.log").first { $0.rule == "zero" })
        XCTAssertEqual(zero.metric, "minibatch_loss@step")
        XCTAssertTrue(zero.message.contains("every logged step (steps 224–242)"), zero.message)
    }

    /// sirius-ai/MobileFaceNet_TF issue 40: `total loss is 47.09 … training accuracy is 0.000000`,
    /// read through `is` and a `total_step` counter; the accuracy is 0 at all nine logged steps.
    func testAnAccuracyAtZeroOnEveryLoggedStepPrintedWithIs() throws {
        let all = try findings("mobilefacenet-zero-accuracy.log")
        XCTAssertEqual(try XCTUnwrap(all.first { $0.rule == "zero" }).metric, "acc@step")
    }

    /// intel/ipex-llm (BigDL) issue 1486: `… Loss is Infinity. Current learning rate is 0.046`.
    func testALossPrintedWithIsTurnsInfinite() throws {
        let nonFinite = try XCTUnwrap(try findings("bigdl-loss-is-infinity.log").first { $0.rule == "non-finite" })
        XCTAssertTrue(nonFinite.message.contains("step 45459"), nonFinite.message)
    }

    /// piaic-official/AI-Q2-learning-resources issue 16: loss and both accuracies frozen at 0.9983
    /// (a 0.17 %-positive data set predicted as one class): a model that learns nothing learned no
    /// leak either, so the near-perfect accuracy is explained by the frozen loss.
    func testAFrozenRunAtAHighPriorIsNoLeak() throws {
        let all = try findings("keras-frozen-majority-0.9983.log")
        XCTAssertFalse(all.contains { $0.rule == "leak-suspect" })
        let flat = try XCTUnwrap(all.first { $0.rule == "flat" })
        XCTAssertTrue(flat.explains.contains { $0.rule == "leak-suspect" }, "\(flat.explains.map(\.rule))")
    }

    /// A breast-cancer MLP (generated, seed 33) whose validation loss drifts up 20 % from a one-epoch
    /// dip while the validation accuracy (114 samples) stays within a sample: info, not a warning.
    func testAHeldOutLossDriftWithTheAccuracyHoldingIsInfo() throws {
        let overfitting = try XCTUnwrap(try findings("keras-healthy-binary-val-loss-drift.json").first { $0.rule == "overfitting" })
        XCTAssertEqual(overfitting.severity, .info)
        XCTAssertTrue(overfitting.message.contains("within 2 of its 114 samples"), overfitting.message)
    }

    /// Exploded logits (first epoch 15 838, then about 42) with both accuracies at 0.1: chance level
    /// for 10 classes, named by the accuracy.
    func testExplodedLogitsAtChanceAreChanceLevel() throws {
        let chance = try XCTUnwrap(try findings("torch-exploded-logits-chance.log").first { $0.rule == "chance-level" })
        XCTAssertTrue(chance.message.contains("K = 10"), chance.message)
    }

    /// A nanoGPT-style run (generated, seed 302) whose iteration loss prints 0.0001 from iteration 55
    /// and 0.0000 later: judged on every logged step, not on the medians of ten-step buckets.
    func testALossAtZeroWithinAFewStepsIsJudgedOnEveryLoggedStep() throws {
        let zero = try XCTUnwrap(try findings("nanogpt-zero-within-steps.log").first { $0.rule == "zero" })
        XCTAssertTrue(zero.message.contains("reaches exactly 0 at step 55"), zero.message)
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
