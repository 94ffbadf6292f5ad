@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// The machine-readable report (`--format json`). Schema version 1, documented in the README.
public enum JSONReport {
    public static let schemaVersion = 1

    public static func render(_ report: AnalysisReport) -> String {
        document(report).serialized() + "\n"
    }

    /// `render`, handed to `emit` in pieces as it is written: the report of a huge log is megabytes.
    @_spi(Layers) public static func write(_ report: AnalysisReport, to emit: (ByteView) -> Void) {
        document(report).write(prettyLineTo: emit)
    }

    public static func document(_ report: AnalysisReport) -> JSONNode {
        .object([
            ("schemaVersion", .integer(schemaVersion)),
            ("runs", .array(report.runs.map(run))),
            ("errors", .array(report.errors.map { .object([("source", .string($0.source)), ("message", .string($0.message))]) })),
            ("ignoredRules", .array(report.ignoredRules.sorted().map(JSONNode.string))),
            ("minSeverity", .string(report.minimumSeverity.rawValue)),
        ])
    }

    @_spi(Layers) public static func run(_ analyzed: AnalyzedRun) -> JSONNode {
        let run = analyzed.run
        var pairs: [(String, JSONNode)] = [
            ("source", .string(run.source)),
            ("format", .string(run.format.rawValue)),
            ("name", .string(run.name)),
            ("epochs", .integer(run.epochCount)),
            ("plannedEpochs", .optional(run.plannedEpochs)),
            ("metrics", .object(run.series.map { ($0.key, series($0)) })),
        ]
        if !run.companions.isEmpty {
            pairs.append(("companions", .array(run.companions.map {
                .object([("source", .string($0.source)), ("format", .string($0.format.rawValue))])
            })))
        }
        if !run.notes.isEmpty {
            // Only when there are notes: reports of runs read exactly stay as they were.
            pairs.append(("notes", .array(run.notes.map(JSONNode.string))))
        }
        if let crash = run.crash {
            pairs.append(("crash", .object([
                ("exception", .string(crash.exceptionType)), ("message", .string(crash.message)), ("line", .integer(crash.line)),
            ])))
        }
        pairs.append(("events", .array(run.events.map { event in
            .object([("kind", .string(event.kind.rawValue)), ("epoch", .optional(event.epoch)),
                     ("line", .integer(event.line)), ("text", .string(event.text))])
        })))
        pairs.append(("task", task(analyzed)))
        pairs.append(("findings", .array(analyzed.findings.map(finding))))
        pairs.append(("earlyStopping", analyzed.earlyStopping.map(earlyStopping) ?? .null))
        return .object(pairs)
    }

    /// `{"kind", "because", "classes", "classesFrom", "classesConfidence", "judgedOn"}`: what the run trains, as inferred.
    static func task(_ analyzed: AnalyzedRun) -> JSONNode {
        let task = analyzed.task
        var pairs: [(String, JSONNode)] = [("kind", .string(task.kind.rawValue)), ("because", .string(task.because))]
        if let classes = task.classes {
            pairs += [("classes", .integer(classes.classes)), ("classesFrom", .string(classes.source.rawValue)),
                      ("classesConfidence", .number((classes.confidence * 100).rounded() / 100))]
        }
        pairs.append(("judgedOn", .string(analyzed.judgedOn == .epoch ? "epochs" : "steps")))
        return .object(pairs)
    }

    /// `{"monitor", "bestEpoch", "bestValue", "patience": [{"patience", "stopEpoch", "epochsSaved"}]}`.
    @_spi(Layers) public static func earlyStopping(_ replay: EarlyStoppingReplay) -> JSONNode {
        .object([
            ("monitor", .string(replay.monitor)),
            ("bestEpoch", .optional(replay.bestEpoch)),
            ("bestValue", .optional(replay.bestValue)),
            ("patience", .array(replay.outcomes.map { outcome in
                .object([
                    ("patience", .integer(outcome.patience)), ("stopEpoch", .optional(outcome.stopEpoch)),
                    ("epochsSaved", .integer(outcome.epochsSaved)), ("stopsBeforeBest", .bool(outcome.stopsBeforeBest)),
                ])
            })),
        ])
    }

    @_spi(Layers) public static func series(_ series: MetricSeries) -> JSONNode {
        var pairs: [(String, JSONNode)] = [
            ("split", .string(series.split.rawValue)),
            ("granularity", .string(series.granularity.rawValue)),
            ("values", .numbers(series.points.map(\.value))),
        ]
        if series.granularity == .epoch {
            pairs.append(("epochs", .integers(series.points.map(\.epoch))))
        } else {
            pairs.append(("steps", .integers(series.points.map(\.step))))
        }
        pairs.append(("lines", .integers(series.points.map(\.line))))
        if let reduction = series.reduction {
            // The values are a sample of this many logged points (see MetricSeries).
            pairs.append(("reducedFrom", .integer(reduction.originalCount)))
        }
        return .object(pairs)
    }

    public static func finding(_ finding: Finding) -> JSONNode {
        .object([
            ("rule", .string(finding.rule)),
            ("severity", .string(finding.severity.rawValue)),
            ("confidence", .number((finding.confidence * 100).rounded() / 100)),
            ("metric", .optional(finding.metric)),
            ("firstEpoch", .optional(finding.firstEpoch)),
            ("lastEpoch", .optional(finding.lastEpoch)),
            ("message", .string(finding.message)),
            ("evidence", .array(finding.evidence.map { item in
                .object([
                    ("metric", .string(item.metric)), ("epoch", .optional(item.epoch)), ("step", .optional(item.step)),
                    ("value", .optional(item.value)), ("line", .optional(item.line)), ("note", .string(item.note)),
                ] + (item.source.map { [("source", .string($0))] } ?? []))
            })),
            ("causes", .array(finding.causes.map { .object([("text", .string($0.text)), ("because", .string($0.because))]) })),
            ("fixes", .array(finding.fixes.map { fix in
                .object([("text", .string(fix.text)), ("keras", .optional(fix.keras)), ("pytorch", .optional(fix.pytorch))])
            })),
        ] + (finding.explains.isEmpty ? [] : [("explains", .array(finding.explains.map { explained in
            .object([
                ("rule", .string(explained.rule)), ("metric", .optional(explained.metric)), ("firstEpoch", .optional(explained.firstEpoch)),
                ("lastEpoch", .optional(explained.lastEpoch)), ("message", .string(explained.message)),
            ])
        }))]))
    }
}
