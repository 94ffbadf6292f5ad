@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// `crash`: the log ends in an exception; known errors map to causes and fixes.
public struct CrashDetector: Detector {
    public static let description = RuleDescription(
        id: "crash", name: "Training crashed", defaultSeverity: .error,
        summary: "the log ends in a traceback (known errors: BCELoss input range, target/label out of range, shape/dtype mismatch, CUDA OOM, device-side assert, …)",
        isLive: true,
        whatItDetects: "A log that ends in a Python traceback (an exception stopped training).",
        whyItMatters: "The run produced no (or only partial) results; the exception message usually names the bug.",
        howItDecides: "Fires when the parser found a traceback after the last logged metric. The exception is matched "
            + "against known errors (BCELoss input outside [0, 1], CrossEntropy \"Target N is out of bounds\", Keras/TF "
            + "\"Received a label value … outside the valid range\", shape and dtype mismatches, CUDA out of memory, "
            + "device-side assert, backward without grad, NaN checks); a known error gets specific causes and fixes "
            + "(confidence 1), an unknown one the exception itself (confidence 0.8).",
        fix: "Read the exception; for known errors losslens prints the usual fix.",
        triggeringExamples: [RuleExample(
            "Epoch 1, Loss: 0.69\nTraceback (most recent call last):\n  File \"train.py\", line 10, in <module>\n    loss = loss_fn(out, y)\nIndexError: Target 3 is out of bounds.",
            note: "CrossEntropyLoss with a label the output layer does not have.")],
        nonTriggeringExamples: [RuleExample("Epoch 1, Loss: 0.69\nEpoch 2, Loss: 0.52\n", note: "A log without a traceback.")])

    public init() {}

    public func findings(in curves: RunCurves) -> [Finding] {
        let run = curves.run
        guard let crash = run.crash else { return [] }
        let epochs = run.epochCount
        let when = epochs == 0 ? "before the first epoch finished" : "after epoch \(epochs)"
        let evidence = [Evidence(metric: "exception", epoch: epochs == 0 ? nil : epochs, line: crash.line,
                                 note: "\(crash.exceptionType): \(crash.message)")]
        let firstLine = crash.message.split(separator: "\n").first.map(String.init) ?? crash.message
        if let (entry, match) = CrashCatalog.entry(for: crash) {
            return [Finding(
                rule: Self.description.id, severity: .error, confidence: 1, firstEpoch: epochs == 0 ? nil : epochs,
                lastEpoch: epochs == 0 ? nil : epochs,
                message: "Training crashed \(when): \(entry.summary) (\(crash.exceptionType): \(firstLine)).",
                evidence: evidence, causes: entry.causes(match), fixes: entry.fixes)]
        }
        return [Finding(
            rule: Self.description.id, severity: .error, confidence: 0.8, firstEpoch: epochs == 0 ? nil : epochs,
            lastEpoch: epochs == 0 ? nil : epochs,
            message: "Training crashed \(when) with \(crash.exceptionType): \(firstLine)",
            evidence: evidence,
            causes: [Cause("The exception named in the traceback stopped the run.",
                           because: "the log ends with \(crash.exceptionType) at line \(crash.line)")],
            fixes: [Fix("Fix the error at the innermost frame of your own code in the traceback and re-run.")])]
    }
}
