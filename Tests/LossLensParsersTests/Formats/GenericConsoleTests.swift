import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// The example lines of the formats issue, each read by the generic reader (no pattern dialect
/// reads them), in logs of a few lines.
final class GenericConsoleTests: XCTestCase {
    func testNanoGPTIterationsAreStepsAndStepLinesAreEvaluations() throws {
        // nanoGPT's train.py prints an evaluation every eval_interval and an iteration line every log_interval.
        let run = try FormatTesting.onlyRun("""
            number of parameters: 10.65M
            step 0: train loss 10.8743, val loss 10.8812
            iter 0: loss 10.8712, time 1440.31ms, mfu -100.00%
            iter 10: loss 9.2131, time 120.50ms, mfu 2.34%
            step 20: train loss 8.3296, val loss 8.3687
            iter 20: loss 8.1031, time 121.50ms, mfu 2.34%
            iter 30: loss 7.5012, time 121.50ms, mfu 2.34%
            step 400: train loss 3.3296, val loss 3.3687
            iter 425: loss nan, time 1440.31ms, mfu 0.01%
            """)
        XCTAssertEqual(run.format, .genericConsole)
        XCTAssertTrue(run.hasGenericNote)
        // Steps: the iterations and, at its step, the training loss of each evaluation.
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [0, 0, 10, 20, 20, 30, 400, 425])
        // Each evaluation closes an epoch: its held-out values are that epoch's, the training values since the one
        // before are averaged into it, and the iterations after the last one make a last epoch.
        XCTAssertValues(run.values("val_loss"), [10.8812, 8.3687, 3.3687])
        XCTAssertValues(run.values("loss"), [10.8743, (10.8712 + 9.2131 + 8.3296) / 3, (8.1031 + 7.5012 + 3.3296) / 3, .nan])
        XCTAssertNil(run.values("time@step"), "time is noise")
        XCTAssertNil(run.values("mfu@step"), "mfu is noise")
        XCTAssertTrue(run.notes.contains { $0.contains("each evaluation") })
        let findings = try Analyzer().findings(for: run)
        XCTAssertTrue(findings.contains { $0.rule == "non-finite" })
    }

    func testLlmCMainLogStepsAndValidationLoss() throws {
        // llm.c's main log file: `s:N trl:X` every step, `s:N tel:Y` at each validation.
        let run = try FormatTesting.onlyRun("""
            s:0 tel:10.968871
            s:0 trl:10.965596
            s:1 trl:10.814037
            s:2 trl:10.543272
            s:3 trl:10.260427
            s:4 tel:9.912345
            s:4 trl:10.041298
            """)
        XCTAssertEqual(run.format, .genericConsole)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [0, 1, 2, 3, 4])
        XCTAssertValues(run.values("val_loss"), [10.968871, 9.912345])
    }

    func testSSDIterationLineWithAWarningSharingIt() throws {
        // ssd.pytorch prints `iter N || Loss: X ||` with end=' ': whatever comes next lands on the line.
        let run = try FormatTesting.onlyRun("""
            timer: 10.5477 sec.
            iter 0 || Loss: 19.4798 || /home/user/ssd.pytorch/layers/modules/multibox_loss.py:95: UserWarning: size_average and reduce args will be deprecated, please use reduction='sum' instead. 0.5
            iter 10 || Loss: 14.4798 || timer: 0.2344 sec.
            iter 20 || Loss: 12.0151 || timer: 0.2344 sec.
            """)
        XCTAssertValues(run.values("loss@step"), [19.4798, 14.4798, 12.0151])
        XCTAssertEqual(run.series.map(\.name.base).filter { $0 != "loss" }, [], "nothing of the warning or the timer is read")
    }

    func testBracketedSummaries() throws {
        let run = try FormatTesting.onlyRun("""
            [ (0 ) Loss:  0.382, train_Acc: 0.94802, valid_Loss: 0.361, valid_Acc: 0.97700]
            [ (1 ) Loss:  0.282, train_Acc: 0.95802, valid_Loss: 0.331, valid_Acc: 0.97800]
            """)
        XCTAssertValues(run.values("loss"), [0.382, 0.282])
        XCTAssertValues(run.values("acc"), [0.94802, 0.95802])
        XCTAssertValues(run.values("val_loss"), [0.361, 0.331])
        XCTAssertValues(run.values("val_acc"), [0.977, 0.978])
        XCTAssertEqual(run.epochCount, 2)
    }

    func testStepLinesWithMultiWordNames() throws {
        let run = try FormatTesting.onlyRun("""
            Step 10 -- Train loss: 0.5, Train Acc: 0.8 Test Acc: 0.7
            Step 20 -- Train loss: 0.4, Train Acc: 0.85 Test Acc: 0.72
            """)
        XCTAssertValues(run.values("loss"), [0.5, 0.4])
        XCTAssertValues(run.values("acc"), [0.8, 0.85])
        XCTAssertValues(run.values("test_acc"), [0.7, 0.72])
    }

    func testNamesJoinedToTheirValuesByIs() throws {
        // MobileFaceNet_TF's print; `Throughput is …` and `learning rate is …` stay noise.
        let run = try FormatTesting.onlyRun("""
            epoch 0, total_step 24050, total loss is 47.09 , reg_loss is 0.08, training accuracy is 0.000000, time 229.386 samples/sec
            epoch 0, total_step 24100, total loss is 48.51 , reg_loss is 0.08, training accuracy is 0.000000, time 244.295 samples/sec
            epoch 0, total_step 24150, total loss is 45.82 , reg_loss is 0.08, training accuracy is 0.000000, Throughput is 408.4 records/second. Current learning rate is 0.046
            """)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [24050, 24100, 24150])
        XCTAssertValues(run.values("acc@step"), [0, 0, 0])
        XCTAssertValues(run.values("reg_loss@step"), [0.08, 0.08, 0.08])
        XCTAssertNil(run.values("throughput@step"))
        XCTAssertNil(run.values("lr@step"))
        // `is` is prose when no number follows it.
        XCTAssertTrue((try? FormatTesting.runs("The loss is low and the accuracy is good after epoch 3\n", source: "train.log"))?.isEmpty ?? true)
    }

    func testChineseLabels() throws {
        let run = try FormatTesting.onlyRun("""
            开始训练
            Epoch 1/20 | 训练损失: 6.1234 | 验证损失: 6.5803
            Epoch 2/20 | 训练损失: 5.3847 | 验证损失: 6.0803
            Epoch 3/20 | 训练损失: 4.3847 | 验证损失: 5.9803
            """)
        XCTAssertEqual(run.format, .genericConsole)
        XCTAssertValues(run.values("loss"), [6.1234, 5.3847, 4.3847])
        XCTAssertValues(run.values("val_loss"), [6.5803, 6.0803, 5.9803])
        XCTAssertEqual(run.plannedEpochs, 20)
    }

    func testLabelsOfOtherLanguagesAndFullWidthPunctuation() throws {
        XCTAssertEqual(GenericVocabulary.englishName("验证准确率"), "val_acc")
        XCTAssertEqual(GenericVocabulary.englishName("Validierungsverlust"), "val_loss")
        XCTAssertEqual(GenericVocabulary.englishName("pérdida de validación"), "val_loss")
        // A filler alone translates nothing: DCGAN's `Loss_D` is the discriminator's loss, not French.
        XCTAssertEqual(GenericVocabulary.englishName("Loss_D"), "Loss_D")
        XCTAssertEqual(GenericVocabulary.englishName("perte d entraînement"), "train_loss")
        XCTAssertEqual(GenericVocabulary.englishName("검증 정확도"), "val_acc")
        XCTAssertEqual(GenericVocabulary.englishName("train loss"), "train loss", "English names are left to MetricName")
        XCTAssertEqual(GenericVocabulary.englishName("detest"), "detest", "a filler inside a word is no filler")
        let run = try FormatTesting.onlyRun("""
            第1轮 训练损失：0.90，准确率：55.0%
            第2轮 训练损失：0.70，准确率：61.5%
            """)
        XCTAssertValues(run.values("loss"), [0.9, 0.7])
        XCTAssertValues(run.values("acc"), [0.55, 0.615])
        let russian = try FormatTesting.onlyRun("""
            Эпоха 1: потери = 0.90, точность = 0.50
            Эпоха 2: потери = 0.70, точность = 0.60
            """)
        XCTAssertValues(russian.values("acc"), [0.5, 0.6])
    }

    func testCounterForms() throws {
        let reading = { (line: String) -> GenericReading? in
            var reader = GenericLineReader()
            return reader.read(Array(line.utf8)[...])
        }
        XCTAssertEqual(reading("Epoch: [3/20] loss=0.5")?.epoch, 3)
        XCTAssertEqual(reading("Epoch: [3/20] loss=0.5")?.plannedEpochs, 20)
        XCTAssertEqual(reading("epoch 2 of 10, loss 0.5")?.plannedEpochs, 10)
        XCTAssertEqual(reading("global step 2000: loss = 0.3")?.step, 2000)
        XCTAssertEqual(reading("round 7 | logloss 0.3")?.step, 7)
        XCTAssertEqual(reading("Epoch 2 batch 30/100 loss 0.4")?.step, 30)
        XCTAssertEqual(reading("Epoch 2 batch 30/100 loss 0.4")?.stepIsGlobal, false)
        XCTAssertEqual(reading("[12]\tloss:0.31\tval_loss:0.35")?.bracketCounter, 12)
        XCTAssertEqual(reading("| epoch 3 | loss 0.41 | acc 0.9 |")?.values.map(\.name.canonical), ["loss", "acc"])
        XCTAssertEqual(reading("'epoch': 3, 'loss': 0.5")?.values.first?.value, 0.5)
        XCTAssertEqual(reading("step 5\tloss:0.31\tacc:0.9")?.values.count, 2)
        XCTAssertEqual(reading("iter 3: loss inf, acc 50%")?.values.map(\.value), [.infinity, 0.5])
        XCTAssertEqual(reading("------------------------------>Training 11th epoch<------------------------------")?.epoch, 11)
        XCTAssertEqual(reading("the 3rd iteration: loss 0.5")?.step, 3)
        XCTAssertNil(reading("the 3rd model: loss 0.5")?.epoch, "an ordinal before another word counts nothing")
    }

    /// Noise is rejected: time, throughput, memory, MFU, counts and settings, units, numbers in paths.
    func testNoiseIsRejected() throws {
        var reader = GenericLineReader()
        func names(_ line: String) -> [String] {
            reader.read(Array(line.utf8)[...])?.values.map(\.name.canonical) ?? []
        }
        XCTAssertEqual(names("iter 425: loss nan, time 1440.31ms, mfu 0.01%"), ["loss"])
        XCTAssertEqual(names("step 10: loss 0.5, tokens/s 12000, max mem: 3821MB, lr 0.0003, grad_scale 65536"), ["loss", "lr"])
        XCTAssertEqual(names("epoch 3 n: 6, num_cycles: 0"), [], "debug counters")
        XCTAssertEqual(names("Epoch 5: adjusting learning rate to 1.0000e-03."), [], "a schedule print")
        XCTAssertEqual(names("epoch 3 lr: 0.001, momentum: 0.9"), [], "settings only")
        XCTAssertEqual(names("step 3 saving checkpoint to out/ckpt_step_1000_loss_0.5.pt"), [], "a path")
        XCTAssertEqual(names("step 3 loss 0x10 acc 1_000"), [], "not numbers")
        XCTAssertEqual(names("epoch 3: params 10.65M loss 0.5"), ["loss"])
        XCTAssertNil(reader.read(Array("In epoch 3 of the run the model reached a loss of 0.5 which we found to be quite good".utf8)[...]))
        XCTAssertNil(reader.read(Array("Namespace(epochs=10, epoch=0, lr=0.01, loss='ce', batch_size=32)".utf8)[...]))
    }

    func testProseConfigAndDebugPrintsAreNotRuns() {
        let logs = [
            // A README-like text with numbers.
            """
            We trained for 10 epochs. In epoch 3 the loss was 0.5 and the accuracy reached 0.9.
            After step 400 the validation loss stopped improving and we lowered the rate.
            The best model (epoch 7) was saved to /data/runs/exp_3/epoch_7_loss_0.31.pt for later.
            """,
            // A config dump.
            """
            epochs: 100
            lr: 0.001
            batch_size: 64
            loss: cross_entropy
            Namespace(epochs=10, lr=0.01, batch_size=32)
            """,
            // Debug prints.
            """
            step 1 n: 6, num_cycles: 0
            step 2 n: 7, num_cycles: 1
            step 3 shape: 128, dim: 64
            """,
        ]
        for log in logs {
            XCTAssertThrowsError(try FormatTesting.runs(log), log)
        }
    }

    func testADialectLogIsNotReadByTheGenericReader() throws {
        let run = try FormatTesting.onlyRun("""
            Epoch 1/3, Loss: 0.9, Acc: 0.50
            Epoch 2/3, Loss: 0.7, Acc: 0.60
            Epoch 3/3, Loss: 0.5, Acc: 0.70
            """)
        XCTAssertEqual(run.format, .pytorchConsole)
        XCTAssertFalse(run.hasGenericNote)
    }

    /// A pattern dialect reads the last line (one epoch of a test accuracy); the generic reader reads the log.
    func testAStrayDialectLineDoesNotHideTheLog() throws {
        let run = try FormatTesting.onlyRun("""
            第1轮 训练损失：0.90，准确率：55.0%
            第2轮 训练损失：0.70，准确率：61.5%
            第3轮 训练损失：0.60，准确率：65.5%
            Test accuracy: 0.66
            """)
        XCTAssertEqual(run.format, .genericConsole)
        XCTAssertValues(run.values("loss"), [0.9, 0.7, 0.6])
        XCTAssertValues(run.values("test_acc"), [0.66])
        // When the generic reader finds no more than the dialect, the dialect's reading stands.
        let single = try FormatTesting.onlyRun("some text\nTest accuracy: 0.66\n")
        XCTAssertEqual(single.format, .pytorchConsole)
    }

    func testEpochHeaderGivesItsEpochToTheLinesAfterIt() throws {
        let run = try FormatTesting.onlyRun("""
            轮次 1
            step 1 训练损失: 0.9
            step 2 训练损失: 0.8
            轮次 2
            step 1 训练损失: 0.7
            step 2 训练损失: 0.6
            """)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.epoch), [1, 1, 2, 2])
        XCTAssertValues(run.values("loss"), [0.85, 0.65])
    }

    func testACrashAtTheEndIsTheRunsCrash() throws {
        let run = try FormatTesting.onlyRun("""
            iter 0: loss 10.87, time 1440.31ms
            iter 10: loss 9.21, time 120.50ms
            Traceback (most recent call last):
              File "train.py", line 12, in <module>
            torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB
            """)
        XCTAssertEqual(run.crash?.exceptionType, "torch.OutOfMemoryError")
    }

    func testStepsWithoutEvaluationsAreGroupedIntoPeriods() throws {
        let lines = (0..<40).map { "iter \($0 * 10) || Loss: \(String(format: "%.4f", 20.0 / Double($0 + 1))) ||" }
        let run = try FormatTesting.onlyRun(lines.joined(separator: "\n"))
        XCTAssertEqual(run.epochCount, 8)
        XCTAssertEqual(run.values("loss")?.count, 8)
        XCTAssertTrue(run.notes.contains { $0.contains("grouped into 8 equal periods") }, "\(run.notes)")
    }
}
