import XCTest

@_spi(Layers) @testable import LossLensModel

/// What kind of metric a name is, and which loss of a run is the one the optimizer minimizes.
final class MetricNameKindTests: XCTestCase {
    func testTheTermsMmdetectionAndDetectron2PrintAreLosses() {
        for name in ["loss_cls", "loss_bbox", "loss_rpn_cls", "loss_box_reg", "loss_mask", "total_loss", "box_loss"] {
            XCTAssertEqual(MetricName(raw: name).kind, .loss, name)
        }
        for player in ["Loss_D", "Loss_G", "loss_critic"] {
            XCTAssertEqual(MetricName(raw: player).kind, .other, "\(player) is a GAN's player, judged as one")
        }
        for setting in ["loss_scale", "loss_scaler", "loss_weight"] {
            XCTAssertEqual(MetricName(raw: setting).kind, .other, "\(setting) is a setting of the training, not a loss")
        }
    }

    func testATranslationScoreUnderACommonMisspellingIsBLEU() {
        for name in ["BLUE", "val_blue", "bleu_score", "BLEU"] {
            XCTAssertEqual(MetricName(raw: name).base, "bleu", name)
        }
        XCTAssertEqual(MetricName(raw: "val_blue").split, .validation)
    }

    func testTheSumIsTheRunsLossRatherThanATermPrintedBeforeIt() {
        // mmdetection 1.x prints the sum after its terms as `loss_total`.
        let series = ["loss_box_reg", "loss_cls", "loss_total"].map { name in
            MetricSeries(name: MetricName(raw: name), granularity: .epoch, points: [MetricPoint(epoch: 1, value: 1, line: 1)])
        }
        let run = Run(source: "metrics.json", format: .detectron2Metrics, name: "run 1", series: series)
        XCTAssertEqual(run.series(.loss, .train)?.name.base, "loss_total")
        XCTAssertTrue(MetricName(raw: "loss_cls").isPrefixedLossTerm)
        XCTAssertFalse(MetricName(raw: "loss_total").isPrefixedLossTerm)
    }
}
