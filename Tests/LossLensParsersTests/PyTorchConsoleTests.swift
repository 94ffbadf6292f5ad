import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel

/// One test per PyTorch print style found in real logs; every test checks values and epochs.
final class PyTorchConsoleTests: XCTestCase {
    func testBracketStyleWithPercentAccuracies() throws {
        // Epoch [1/25], Loss: 2.1596, Acc: 48.50%, Val Loss: 1.9906, Val Acc: 74.44%
        let run = try ConsoleFixtures.onlyRun("torch-bracket.log")
        XCTAssertEqual(run.format, .pytorchConsole)
        XCTAssertEqual(run.plannedEpochs, 25)
        XCTAssertValues(run.values("loss"), [2.1596, 1.7579, 1.26, 0.8593])
        XCTAssertValues(run.values("acc"), [0.485, 0.7794, 0.849, 0.8789])
        XCTAssertValues(run.values("val_loss"), [1.9906, 1.5193, 1.045, 0.7332])
        XCTAssertValues(run.values("val_acc"), [0.7444, 0.8056, 0.8667, 0.8944])
        XCTAssertEqual(run.epochs("loss"), [1, 2, 3, 4])
    }

    func testPipeSeparatedNameValuePairs() throws {
        // epoch   1 | train_loss 0.70976 | train_acc 0.3846 | val_loss 0.65769 | val_acc 0.4035
        let run = try ConsoleFixtures.onlyRun("torch-pipes.log")
        XCTAssertValues(run.values("loss"), [0.70976, 0.61731, 0.54605, 0.48663])
        XCTAssertValues(run.values("acc"), [0.3846, 0.4945, 0.7143, 0.8418])
        XCTAssertValues(run.values("val_loss"), [0.65769, 0.57515, 0.50837, 0.44937])
        XCTAssertValues(run.values("val_acc"), [0.4035, 0.6754, 0.8596, 0.886])
        XCTAssertEqual(run.epochs("val_acc"), [1, 2, 3, 4])
    }

    func testEpochCommaLoss() throws {
        let run = try ConsoleFixtures.onlyRun("torch-comma.log")
        XCTAssertValues(run.values("loss"), [0.6731306648254395, 0.5994498538970947, 0.5302533608675003])
        XCTAssertEqual(run.epochs("loss"), [1, 2, 3])
    }

    func testMNISTExampleTrainAndTestLines() throws {
        let run = try ConsoleFixtures.onlyRun("torch-mnist.log")
        XCTAssertValues(run.values("loss@step"), [2.361494, 2.315520, 2.296210, 2.336433, 2.300285,
                                                  2.358490, 2.319971, 2.286151, 2.309593, 2.315874])
        XCTAssertEqual(run.series.first { $0.key == "loss@step" }?.points.map(\.step), [0, 320, 640, 960, 1280, 0, 320, 640, 960, 1280])
        XCTAssertValues(run.values("test_loss"), [2.3215, 2.3146])
        XCTAssertValues(run.values("test_acc"), [0.09, 0.09])
        XCTAssertEqual(run.epochs("test_loss"), [1, 2])
        // The per-epoch mean of the step losses stands in for the missing epoch loss.
        XCTAssertValues(run.values("loss"), [2.3219884, 2.3180158], accuracy: 1e-6)
    }

    func testPythonLoggingPrefixIsIgnored() throws {
        // 2026-11-22 22:44:41,292 - train - INFO - Epoch 1/80 - loss=2.1404 - val_loss=1.6597 - val_acc=0.7400
        let run = try ConsoleFixtures.onlyRun("torch-logging.log")
        XCTAssertEqual(run.plannedEpochs, 80)
        XCTAssertValues(run.values("loss"), [2.1404, 1.3126, 0.6766, 0.4256, 0.2569])
        XCTAssertValues(run.values("val_loss"), [1.6597, 0.8592, 0.5045, 0.3691, 0.3523])
        XCTAssertValues(run.values("val_acc"), [0.74, 0.8133, 0.8533, 0.88, 0.9067])
    }

    func testTqdmPostfixGivesStepsAndTheValidationLineGivesEpochs() throws {
        // Epoch 1/40:   4%|  | 1/25 [00:00<00:00, 250.00it/s, loss=2.309]\r... then "Epoch 1: val_loss=1.8411 val_acc=0.8050"
        let run = try ConsoleFixtures.onlyRun("torch-tqdm.log")
        let steps = try XCTUnwrap(run.series.first { $0.key == "loss@step" })
        XCTAssertEqual(steps.points.count, 50)
        XCTAssertEqual(steps.points.first?.value, 2.309)
        XCTAssertEqual(steps.points.first?.epoch, 1)
        XCTAssertEqual(steps.points.last?.value, 1.474)
        XCTAssertEqual(steps.points.last?.epoch, 2)
        XCTAssertValues(run.values("val_loss"), [1.8411, 1.2943])
        XCTAssertValues(run.values("val_acc"), [0.805, 0.885])
        XCTAssertEqual(run.values("loss")?.count, 2, "per-epoch means of the step losses")
    }

    func testEpochHeaderFollowedByOneMetricPerLine() throws {
        // epoch   1 / loss: 6.608444 / test accuracy: 20.78%, (512570/2466133)
        let run = try ConsoleFixtures.onlyRun("torch-multiline.log")
        XCTAssertValues(run.values("loss"), [6.608444, 5.523848, 4.933521])
        XCTAssertValues(run.values("test_acc"), [0.2078, 0.2424, 0.2741])
        XCTAssertEqual(run.epochs("test_acc"), [1, 2, 3])
    }

    func testNumpyBatchValuesZeroBasedEpochsAndSpokenSplits() throws {
        // train --- Current batch:200/1600  loss:[ 0.59166753]
        // Epoch [0]/[199] \t Validation Phase Loss: 0.0597398489937 \t Accuracy: 0.6860
        let run = try ConsoleFixtures.onlyRun("torch-numpy-values.log")
        XCTAssertValues(run.values("loss"), [0.069880042769, 0.0655481832754])
        XCTAssertValues(run.values("acc"), [0.5862, 0.6327])
        XCTAssertValues(run.values("val_loss"), [0.0597398489937])
        // "Accuracy" after "Validation Phase Loss" on the same line is the validation accuracy.
        XCTAssertValues(run.values("val_acc"), [0.686])
        XCTAssertEqual(run.epochs("loss"), [1, 2], "Epoch [0] is the first epoch")
        let batches = try XCTUnwrap(run.values("loss@step"))
        XCTAssertEqual(batches.first, 0.59166753)
        XCTAssertEqual(run.values("val_loss@step"), [0.52473968, 0.29102319, 0.61575639, 0.36807448])
    }

    func testGBKBytesInALoggingLogDoNotStopParsing() throws {
        // The second line holds GBK-encoded Chinese, which is not valid UTF-8.
        let data = try ConsoleFixtures.data("torch-gbk.log")
        XCTAssertNil(String(data: data, encoding: .utf8))
        let run = try XCTUnwrap(ConsoleFixtures.runs(data: data, source: "torch-gbk.log", library: nil).first)
        XCTAssertValues(run.values("loss"), [1.6279, 1.2434, 1.1221])
        XCTAssertValues(run.values("test_acc"), [0.5986, 0.6933, 0.7248])
        XCTAssertEqual(run.plannedEpochs, 35)
    }

    func testBracketedEpochStepLinesAndEpochAverages() throws {
        // [E1] step 10 loss 21.5788 ... Epoch 1 avg-loss 1.0192
        let run = try ConsoleFixtures.onlyRun("torch-bracket-steps.log")
        XCTAssertValues(run.values("loss"), [1.0192, 0.7737])
        let steps = try XCTUnwrap(run.series.first { $0.key == "loss@step" })
        XCTAssertEqual(steps.points.prefix(3).map(\.value), [9.2437, 21.5788, 2.9427])
        XCTAssertEqual(steps.points.prefix(3).map(\.step), [0, 10, 20])
        XCTAssertEqual(steps.points.last?.epoch, 2)
    }

    func testEvaluationBlocksWithoutEpochsBecomeOneEpochEach() throws {
        // evaluate:dev / accuracy:   7.92%; precision:   0.00%; recall:   0.00%; FB1:   0.00 / evaluate:test / ...
        let run = try ConsoleFixtures.onlyRun("torch-conll-eval.log")
        XCTAssertValues(run.values("val_acc"), [0.0792, 0.1911])
        XCTAssertValues(run.values("test_acc"), [0.0789, 0.1957])
        XCTAssertValues(run.values("test_recall"), [0, 0.0002])
        XCTAssertEqual(run.epochs("val_acc"), [1, 2])
        // Per-entity lines ("FOREST: precision: ...") and the config dump ("lr : 0.001") are not metrics.
        XCTAssertNil(run.values("lr"))
        XCTAssertEqual(run.values("val_precision")?.count, 2)
    }

    func testStepAfterAPipeOrIterationWordIsAStep() throws {
        let log = """
            INFO:__main__:Epoch 0 | Step    0/6501 | Loss: 8.9351 | PPL: 7594.22 | LR: 3.27e-05 | Time: 1.073s
            INFO:__main__:Epoch 0 | Step   10/6501 | Loss: 8.2445 | PPL: 4455.51 | LR: 5.97e-05 | Time: 0.507s
            INFO:__main__:✅ Epoch 0 completed in 4729.23s | Avg Loss: 0.6070
            2025-01-06 15:04:15,292 INFO: Epoch: 1/50, Iteration step: 1300, loss: 5.216239929199219
            """
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        let loss = try XCTUnwrap(run.series.first { $0.key == "loss@step" })
        XCTAssertEqual(loss.points.map(\.value), [8.9351, 8.2445, 5.216239929199219])
        XCTAssertEqual(loss.points.map(\.step), [0, 10, 1300])
        XCTAssertEqual(loss.points.map(\.epoch), [1, 1, 2])
        XCTAssertEqual(run.values("lr@step"), [3.27e-05, 5.97e-05])
        // The epoch line gives epoch 1 its loss; epoch 2 has steps only and keeps them as steps.
        XCTAssertEqual(run.values("loss"), [0.607])
        XCTAssertNil(run.series.first { $0.name.base == "time" })
    }

    func testTopKAccuraciesStayApart() throws {
        let log = """
            2025-01-06 15:13:20,051 INFO: ==============Epoch: 0/50,top 1 acc: 0.0354==============
            2025-01-06 15:13:20,051 INFO: ==============Epoch: 0/50,top 5 acc: 0.1235==============
            2025-01-06 15:27:38,948 INFO: ==============Epoch: 1/50,top 1 acc: 0.0517==============
            2025-01-06 15:27:38,948 INFO: ==============Epoch: 1/50,top 5 acc: 0.1713==============
            """
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.values("acc"), [0.0354, 0.0517])
        XCTAssertEqual(run.values("top_5_acc"), [0.1235, 0.1713])
    }

    func testGANLossesKeepTheirNetworkNames() throws {
        let log = "2025-06-13 00:42:46,228 - Epoch 1 Average Loss_G: 0.1467, Loss_D: 0.3049\n"
            + "2025-06-13 00:54:50,308 - Epoch 2 Average Loss_G: 0.0999, Loss_D: 0.2320\n"
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log).first)
        XCTAssertEqual(run.values("loss_g"), [0.1467, 0.0999])
        XCTAssertEqual(run.values("loss_d"), [0.3049, 0.232])
    }

    func testPercentagesBecomeTheFractionsTheyPrint() {
        XCTAssertEqual(NumberParsing.value("84.90%"), 0.849)
        XCTAssertEqual(NumberParsing.value("31.12%"), 0.3112)
    }
}
