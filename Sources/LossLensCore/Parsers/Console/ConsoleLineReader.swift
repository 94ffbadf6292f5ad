import Foundation

/// What a console line yields: values, or a line printed by a training callback.
enum ConsoleItem {
    case record(MetricRecord)
    case event(RunEvent)
}

/// Reads the screen states of console lines with one dialect. Every thread that reads lines has its
/// own: the PCRE2 matchers inside keep per-search state.
struct ConsoleLineReader {
    private var reader: DialectReader
    private let events = CallbackEvents()

    init(dialect: PatternDialect) {
        reader = DialectReader(dialect: dialect)
    }

    /// Whether a split stated on a line of its own (`evaluate: dev`) applies to the lines that follow.
    var carriesSplit: Bool { reader.carriesContextSplit }

    /// Reads every screen state of a line, except redraws that the next state hides: a progress bar
    /// redrawn in place (`\r`) with the same digit shape, whose values only restate the running
    /// values of the current epoch, is overwritten by the next redraw, on the screen as in the run.
    mutating func read(_ line: ScreenLine, _ emit: (ConsoleItem) -> Void) throws {
        try line.bytes.withUnsafeBufferPointer { all in
            let segments = line.segments
            // Whether the last state read restates epoch values and the states since have its shape.
            var shapeRestates = false
            var previousRestatement: MetricRecord?
            for index in segments.indices {
                let bytes = UnsafeBufferPointer(rebasing: all[segments[index]])
                if index > 0, !DigitShape.equal(bytes, UnsafeBufferPointer(rebasing: all[segments[index - 1]])) {
                    shapeRestates = false
                }
                if shapeRestates, index + 1 < segments.count,
                   DigitShape.equal(bytes, UnsafeBufferPointer(rebasing: all[segments[index + 1]])) {
                    continue
                }
                if let event = events.event(in: bytes, line: line.number) {
                    emit(.event(event))
                    shapeRestates = false
                    previousRestatement = nil
                } else if var record = try reader.record(in: bytes, line: line.number) {
                    let restates = segments.count > 1 && record.restatesEpochValues
                    if restates, let previous = previousRestatement {
                        record.redrawsPrevious = previous.values.lazy.map(\.name).elementsEqual(record.values.lazy.map(\.name))
                    }
                    previousRestatement = restates ? record : nil
                    emit(.record(record))
                    shapeRestates = restates && index + 1 < segments.count
                } else {
                    shapeRestates = false
                }
            }
        }
    }
}

private extension MetricRecord {
    /// Values of the current epoch with no position of their own: a later record with the same names
    /// replaces them all (see `RunAssembler`). Names with digits (`top5_acc`) are left out, since
    /// lines of one digit shape may name different metrics.
    var restatesEpochValues: Bool {
        epoch == nil && plannedEpochs == nil && step == nil && !stepIsGlobal && !perStep && !startsNewRun
            && values.allSatisfy { $0.name.granularityHint != .step && !$0.name.base.utf8.contains { $0 &- 0x30 < 10 } }
    }
}

/// Places the items of a console log into runs, in log order, and attaches the crash.
struct ConsoleRunCollector {
    private var assembler: RunAssembler
    private var lastRecordLine = 0
    private var lastEventLine = 0
    private var batchesTaken = 0

    init(source: String, dialect: PatternDialect) {
        assembler = RunAssembler(source: source, format: dialect.format, firstEpoch: dialect.firstEpoch)
    }

    /// Places `item`, whose line counts from a block that starts after `linesBefore` lines.
    mutating func take(_ item: ConsoleItem, linesBefore: Int = 0) {
        switch item {
        case let .record(record): take(record, linesBefore: linesBefore)
        case let .event(event): take(event, linesBefore: linesBefore)
        }
    }

    mutating func take<Record: PlaceableRecord>(_ record: Record, linesBefore: Int) {
        assembler.add(record, linesBefore: linesBefore)
        lastRecordLine = record.line + linesBefore
    }

    mutating func take(_ event: RunEvent, linesBefore: Int) {
        var event = event
        event.line += linesBefore
        // One event per physical line, even when the line is handed over in pieces.
        if lastEventLine != event.line { assembler.addEvent(event) }
        lastEventLine = event.line
    }

    /// Places the records and events a worker read in a block that starts after `linesBefore` lines.
    mutating func take(_ batch: RecordBatch, linesBefore: Int) {
        batchesTaken += 1
        batch.forEach(serial: batchesTaken, record: { take($0, linesBefore: linesBefore) },
                      event: { take($0, linesBefore: linesBefore) })
    }

    /// The runs; a traceback after the last values is the crash of the last run.
    mutating func finish(crash: Crash?) -> [Run] {
        var runs = assembler.finish()
        if let crash, crash.line > lastRecordLine {
            if runs.isEmpty {
                runs = [Run(source: assembler.source, format: assembler.format, name: "run 1")]
            }
            runs[runs.count - 1].crash = crash
        }
        return runs
    }
}
