import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Logs of one JSON object of metrics per line: the records losslens's callbacks write (README,
/// "JSON lines"), W&B `wandb-history.jsonl`, detectron2 `metrics.json`, MMDetection `*.log.json`
/// and MMEngine `scalars.json` (see `JSONLinesFlavor`).
///
/// Read line by line, twice: the first reading tells which keys are logged several times in one
/// epoch (per step) and which once (per epoch) when records carry both an epoch and a step, the
/// second makes the records. A line that is not an object (a line cut off while the file was being
/// written, a line of text) is skipped and counted; memory holds the points, not the file.
public struct JSONLinesParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.jsonLines, .wandbHistory, .detectron2Metrics, .mmdetectionLog] }

    /// Above the JSON documents (a one-line object is also a document) and the console readers.
    static let confidence = 0.85
    static let sniffLines = 20

    public func confidence(for input: LogInput) -> Double {
        if input.fileName == "wandb-summary.json" || !(input.opensJSONObject(within: 4096) || input.opensJSONList(within: 4096)) { return 0 }
        var objects = 0, metricLike = 0, other = 0
        var summaryKeys = false
        let sample = LogInput(source: input.source, content: .memory(input.prefixData(64 << 10)))
        try? JSONLineObject.forEach(in: sample) { object, _ in
            guard let object else {
                other += 1
                return other == 0
            }
            objects += 1
            if object.numbers.contains(where: { $0.key == "_wandb/runtime" }) { summaryKeys = true }
            if object.numbers.contains(where: { GenericVocabulary.isMetricLike(MetricName(raw: $0.key)) }) { metricLike += 1 }
            return objects < Self.sniffLines
        }
        // A line that is no object before the sniffed lines end (a pretty-printed document, whose
        // first line is `{`) is no JSON-lines log; a cut last line of the sample is fine. One object
        // alone is a document written on one line (a history whose values are lists), not records.
        guard objects >= 2, other == 0 || (other == 1 && objects >= 2), metricLike > 0, !summaryKeys else { return 0 }
        return Self.confidence
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        let survey = try Survey(input)
        let flavor = survey.flavor
        var assembler = RunAssembler(source: input.source, format: flavor.format, limits: input.runLimits)
        var periods = StepPeriods()
        var names = KeyNames()
        var skipped = 0, firstSkipped = 0
        try JSONLineObject.forEach(in: input) { object, line in
            guard let object else {
                skipped += 1
                if firstSkipped == 0 { firstSkipped = line }
                return true
            }
            guard var record = Self.record(object, line: line, flavor: flavor, survey: survey, names: &names) else { return true }
            // Records with neither epoch nor step are numbered by the assembler (one per epoch).
            if !survey.hasEpochs, record.step != nil { periods.place(&record) }
            assembler.add(record)
            return true
        }
        if skipped > 0 {
            assembler.addEvent(RunEvent(
                kind: .inputDamaged,
                text: "\(skipped == 1 ? "1 line is" : "\(skipped) lines are") not a JSON object and "
                    + "\(skipped == 1 ? "was" : "were") skipped (first at line \(firstSkipped))",
                line: firstSkipped))
        }
        return periods.finish(&assembler)
    }

    /// The record of one object.
    static func record(
        _ object: JSONLineObject, line: Int, flavor: JSONLinesFlavor, survey: Survey, names: inout KeyNames
    ) -> MetricRecord? {
        let kind = object.strings["kind"]?.lowercased()
        let mode = object.strings["mode"]?.lowercased()
        var epoch = object.epoch.flatMap(CSVColumns.position)
        var step = survey.step(of: object)
        var heldOut: Split? = kind == "eval" || mode == "val" ? .validation : mode == "test" ? .test : nil
        if flavor == .mmdetection, epoch == nil, object.number("iter") == nil, let validationEpoch = object.number("step") {
            // MMEngine's validation records count epochs in `step`.
            epoch = validationEpoch
            step = nil
            heldOut = .validation
        }
        var record = MetricRecord(epoch: epoch, line: line)
        for (key, value) in object.numbers {
            guard var name = names.name(of: key) else { continue }
            // An evaluation's names are held out, except the learning rate it repeats.
            if let heldOut, name.kind != .learningRate, MetricName.statedSplit(in: key) == nil, !key.hasPrefix("val/") { name.split = heldOut }
            record.values.append((name, value))
        }
        guard !record.values.isEmpty else { return nil }
        let wholeEpoch = epoch.map { $0 == $0.rounded(.down) } ?? false
        if kind == "epoch" || (kind == "eval" && wholeEpoch) || mode == "val" || mode == "test" {
            // One record per epoch, or an evaluation at an epoch's end: epoch-level values.
            return record
        }
        record.step = step
        if kind == "step" || mode == "train" {
            // MMDetection's `iter` counts within the epoch.
            record.stepIsGlobal = mode != "train"
            record.perStep = true
            return record
        }
        record.stepIsGlobal = true
        if wholeEpoch, step != nil {
            // Both an epoch and a step: the first reading told which keys repeat within an epoch.
            for index in record.values.indices where record.values[index].name.granularityHint == nil {
                let name = record.values[index].name
                record.values[index].name.granularityHint = survey.perStepKeys.contains(name) ? .step : .epoch
            }
        }
        return record
    }
}

/// The metric names of a log's keys, each worked out once.
struct KeyNames {
    private var known: [String: MetricName?] = [:]

    mutating func name(of key: String) -> MetricName? {
        if let name = known[key] { return name }
        let name = JSONLinesFlavor.metricKey(key).flatMap { GenericVocabulary.isNoise($0) ? nil : MetricName(raw: $0) }
        if known.count < 4096 { known[key] = name }
        return name
    }
}

/// What the first reading of a JSON-lines log tells: its flavor (from the file name and the keys
/// of the first objects), which key counts W&B's steps, whether it names epochs, and which metrics
/// are logged more than once in an epoch.
struct Survey {
    var flavor = JSONLinesFlavor.records
    /// W&B's `_step` counts log calls; Lightning's own step, when logged, is the training step: the
    /// key is chosen once, so that all records count in the same steps.
    var wandbStepKey: String?
    var hasEpochs = false
    var perStepKeys = Set<MetricName>()

    init(_ input: LogInput) throws {
        var names = KeyNames()
        var keys = Set<String>(), strings = Set<String>()
        var sniffed = 0
        var seen: [MetricName: Set<Double>] = [:]
        var lastEpoch = -Double.infinity
        try JSONLineObject.forEach(in: input) { object, _ in
            guard let object else { return true }
            if sniffed < JSONLinesParser.sniffLines {
                sniffed += 1
                keys.formUnion(object.numbers.map(\.key))
                strings.formUnion(object.strings.keys)
            }
            guard let epoch = object.epoch else { return true }
            hasEpochs = true
            if object.strings["kind"] == nil, epoch != epoch.rounded(.down) {
                // A fraction of an epoch (Hugging Face) is a step: what is logged with one is per step.
                for (key, _) in object.numbers { if let name = names.name(of: key) { perStepKeys.insert(name) } }
                return true
            }
            guard object.strings["kind"] == nil, object.strings["mode"] == nil, epoch == epoch.rounded(.down),
                JSONLinesFlavor.stepKeys.contains(where: { object.number($0) != nil })
            else { return true }
            if epoch < lastEpoch { seen = [:] }  // a new run starts over
            lastEpoch = epoch
            for (key, _) in object.numbers {
                guard let name = names.name(of: key), !perStepKeys.contains(name) else { continue }
                if seen[name, default: []].insert(epoch).inserted == false { perStepKeys.insert(name) }
            }
            return true
        }
        flavor = JSONLinesFlavor.of(fileName: input.fileName, keys: keys, strings: strings)
        if flavor == .wandb {
            wandbStepKey = ["trainer/global_step", "train/global_step", "global_step", "step", "batch/batch_step", "_step"].first { keys.contains($0) }
        }
    }

    /// The step of a record: W&B's chosen key, else the first step key the record holds.
    func step(of object: JSONLineObject) -> Int? {
        let value = wandbStepKey.map { object.number($0) } ?? JSONLinesFlavor.stepKeys.lazy.compactMap { object.number($0) }.first
        return value.flatMap(CSVColumns.position).flatMap { Int(exactly: $0.rounded(.down)) }
    }
}
