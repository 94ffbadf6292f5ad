import Foundation
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel

/// Reports built from the fixture logs plus hand-made findings, as the detectors will produce them.
/// The findings are constructed here on purpose: these tests are about rendering, not detection.
enum ReportSamples {
    static let rules = [
        rule("overfitting", "Overfitting", .warning),
        rule("not-converged", "Not converged", .info),
        rule("non-finite", "NaN or infinite values", .error),
        rule("crash", "Training crashed", .error),
        rule("spike", "Loss spike", .warning),
    ]

    static func rule(_ id: String, _ name: String, _ severity: Severity) -> RuleDescription {
        RuleDescription(id: id, name: name, defaultSeverity: severity, summary: "", whatItDetects: "", whyItMatters: "", howItDecides: "",
                        fix: "", triggeringExamples: [], nonTriggeringExamples: [])
    }

    /// A real Keras run that overfits, with an overfitting warning and a weaker not-converged note.
    static func overfitting() throws -> AnalysisReport {
        let run = try ReportTestSupport.fixtureRuns("keras-overfitting.log")[0]
        let validation = run.series(.loss, .validation)!
        let training = run.series(.loss, .train)!
        let notConverged = Finding(
            rule: "not-converged", severity: .info, confidence: 0.35, metric: "loss", firstEpoch: 20, lastEpoch: 24,
            message: "Training loss is still falling at the last epoch.", evidence: [Evidence(training, at: 23, note: "last value")])
        let overfitting = Finding(
            rule: "overfitting", severity: .warning, confidence: 0.9, metric: "val_loss", firstEpoch: 11, lastEpoch: 24,
            message: "Validation loss rose 12% above its minimum at epoch 11 while training loss fell 80% further.",
            evidence: [
                Evidence(validation, at: 10, note: "minimum"), Evidence(validation, at: 23, note: "last value"),
                Evidence(training, at: 23, note: "training loss at the end"),
            ],
            causes: [
                Cause("The model memorises a small training set", because: "training accuracy reaches 1.0 by epoch 9"),
                Cause("No regularisation", because: "the gap widens steadily rather than jumping"),
            ],
            fixes: [
                Fix("Stop at the best validation epoch and keep its weights.",
                    keras: "keras.callbacks.EarlyStopping(monitor=\"val_loss\", patience=5, restore_best_weights=True)",
                    pytorch: "if val_loss < best:\n    best, bad_epochs = val_loss, 0\n    torch.save(model.state_dict(), \"best.pt\")\nelse:\n    bad_epochs += 1"),
                Fix("Add dropout or weight decay.", keras: "layers.Dropout(0.3)", pytorch: "torch.optim.AdamW(model.parameters(), weight_decay=1e-2)"),
            ])
        return AnalysisReport(runs: [AnalyzedRun(run: run, findings: [notConverged, overfitting])], errors: [], ignoredRules: ["spike"])
    }

    /// Two failing sources and one unreadable one, with `--min-severity warning`.
    static func nanAndCrash() throws -> AnalysisReport {
        let nanRun = try ReportTestSupport.fixtureRuns("keras-nan.log")[0]
        let crashRun = try ReportTestSupport.fixtureRuns("torch-crash.log")[0]
        let loss = nanRun.series(.loss, .train)!
        let nonFinite = Finding(
            rule: "non-finite", severity: .error, confidence: 1, metric: "loss", firstEpoch: 1, lastEpoch: 6,
            message: "loss is NaN from the first epoch on.", evidence: [Evidence(loss, at: 0, note: "first NaN")],
            causes: [Cause("Learning rate too high", because: "the loss is NaN from epoch 1, before any value was finite")],
            fixes: [Fix("Lower the learning rate tenfold.", keras: "optimizer=keras.optimizers.Adam(1e-4)", pytorch: nil)])
        let crash = Finding(
            rule: "crash", severity: .error, confidence: 0.95, message: "IndexError: Target 3 is out of bounds.",
            evidence: [Evidence(metric: "traceback", line: crashRun.crash?.line, note: "exception")],
            causes: [Cause("A label equals the number of classes", because: "CrossEntropyLoss targets must lie in [0, C)")],
            fixes: [Fix("Make the output layer as wide as the number of classes.", keras: nil, pytorch: "nn.Linear(hidden, num_classes)")])
        return AnalysisReport(
            runs: [AnalyzedRun(run: nanRun, findings: [nonFinite]), AnalyzedRun(run: crashRun, findings: [crash])],
            errors: [SourceFailure(source: "missing.log", message: "Cannot read missing.log: no such file.")],
            minimumSeverity: .warning)
    }

    /// A loss that starts at 5e19 (log-scale chart) and a run that stopped early, without findings.
    static func explodingAndEarlyStopped() throws -> AnalysisReport {
        let exploding = try ReportTestSupport.fixtureRuns("torch-exploding.log")[0]
        let stopped = try ReportTestSupport.fixtureRuns("keras-early-stopping.log")[0]
        let spike = Finding(
            rule: "spike", severity: .warning, confidence: 0.7, metric: "loss", firstEpoch: 1, lastEpoch: 2,
            message: "The first epoch's loss is 19 orders of magnitude above the second's; training recovered.",
            evidence: [Evidence(exploding.series(.loss, .train)!, at: 0, note: "spike")])
        return AnalysisReport(runs: [AnalyzedRun(run: exploding, findings: [spike]), AnalyzedRun(run: stopped, findings: [])], errors: [])
    }

    /// Every string a log controls, made hostile.
    static func hostile() -> AnalysisReport {
        let evil = "a|b `tick` <script>alert(1)</script> \u{1B}[31mred\u{1B}[0m"
        let series = [
            ReportTestSupport.series("loss", [1.0, 0.5, 0.25]),
            ReportTestSupport.series("val_loss", [1.1, 0.6, 0.7]),
            // Built without MetricName(raw:), whose normalisation would already drop the punctuation.
            MetricSeries(name: MetricName(base: "f1|<img src=x onerror=alert(1)>", split: .train), granularity: .epoch,
                         points: [MetricPoint(epoch: 1, value: 0.1, line: 2), MetricPoint(epoch: 2, value: 0.2, line: 3)]),
        ]
        var run = ReportTestSupport.run(series, source: "logs/\(evil).log", name: "run <b>|1</b> `x`")
        run.events = [RunEvent(kind: .other, text: "Epoch 2: <iframe> | ``` |", line: 4, epoch: 2)]
        run.crash = Crash(exceptionType: "Error<script>", message: "bad ``` value\n</details><script>x</script>", line: 9)
        let finding = Finding(
            rule: "spike", severity: .warning, confidence: 0.5, metric: "f1|<x>", message: "metric \(evil) jumped\n# heading",
            evidence: [Evidence(metric: "f1|<x>", epoch: 2, value: 0.2, line: 3, note: "note | <b>")],
            causes: [Cause("cause <i>", because: "because | `x`")],
            fixes: [Fix("fix </details>", keras: "x = 1\n```\n<script>", pytorch: nil)])
        return AnalysisReport(
            runs: [AnalyzedRun(run: run, findings: [finding])],
            errors: [SourceFailure(source: "bad|<script>.log", message: "Cannot read <script>|x")], ignoredRules: ["a|<b>"])
    }
}
