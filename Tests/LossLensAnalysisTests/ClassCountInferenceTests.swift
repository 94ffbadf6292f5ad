import XCTest
@_spi(Layers) @testable import LossLensAnalysis

final class ClassCountInferenceTests: XCTestCase {
    func testBinaryFromLossAndAccuracy() throws {
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: 0.6994, accuracy: 0.48))
        XCTAssertEqual(estimate.classes, 2)
        XCTAssertEqual(estimate.source, .both)
        XCTAssertTrue(estimate.explanation.contains("ln 2"), estimate.explanation)
    }

    func testTenClassesFromLossAndAccuracy() throws {
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: 2.3054, accuracy: 0.0861))
        XCTAssertEqual(estimate.classes, 10)
    }

    func testFromLossAlone() throws {
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: 2.3026, accuracy: nil))
        XCTAssertEqual(estimate.classes, 10)
        XCTAssertEqual(estimate.source, .loss)
    }

    func testFromAccuracyAlone() throws {
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: nil, accuracy: 0.251))
        XCTAssertEqual(estimate.classes, 4)
        XCTAssertEqual(estimate.source, .accuracy)
    }

    func testSkillIsNotChance() {
        XCTAssertNil(ClassCountInference.estimate(loss: 0.35, accuracy: 0.87), "a binary model with skill")
        XCTAssertNil(ClassCountInference.estimate(loss: 2.30, accuracy: 0.6), "accuracy far above 1/10")
        XCTAssertNil(ClassCountInference.estimate(loss: 0, accuracy: 0.34), "a loss of 0 contradicts chance level")
        XCTAssertNil(ClassCountInference.estimate(loss: 1e20, accuracy: nil), "no class count has such a loss")
    }

    func testAnExplodedLossBesideAnAccuracyAtOneOverKIsConfidentlyWrong() throws {
        // Exploded logits: the loss names no K, the accuracy at 0.1 is chance for 10 classes.
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: 42.3, accuracy: 0.0998))
        XCTAssertEqual(estimate.classes, 10)
        XCTAssertEqual(estimate.source, .accuracy)
        XCTAssertTrue(estimate.explanation.contains("confidently wrong"), estimate.explanation)
        XCTAssertNil(ClassCountInference.estimate(loss: 42.3, accuracy: 0.87), "skill, whatever the loss")
    }
}

final class ClassCountInferenceLossFirstTests: XCTestCase {
    /// A stuck model predicting one class scores that class's share (here 0.144), not 1/K; the loss
    /// (2.300 ≈ ln 10) is what tells the class count.
    func testLossOutweighsAClassShareAccuracy() throws {
        XCTAssertEqual(try XCTUnwrap(ClassCountInference.estimate(loss: 2.300, accuracy: 0.1444)).classes, 10)
    }

    /// A held-out set evaluated whole gives accuracies that are multiples of 1/n.
    func testEvaluatedSamplesFromTheAccuracyValues() {
        XCTAssertEqual(ClassCountInference.evaluatedSamples([26.0 / 47, 27.0 / 47, 29.0 / 47, 29.0 / 47]), 47)
        XCTAssertEqual(ClassCountInference.evaluatedSamples([0.5532, 0.5745, 0.6170]), 47, "values printed to 4 decimals")
        XCTAssertNil(ClassCountInference.evaluatedSamples([0.5532, 0.5532]), "one distinct value says nothing")
        let running = ClassCountInference.evaluatedSamples([0.61234, 0.64871, 0.66502])
        XCTAssertTrue(running == nil || running! > 100, "a running mean fits only a large n by accident: \(String(describing: running))")
    }

    /// 29 of 47 right is within two standard errors of a coin flip; 29 of 4700 would not be.
    func testFewSamplesWidenTheChanceBand() throws {
        XCTAssertFalse(ClassCountInference.accuracyFits(0.617, classes: 2))
        XCTAssertTrue(ClassCountInference.accuracyFits(0.617, classes: 2, samples: 47))
        XCTAssertFalse(ClassCountInference.accuracyFits(0.617, classes: 2, samples: 4700))
        let estimate = try XCTUnwrap(ClassCountInference.estimate(loss: 0.665, accuracy: 0.617, samples: 47))
        XCTAssertEqual(estimate.classes, 2)
        XCTAssertTrue(estimate.explanation.contains("47 held-out samples"), estimate.explanation)
    }
}
