import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// An MLflow file-store run folder (see `MLflowLayout`): each `metrics/<name>` file holds one line
/// per logged value, `timestamp value step` (the step is missing in files of old versions: 0).
/// The run is named from `tags/mlflow.runName` or the `run_name` of `meta.yaml`.
///
/// The metric files are merged by step, a line of each at a time (`PullLineReader`), so memory
/// holds the points, not the files. What a step is depends on the logger:
/// - an `epoch` metric (Lightning's and Hugging Face's loggers log one) gives each step its epoch;
///   a metric logged twice or more in some epoch is per step, the others per epoch;
/// - without one, steps that are all distinct for every metric and at most 1 000 are epochs (Keras
///   autologging, `log_metric(name, value, step=epoch)`);
/// - otherwise steps are steps, and evaluations make the epochs (`StepPeriods`).
/// The evidence line of a value is its line in its metric file.
public struct MLflowParser: LogParser {
    public init() {}

    public var formats: [InputFormat] { [.mlflow] }

    @_spi(Layers) public static let nameFiles = MLflowLayout.nameFiles
    /// Up to this many distinct steps without an `epoch` metric are taken for epochs.
    static let mostStepsAsEpochs = 1000

    public func confidence(for input: LogInput) -> Double {
        input.folderFiles.contains { $0.relativePath.hasPrefix("metrics/") } ? 1 : 0
    }

    /// One logged value of a metric file.
    struct Entry {
        var step: Int
        var value: Double
        var line: Int
    }

    static func entry(_ line: [UInt8], number: Int) -> Entry? {
        let fields = line.split(separator: 0x20)
        guard fields.count == 2 || fields.count == 3,
            let value = NumberParsing.value(String(decoding: fields[1], as: UTF8.self))
        else { return nil }
        let step = fields.count == 3 ? Int(String(decoding: fields[2], as: UTF8.self)) : 0
        return step.map { Entry(step: $0, value: value, line: number) }
    }

    /// Every entry of a metric file, in order.
    static func forEachEntry(_ content: LogContent, _ body: (Entry) -> Void) throws {
        let reader = try PullLineReader(content: content)
        while let line = try reader.next() {
            if let entry = entry(line, number: reader.lineNumber) { body(entry) }
        }
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        let metrics = input.folderFiles.filter { $0.relativePath.hasPrefix("metrics/") }
            .map { (name: String($0.relativePath.dropFirst("metrics/".count)), content: $0.content) }
        let epochFile = metrics.first { $0.name == "epoch" }
        var named: [(name: MetricName, content: LogContent)] = []
        for metric in metrics where metric.name != "epoch" && !GenericVocabulary.isNoise(metric.name) {
            named.append((MetricName(raw: metric.name), metric.content))
        }
        guard !named.isEmpty else { return [] }
        var assembler = RunAssembler(source: input.source, format: .mlflow, limits: input.runLimits)
        var periods = StepPeriods()
        let plan = try Plan(metrics: named, epochFile: epochFile?.content)
        try Self.merge(named, plan: plan) { record in
            var record = record
            if plan.mode == .steps { periods.place(&record) }
            assembler.add(record)
        }
        var runs = periods.finish(&assembler)
        if let name = runName(input), runs.count == 1 { runs[0].name = name }
        return runs
    }

    /// How the steps of a run are read, decided by a first reading of its files.
    struct Plan {
        enum Mode {
            case epochMetric, stepsAreEpochs, steps
        }

        var mode = Mode.steps
        /// The epoch logged at each step (an `epoch` metric).
        var epochs: [Int: Double] = [:]
        var perStep = Set<MetricName>()

        init(metrics: [(name: MetricName, content: LogContent)], epochFile: LogContent?) throws {
            if let epochFile {
                try MLflowParser.forEachEntry(epochFile) { epochs[$0.step] = $0.value }
            }
            let sortedEpochSteps = epochs.keys.sorted()
            var distinct = true
            var steps = Set<Int>()
            for metric in metrics {
                // Steps are remembered only while they could still be epochs: memory stays bounded.
                var seenSteps = Set<Int>()
                var entries = 0
                var perEpoch: [Double: Int] = [:]
                try MLflowParser.forEachEntry(metric.content) { entry in
                    entries += 1
                    if entries > MLflowParser.mostStepsAsEpochs {
                        distinct = false
                    } else if !seenSteps.insert(entry.step).inserted {
                        distinct = false
                    }
                    if steps.count <= MLflowParser.mostStepsAsEpochs { steps.insert(entry.step) }
                    if let epoch = Plan.epoch(at: entry.step, in: epochs, sortedSteps: sortedEpochSteps) {
                        perEpoch[epoch, default: 0] += 1
                    }
                }
                if perEpoch.values.contains(where: { $0 > 1 }) { perStep.insert(metric.name) }
            }
            if !epochs.isEmpty {
                mode = .epochMetric
            } else if distinct, steps.count <= MLflowParser.mostStepsAsEpochs {
                mode = .stepsAreEpochs
            }
        }

        /// The epoch logged at `step`, or at the last step before it that logged one.
        static func epoch(at step: Int, in epochs: [Int: Double], sortedSteps: [Int]) -> Double? {
            if let exact = epochs[step] { return exact }
            var low = 0, high = sortedSteps.count
            while low < high {
                let middle = (low + high) / 2
                if sortedSteps[middle] <= step { low = middle + 1 } else { high = middle }
            }
            return low > 0 ? epochs[sortedSteps[low - 1]] : nil
        }
    }

    /// Reads the metric files side by side and hands over one record per step, in step order.
    static func merge(_ metrics: [(name: MetricName, content: LogContent)], plan: Plan, _ body: (MetricRecord) -> Void) throws {
        let readers = try metrics.map { try PullLineReader(content: $0.content) }
        var heads: [Entry?] = try readers.map { try nextEntry($0) }
        let sortedEpochSteps = plan.epochs.keys.sorted()
        while let step = heads.compactMap({ $0?.step }).min() {
            var record = MetricRecord(line: 0)
            for index in heads.indices {
                guard let head = heads[index], head.step == step else { continue }
                var name = metrics[index].name
                if plan.mode == .epochMetric, name.granularityHint == nil { name.granularityHint = plan.perStep.contains(name) ? .step : .epoch }
                record.values.append((name, head.value))
                if record.line == 0 { record.line = head.line }
                heads[index] = try nextEntry(readers[index])
            }
            switch plan.mode {
            case .epochMetric:
                record.epoch = Plan.epoch(at: step, in: plan.epochs, sortedSteps: sortedEpochSteps)
                record.step = step
                record.stepIsGlobal = true
            case .stepsAreEpochs:
                record.epoch = Double(step)
            case .steps:
                record.step = step
                record.stepIsGlobal = true
            }
            body(record)
        }
    }

    private static func nextEntry(_ reader: PullLineReader) throws -> Entry? {
        while let line = try reader.next() {
            if let entry = entry(line, number: reader.lineNumber) { return entry }
        }
        return nil
    }

    /// `tags/mlflow.runName`, else `run_name:` in `meta.yaml`.
    private func runName(_ input: LogInput) -> String? {
        func text(_ path: String) -> String? {
            guard let file = input.folderFiles.first(where: { $0.relativePath == path }),
                let data = try? file.content.bytes(in: 0..<min(file.content.byteCount, 64 << 10))
            else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        if let tag = text("tags/mlflow.runName")?.trimmingCharacters(in: .whitespacesAndNewlines), !tag.isEmpty { return tag }
        for line in (text("meta.yaml") ?? "").split(separator: "\n") where line.hasPrefix("run_name:") {
            let name = line.dropFirst("run_name:".count).trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
            if !name.isEmpty { return name }
        }
        return nil
    }
}
