import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Logs that count steps or rounds: XGBoost, LightGBM and TF1 Estimator, and fastai's text table.
final class StepLogTests: XCTestCase {
    func testXGBoostRoundsAreEpochsOfTheHeldOutCurve() throws {
        let train = [0.62, 0.55, 0.47, 0.40, 0.34, 0.28, 0.23, 0.19, 0.15, 0.12]
        let held = [0.63, 0.58, 0.55, 0.54, 0.56, 0.60, 0.65, 0.70, 0.76, 0.83]
        let lines = zip(train, held).enumerated().map { "[\($0.offset)]\ttrain-logloss:\($0.element.0)\teval-logloss:\($0.element.1)" }
        let run = try FormatTesting.onlyRun(lines.joined(separator: "\n"))
        XCTAssertEqual(run.format, .xgboostConsole)
        XCTAssertValues(run.values("logloss"), train)
        XCTAssertValues(run.values("val_logloss"), held)
        XCTAssertEqual(run.series(named: "val_logloss")?.kind, .loss)
        XCTAssertTrue(try Analyzer().findings(for: run).contains { $0.rule == "overfitting" })
    }

    func testXGBoostScikitLearnAndCrossValidation() throws {
        let sklearn = try FormatTesting.onlyRun("""
            [0]\tvalidation_0-rmse:1.23\tvalidation_1-rmse:1.30
            [1]\tvalidation_0-rmse:1.10\tvalidation_1-rmse:1.21
            """)
        // The last evaluation set is the one XGBoost stops early on: it is the validation curve.
        XCTAssertValues(sklearn.values("val_rmse"), [1.3, 1.21])
        XCTAssertValues(sklearn.values("val_rmse_validation_0"), [1.23, 1.1])
        let cv = try FormatTesting.onlyRun("""
            [10:02:33] WARNING: src/learner.cc:1095: Starting in XGBoost 1.3.0, the default metric changed.
            [0]\ttrain-auc:0.951+0.010\ttest-auc:0.930+0.020
            [1]\ttrain-auc:0.961+0.008\ttest-auc:0.935+0.018
            """)
        XCTAssertValues(cv.values("auc"), [0.951, 0.961])
        XCTAssertValues(cv.values("test_auc"), [0.93, 0.935])
    }

    func testLightGBMWithEarlyStopping() throws {
        let run = try FormatTesting.onlyRun("""
            [LightGBM] [Info] Number of positive: 3000, number of negative: 7000
            Training until validation scores don't improve for 10 rounds
            [1]\ttraining's binary_logloss: 0.62\tvalid_1's binary_logloss: 0.63
            [2]\ttraining's binary_logloss: 0.55\tvalid_1's binary_logloss: 0.58
            [3]\ttraining's binary_logloss: 0.45\tvalid_1's binary_logloss: 0.60
            Early stopping, best iteration is:
            [2]\ttraining's binary_logloss: 0.55\tvalid_1's binary_logloss: 0.58
            """)
        XCTAssertEqual(run.format, .lightgbmConsole)
        XCTAssertValues(run.values("binary_logloss"), [0.62, 0.55, 0.45])
        XCTAssertValues(run.values("val_binary_logloss"), [0.63, 0.58, 0.6])
        XCTAssertEqual(run.events.map(\.kind), [.earlyStopping, .other], "the restated best round is an event, not a round")
    }

    /// LightGBM's lines as notebooks and web pages copy them: blanks for tabs, several metrics per set.
    func testLightGBMWithBlanksAndSeveralMetrics() throws {
        let run = try FormatTesting.onlyRun("""
            Training until validation scores don't improve for 50 rounds
            [50]    training's auc: 0.845952        training's binary_logloss: 0.458743     valid_1's auc: 0.793221 valid_1's binary_logloss: 0.554536
            [100]   training's auc: 0.861307        training's binary_logloss: 0.437302     valid_1's auc: 0.810556 valid_1's binary_logloss: 0.536039
            Did not meet early stopping. Best iteration is:
            [100]   training's auc: 0.861307        training's binary_logloss: 0.437302     valid_1's auc: 0.810556 valid_1's binary_logloss: 0.536039
            """)
        XCTAssertValues(run.values("val_auc"), [0.793221, 0.810556])
        XCTAssertValues(run.values("binary_logloss"), [0.458743, 0.437302])
        XCTAssertEqual(run.epochCount, 2)
    }

    func testTF1Estimator() throws {
        let run = try FormatTesting.onlyRun("""
            INFO:tensorflow:Calling model_fn.
            INFO:tensorflow:loss = 2.3025851, step = 1
            INFO:tensorflow:global_step/sec: 112.3
            INFO:tensorflow:loss = 1.52, step = 101 (0.890 sec)
            INFO:tensorflow:Saving dict for global step 200: accuracy = 0.71, global_step = 200, loss = 0.92
            I0612 10:20:30.123456 140000 basic_session_run_hooks.py:262] loss = 0.82, step = 201 (0.890 sec)
            INFO:tensorflow:loss = 0.52, step = 1200
            INFO:tensorflow:Saving dict for global step 2000: accuracy = 0.91, global_step = 2000, loss = 0.28
            INFO:tensorflow:Loss for final step: 0.25.
            INFO:tensorflow:global_step = 2100, loss = 0.27
            INFO:tensorflow:Saving dict for global step 2200: AUC-PR = 0.31366622, AUC-ROC = 0.676465, global_step = 2200, loss = 0.5836665.
            """)
        XCTAssertEqual(run.format, .tfEstimatorConsole)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [1, 101, 201, 1200, 2100])
        XCTAssertValues(run.values("val_acc"), [0.71, 0.91])
        XCTAssertValues(run.values("val_loss"), [0.92, 0.28, 0.5836665])
        XCTAssertValues(run.values("val_auc_pr"), [0.31366622])
        XCTAssertNil(run.values("global_step"))
    }

    /// The official models' `LoggingTensorHook` prints its tensors on a line of their own, just
    /// before the `loss = …, step = …` line of the same step (mlcommons/training issue 124).
    func testTF1TensorHookValuesJoinTheirStep() throws {
        let run = try FormatTesting.onlyRun("""
            I0814 16:59:02.674449 140168988681984 tf_logging.py:115] cross_entropy = 2.3073444, learning_rate = 0.0125, train_accuracy = 0
            I0814 16:59:02.675142 140168988681984 tf_logging.py:115] loss = 2.6813745, step = 0
            I0814 16:59:06.609421 140168988681984 tf_logging.py:115] cross_entropy = 2.091714, learning_rate = 0.0125, train_accuracy = 0 (3.936 sec)
            I0814 16:59:06.609704 140168988681984 tf_logging.py:115] loss = 2.4668262, step = 100 (3.935 sec)
            I0814 16:59:07.000000 140168988681984 tf_logging.py:115] global_step/sec: 25.4
            I0814 16:59:08.945503 140168988681984 tf_logging.py:115] loss = 2.3775544, step = 200 (2.336 sec)
            """)
        XCTAssertEqual(run.format, .tfEstimatorConsole)
        XCTAssertEqual(run.series(named: "acc", granularity: .step)?.points.map(\.step), [0, 100])
        XCTAssertValues(run.values("cross_entropy@step"), [2.3073444, 2.091714])
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [0, 100, 200])
    }

    /// Caffe's solver log (the LeNet MNIST example's output; the `loss =` of the iteration line is
    /// smoothed, the train net's outputs are what `parse_log.py` plots).
    func testCaffeSolverLog() throws {
        let run = try FormatTesting.onlyRun("""
            I0522 11:49:01.100000  7754 solver.cpp:351] Iteration 0, Testing net (#0)
            I0522 11:49:01.200000  7754 solver.cpp:418]     Test net output #0: accuracy = 0.0968
            I0522 11:49:01.200100  7754 solver.cpp:418]     Test net output #1: loss = 2.30862 (* 1 = 2.30862 loss)
            I0522 11:49:01.300000  7754 solver.cpp:239] Iteration 0 (-nan iter/s, 0.2s/100 iters), loss = 2.29
            I0522 11:49:01.300100  7754 solver.cpp:258]     Train net output #0: loss = 2.29 (* 1 = 2.29 loss)
            I0522 11:49:01.300200  7754 sgd_solver.cpp:112] Iteration 0, lr = 0.01
            I0522 11:49:02.100000  7754 solver.cpp:239] Iteration 100 (125.4 iter/s, 0.79s/100 iters), loss = 0.21
            I0522 11:49:02.100100  7754 solver.cpp:258]     Train net output #0: loss = 0.19 (* 1 = 0.19 loss)
            I0522 11:49:02.100200  7754 sgd_solver.cpp:112] Iteration 100, lr = 0.00992565
            I0522 11:49:02.900000  7754 solver.cpp:351] Iteration 200, Testing net (#0)
            I0522 11:49:02.950000  7774 data_layer.cpp:73] Restarting data prefetching from start.
            I0522 11:49:03.000000  7754 solver.cpp:418]     Test net output #0: accuracy = 0.9712
            I0522 11:49:03.000100  7754 solver.cpp:418]     Test net output #1: loss = 0.0894 (* 1 = 0.0894 loss)
            I0127 16:04:25.357823  9366 solver.cpp:317] Iteration 300, loss = 0.207118
            I0127 16:04:25.408476  9366 solver.cpp:322] Iteration 400, loss = -nan
            I0522 11:52:02.565486  7754 caffe.cpp:250] Optimization Done.
            """)
        XCTAssertEqual(run.format, .caffeConsole)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.step), [0, 100, 300, 400])
        XCTAssertValues(run.series(named: "loss", granularity: .step)?.points.map(\.value), [2.29, 0.19, 0.207118, .nan])
        XCTAssertTrue(run.series(named: "loss", granularity: .step)?.points.last?.value.isNaN == true)
        XCTAssertValues(run.values("test_acc"), [0.0968, 0.9712])
        XCTAssertValues(run.values("test_loss"), [2.30862, 0.0894])
        XCTAssertEqual(run.series(named: "lr", granularity: .step)?.points.map(\.step), [0, 100])
    }

    /// The net definitions Caffe prints before training (here 300 KB) push the first iteration past
    /// the sniffed bytes: the solver's first line names the log.
    func testACaffeLogWithALongNetDefinition() throws {
        let layer = "I0603 04:24:33.434700   822 net.cpp:100] Creating Layer conv1\nlayer {\n  name: \"loss_weight\"\n  loss_weight: 0.3\n}\n"
        let head = "I0603 04:24:33.434690   822 solver.cpp:108] Initializing solver from parameters: \nbase_lr: 0.01\n"
        var text = head + String(repeating: layer, count: 300_000 / layer.utf8.count + 1)
        for iteration in stride(from: 0, through: 40, by: 2) {
            text += "I0603 04:24:38.500432   822 solver.cpp:316] Iteration \(iteration), loss = \(1.1 - Double(iteration) / 1000)\n"
            text += "I0603 04:24:38.500485   822 solver.cpp:332]     Train net output #0: accuracy = 0.5\n"
        }
        let run = try FormatTesting.onlyRun(text)
        XCTAssertEqual(run.format, .caffeConsole)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.count, 21)
        XCTAssertNil(run.series(named: "loss_weight"))
    }

    /// A line that only looks like Caffe's is not read as a record.
    func testCaffeLinesThatAreNotRecords() {
        XCTAssertEqual(CaffeSolverParser.line("Iteration 12 of the data loader"), .other)
        XCTAssertEqual(CaffeSolverParser.line("    Train net output #0: loss = oops"), .other)
        XCTAssertEqual(CaffeSolverParser.line("Iteration 40, lr = 0.001"), .learningRate(40, 0.001))
        XCTAssertEqual(CaffeSolverParser.line("E0101 00:00:00.0 1 solver.cpp:1] Iteration 5, loss = 87.3365"), .iteration(5, smoothedLoss: 87.3365))
    }

    /// fastai's table as a terminal shows it (`learn.fine_tune` prints two tables: two runs).
    func testFastaiTextTables() throws {
        let runs = try FormatTesting.runs("""
            epoch     train_loss  valid_loss  error_rate  time    
            0         0.736318    0.379632    0.158000    00:12     
            Total time: 00:12
            epoch     train_loss  valid_loss  error_rate  time    ██████████| 100.00% [105070592/105067061 00:03<00:00]
            0         0.412000    0.301000    0.130000    00:11     
            |████████████████████| 100.00% [2/2 00:10<00:00]
            1         0.352000    0.281000    0.120000    00:11     
            2         0.302000    #na#        0.110000    00:11     
            """)
        XCTAssertEqual(runs.map(\.format), [.fastaiConsole, .fastaiConsole])
        XCTAssertValues(runs[1].values("loss"), [0.412, 0.352, 0.302])
        XCTAssertValues(runs[1].values("val_loss"), [0.301, 0.281])
        XCTAssertValues(runs[1].values("val_error_rate"), [0.13, 0.12, 0.11])
    }

    func testAFastaiTextTableInANotebookTextOutput() throws {
        let notebook = #"""
            {"cells": [{"cell_type": "code", "source": ["learn.fit(2)"], "outputs": [{"output_type": "stream", "name": "stdout",
             "text": ["epoch     train_loss  valid_loss  accuracy  time    \n", "0         0.52        0.41        0.81      00:05     \n",
                      "1         0.40        0.36        0.85      00:05     \n"]}]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """#
        let run = try FormatTesting.onlyRun(notebook, source: "lesson.ipynb")
        XCTAssertEqual(run.format, .notebook)
        XCTAssertEqual(run.name, "run 1 (fastai table)")
        XCTAssertValues(run.values("val_acc"), [0.81, 0.85])
    }

    func testUltralyticsResultsAcrossVersions() throws {
        let v8 = try FormatTesting.onlyRun("""
                              epoch,         train/box_loss,         train/cls_loss,         train/dfl_loss,   metrics/precision(B),      metrics/recall(B),       metrics/mAP50(B),    metrics/mAP50-95(B),           val/box_loss,           val/cls_loss,           val/dfl_loss,                 lr/pg0,                 lr/pg1,                 lr/pg2
                                  1,                 1.3597,                 1.6792,                0.86909,                0.56097,                0.31185,                0.34009,                0.20181,                 1.1127,                0.74188,                0.83255,             0.00036927,             0.00036927,             0.00036927
                                  2,                 1.1899,                0.85026,                0.84905,                0.68126,                0.34489,                0.38801,                0.23071,                 1.0902,                0.66536,                0.83214,             0.00072496,             0.00072496,             0.00072496
            """, source: "runs/detect/train/results.csv")
        XCTAssertEqual(v8.format, .ultralyticsCSV)
        XCTAssertValues(v8.values("box_loss"), [1.3597, 1.1899])
        XCTAssertValues(v8.values("val_box_loss"), [1.1127, 1.0902])
        XCTAssertValues(v8.values("val_map50"), [0.34009, 0.38801])
        XCTAssertValues(v8.values("val_map50_95"), [0.20181, 0.23071])
        XCTAssertValues(v8.values("val_precision"), [0.56097, 0.68126])
        XCTAssertValues(v8.values("val_recall"), [0.31185, 0.34489])
        XCTAssertValues(v8.values("lr"), [0.00036927, 0.00072496])
        let v5 = try FormatTesting.onlyRun("""
                           epoch,      train/box_loss,      train/obj_loss,      train/cls_loss,   metrics/precision,      metrics/recall,     metrics/mAP_0.5,metrics/mAP_0.5:0.95,        val/box_loss,        val/obj_loss,        val/cls_loss,               x/lr0,               x/lr1,               x/lr2
                               0,            0.10447,            0.038165,            0.033212,            0.0012609,             0.10547,           0.0010567,          0.00026126,            0.084389,            0.032085,            0.030612,              0.0032,              0.0032,              0.0704
                               1,            0.087101,           0.040301,            0.028904,            0.46106,             0.28318,           0.20071,          0.077263,            0.070186,            0.030108,            0.026582,            0.0064,              0.0064,              0.0409
            """)
        XCTAssertValues(v5.values("val_map50_95"), [0.00026126, 0.077263])
        XCTAssertEqual(v5.series(named: "obj_loss")?.points.map(\.epoch), [1, 2], "YOLOv5 counts epochs from 0")
        let v11 = try FormatTesting.onlyRun("""
            epoch,time,train/box_loss,train/seg_loss,train/cls_loss,train/dfl_loss,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B),metrics/precision(M),metrics/recall(M),metrics/mAP50(M),metrics/mAP50-95(M),val/box_loss,val/seg_loss,val/cls_loss,val/dfl_loss,lr/pg0,lr/pg1,lr/pg2
            1,92.0064,1.35974,2.1,1.67922,0.86909,0.56097,0.31185,0.34009,0.20181,0.5,0.3,0.31,0.18,1.11269,2.0,0.74188,0.83255,0.000369266,0.000369266,0.000369266
            """)
        XCTAssertValues(v11.values("val_mask_map50"), [0.31])
        XCTAssertNil(v11.values("time"))
        let classify = try FormatTesting.onlyRun("""
            epoch,time,train/loss,metrics/accuracy_top1,metrics/accuracy_top5,val/loss,lr/pg0,lr/pg1,lr/pg2
            1,10.2,2.1,0.41,0.82,1.9,0.0001,0.0001,0.0001
            2,20.4,1.6,0.55,0.9,1.5,0.0002,0.0002,0.0002
            """)
        XCTAssertValues(classify.values("val_acc"), [0.41, 0.55])
        XCTAssertValues(classify.values("val_loss"), [1.9, 1.5])
    }
}
