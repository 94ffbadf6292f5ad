import Foundation
import XCTest
@_spi(Layers) @testable import LossLensModel

final class LightningAndHuggingFaceConsoleTests: XCTestCase {
    func testRichBarFinalStateGivesEveryMetricOfTheLastEpoch() throws {
        // Not on a terminal the rich bar prints only "Epoch 14/14 ━━━ 45/45 ... v_num: 0.000" and its
        // postfix wrapped onto indented lines. Lightning counts from 0, so this is the 15th epoch.
        let run = try ConsoleFixtures.onlyRun("lightning-rich.log")
        XCTAssertEqual(run.format, .lightningConsole)
        XCTAssertEqual(run.values("loss"), [0.161])
        XCTAssertEqual(run.values("loss@step"), [0.037])
        XCTAssertEqual(run.values("val_loss"), [0.186])
        XCTAssertEqual(run.values("val_acc"), [0.964])
        XCTAssertEqual(run.values("acc"), [0.973])
        XCTAssertEqual(run.epochs("val_loss"), [15])
        XCTAssertNil(run.series.first { $0.name.base.contains("num") }, "v_num is the logger version")
    }

    func testTqdmBarRedrawsKeepTheLastStateOfEachEpoch() throws {
        let bar = "██████████"
        let log = "Epoch 0:  50%|█████     | 16/32 [00:00<00:00, 98.1it/s, v_num=0, train_loss_step=0.710]\r"
            + "Epoch 0: 100%|\(bar)| 32/32 [00:00<00:00, 98.1it/s, v_num=0, train_loss_step=0.700]\r"
            + "Validation DataLoader 0: 100%|\(bar)| 8/8 [00:00<00:00, 200.0it/s]\r"
            + "Epoch 0: 100%|\(bar)| 32/32 [00:00<00:00, 90.0it/s, v_num=0, train_loss_step=0.690, val_loss=0.680, train_loss_epoch=0.695]\n"
            + "Epoch 1:  50%|█████     | 16/32 [00:00<00:00, 98.1it/s, v_num=0, train_loss_step=0.640, val_loss=0.680, train_loss_epoch=0.695]\r"
            + "Epoch 1: 100%|\(bar)| 32/32 [00:00<00:00, 90.0it/s, v_num=0, train_loss_step=0.610, val_loss=0.600, train_loss_epoch=0.650]\n"
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.format, .lightningConsole)
        XCTAssertEqual(run.values("val_loss"), [0.68, 0.6])
        XCTAssertEqual(run.values("loss"), [0.695, 0.65])
        XCTAssertEqual(run.epochs("loss"), [1, 2])
        XCTAssertEqual(run.values("loss@step"), [0.71, 0.7, 0.69, 0.64, 0.61])
    }

    func testHuggingFaceDictsWithQuotedValues() throws {
        // {'loss': '0.6934', 'grad_norm': '0.1175', 'learning_rate': '0.0009648', 'epoch': '0.3125'}
        let run = try ConsoleFixtures.onlyRun("hf-console.log")
        XCTAssertEqual(run.format, .huggingFaceConsole)
        let loss = try XCTUnwrap(run.series.first { $0.key == "loss@step" })
        XCTAssertEqual(loss.points.prefix(6).map(\.value), [0.6934, 0.6869, 0.6517, 0.5209, 0.3719, 0.3567])
        XCTAssertEqual(loss.points.prefix(6).map(\.epochProgress), [0.3125, 0.625, 0.9375, 1.25, 1.562, 1.875])
        XCTAssertEqual(loss.points.prefix(6).map(\.epoch), [1, 1, 1, 2, 2, 2])
        XCTAssertEqual(run.values("val_loss@step"), [0.5794, 0.3781])
        XCTAssertEqual(run.values("val_acc@step")?.first, 0.845)
        XCTAssertNil(run.series.first { $0.name.base.contains("runtime") || $0.name.base.contains("per_second") })
    }

    func testHuggingFaceClosingSummaryIsNotAStep() throws {
        let log = """
            {'loss': 0.6934, 'learning_rate': 0.0009, 'epoch': 0.5}
            {'loss': 0.6001, 'learning_rate': 0.0008, 'epoch': 1.0}
            {'train_runtime': 12.5, 'train_samples_per_second': 100.0, 'train_loss': 0.1234, 'epoch': 1.0}
            """
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.values("loss@step"), [0.6934, 0.6001])
    }

    func testBlankLineBeforeAnIndentedLineDoesNotBreakJoining() throws {
        // A wrapped-postfix dialect meets a blank line followed by an indented one (notebook output).
        let log = "Epoch 0/0 ━━━━━━━━ 4/4 0:00:00 • 0:00:00 50.00it/s v_num: 0.000 val_loss: 0.5\n\n          indented text\n"
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.values("val_loss"), [0.5])
    }
}
