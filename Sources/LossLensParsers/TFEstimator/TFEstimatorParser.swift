import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// TensorFlow 1 (and `tf.compat.v1`) Estimator logs, through `tf.logging` or absl:
///
///     INFO:tensorflow:loss = 0.52, step = 1200 (0.890 sec)
///     INFO:tensorflow:Saving dict for global step 2000: accuracy = 0.91, global_step = 2000, loss = 0.28
///     I0612 10:20:30.123456 140000 basic_session_run_hooks.py:262] loss = 0.52, step = 1200
///
/// `loss = …, step = …` lines are training steps, with the tensors a `LoggingTensorHook` printed
/// just before (`cross_entropy = 2.31, train_accuracy = 0`); "Saving dict for global step" is an evaluation
/// (its names carry no prefix, but they are computed on the evaluation data, so they are held out)
/// and closes a period the report calls an epoch (`StepPeriods`). `global_step/sec` and the final
/// "Loss for final step" are not records. A console dialect reads the `loss = ` lines as epochs of
/// a bare loss, so this reader ranks above the console readers when such lines are in the log.
public struct TFEstimatorParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.tfEstimatorConsole] }

    static let evaluationMarker = "Saving dict for global step "

    public func confidence(for input: LogInput) -> Double {
        // Every input is asked: most say no at once.
        guard input.prefix(LogInput.sniffBytes, holds: "tensorflow") || input.prefix(LogInput.sniffBytes, holds: ".py:") else { return 0 }
        var records = 0, lines = 0
        try? LineStream.screenLines(of: .memory(input.prefixData(LogInput.sniffBytes))) { line in
            lines += 1
            if let state = line.lastSegment, Self.record(String(decoding: line.bytes[state], as: UTF8.self), line: 0) != nil { records += 1 }
            return records < 2 && lines < 3000
        }
        return records >= 2 ? 0.6 : 0
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        var assembler = RunAssembler(source: input.source, format: .tfEstimatorConsole, limits: input.runLimits)
        var periods = StepPeriods()
        var traceback = TracebackCollector()
        var lastRecordLine = 0
        var hooked: [(name: MetricName, value: Double)] = []
        try LineStream.screenLines(of: input.content) { line in
            traceback.observe(line)
            guard let state = line.lastSegment else { return true }
            let text = String(decoding: line.bytes[state], as: UTF8.self)
            guard var record = Self.record(text, line: line.number) else {
                if let values = Self.tensorHookValues(text) { hooked = values }
                return true
            }
            // A `LoggingTensorHook` prints its tensors at the step whose `loss = …, step = …` line follows.
            if !record.values.contains(where: { $0.name.split == .validation }) {
                record.values += hooked.filter { value in !record.values.contains { $0.name.canonical == value.name.canonical } }
            }
            hooked = []
            periods.place(&record)
            assembler.add(record)
            lastRecordLine = line.number
            return true
        }
        var runs = periods.finish(&assembler)
        traceback.attachCrash(to: &runs, after: lastRecordLine)
        return runs
    }

    /// The record of a line, nil for other lines.
    static func record(_ text: String, line: Int) -> MetricRecord? {
        guard let message = message(of: text) else { return nil }
        if message.hasPrefix(evaluationMarker) {
            let rest = message.dropFirst(evaluationMarker.count)
            guard let colon = rest.firstIndex(of: ":"), let step = Int(rest[..<colon]) else { return nil }
            var record = MetricRecord(step: step, stepIsGlobal: true, line: line)
            record.values = pairs(rest[rest.index(after: colon)...]).compactMap { name, value in
                guard name != "global_step", var metric = metricName(name) else { return nil }
                if metric.kind != .learningRate, MetricName.statedSplit(in: name) == nil { metric.split = .validation }
                return (metric, value)
            }
            return record.values.isEmpty ? nil : record
        }
        // `loss = 0.52, step = 1200 (0.890 sec)`, also `global_step = 100, loss = 0.5`: pairs only, one a step.
        guard message.contains(" = "), message.contains("step = ") else { return nil }
        let found = pairs(message[...])
        guard found.count == message.split(separator: ",").count,
            let step = found.first(where: { $0.name == "step" || $0.name == "global_step" }).flatMap({ Int(exactly: $0.value) })
        else { return nil }
        var record = MetricRecord(step: step, stepIsGlobal: true, line: line)
        record.values = found.compactMap { name, value in name == "step" || name == "global_step" ? nil : metricName(name).map { ($0, value) } }
        return record.values.isEmpty ? nil : record
    }

    /// The values of a `LoggingTensorHook` line: `name = value` pairs only, none a step
    /// (`cross_entropy = 2.3073444, learning_rate = 0.0125, train_accuracy = 0 (3.936 sec)`).
    static func tensorHookValues(_ text: String) -> [(name: MetricName, value: Double)]? {
        guard let message = message(of: text), message.contains(" = "), !message.hasPrefix(evaluationMarker) else { return nil }
        let found = pairs(message)
        guard !found.isEmpty, found.count == message.split(separator: ",").count,
              !found.contains(where: { $0.name == "step" || $0.name == "global_step" || $0.name.contains(" ") }) else { return nil }
        let values = found.compactMap { name, value in metricName(name).map { (name: $0, value: value) } }
        return values.isEmpty ? nil : values
    }

    /// The message after `INFO:tensorflow:` or an absl prefix (`I0612 10:20:30.1 1 file.py:262] `).
    private static func message(of text: String) -> Substring? {
        if let range = text.range(of: "INFO:tensorflow:") { return text[range.upperBound...] }
        guard text.first == "I", let close = text.range(of: "] "), text[..<close.lowerBound].contains(".py:") else { return nil }
        return text[close.upperBound...]
    }

    /// `name = value` pairs separated by commas (`loss = 0.52, step = 1200 (0.890 sec)`).
    private static func pairs(_ text: Substring) -> [(name: String, value: Double)] {
        text.split(separator: ",").compactMap { piece in
            let parts = piece.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            var number = parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            // The last value of a line may end its sentence: `loss = 0.5836665.`
            if number.hasSuffix("."), number.dropLast().contains(".") { number.removeLast() }
            return NumberParsing.value(number).map { (name, $0) }
        }
    }

    private static func metricName(_ name: String) -> MetricName? {
        GenericVocabulary.isNoise(name) ? nil : MetricName(raw: name)
    }
}
