import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Reads the screen states of console lines with one dialect. Every thread that reads lines has its
/// own: the PCRE2 matchers inside keep per-search state.
@_spi(Layers) public struct ConsoleLineReader {
    private var reader: DialectReader

    @_spi(Layers) public init(dialect: PatternDialect) {
        reader = DialectReader(dialect: dialect)
    }

    /// Whether a split stated on a line of its own (`evaluate: dev`) applies to the lines that follow.
    var carriesSplit: Bool { reader.carriesContextSplit }

    /// How states of the shape of the last state read can be read again, when they can.
    @_spi(Layers) public var repeatable: DialectReader.Repeatable? { reader.repeatable }

    /// Reads a line's only screen state the way an earlier line of its digit shape was read (its
    /// `@strip` prefix and template); false, with nothing read, when it cannot.
    mutating func readRepeat(_ state: ByteView, prefixLength: Int, template: RecordTemplate,
                             line number: Int, into batch: inout RecordBatch) -> Bool {
        reader.readRepeat(state, prefixLength: prefixLength, template: template, line: number, into: &batch)
    }

    @_spi(Layers) public mutating func read(_ line: ScreenLine, into batch: inout RecordBatch) throws {
        try line.bytes.withByteView { all in
            try read(all, states: line.segments, line: line.number, into: &batch)
        }
    }

    /// Reads the screen states of line `number` (`states` of `all`) into `batch`.
    @_spi(Layers) public mutating func read<Segments: RandomAccessCollection<Range<Int>>>(
        _ all: ByteView, states segments: Segments, line number: Int, into batch: inout RecordBatch
    ) throws where Segments.Index == Int {
        var states = SegmentStates(all: all, segments: segments)
        try read(&states, line: number, into: &batch)
    }

    /// Reads the screen states of line `number` into `batch`, except redraws that the next state
    /// hides: a progress bar redrawn in place (`\r`) with the same digit shape, whose values only
    /// restate the running values of the current epoch, is overwritten by the next redraw, on the
    /// screen as in the run.
    @_spi(Layers) public mutating func read<States: ScreenStates>(_ states: inout States, line number: Int, into batch: inout RecordBatch) throws {
        // Whether the last state read restates epoch values and the states since have its shape.
        var shapeRestates = false
        var previousRestatement: Int?
        let count = states.count
        var index = -1
        while index + 1 < count {
            index += 1
            if index > 0, !states.sameShapeAsPrevious(index) {
                shapeRestates = false
            }
            if shapeRestates {
                // The states up to the last of this shape are hidden by it.
                let last = states.lastOfSameShape(from: index)
                if last > index {
                    index = last - 1
                    continue
                }
            }
            switch try states.withState(index, { try reader.read($0, line: number, into: &batch) }) {
            case .event:
                shapeRestates = false
                previousRestatement = nil
            case .record:
                let restates = count > 1 && batch.lastRecordRestatesEpochValues
                if restates, let previous = previousRestatement, batch.lastRecordHasNames(ofRecord: previous) {
                    batch.markLastRecordAsRedraw()
                }
                previousRestatement = restates ? batch.recordCount - 1 : nil
                shapeRestates = restates && index + 1 < count
            case .nothing:
                shapeRestates = false
            }
        }
    }
}

/// Places the items of a console log into runs, in log order, and attaches the crash.
@_spi(Layers) public struct ConsoleRunCollector {
    private var assembler: RunAssembler
    private var lastRecordLine = 0
    private var lastEventLine = 0
    private var batchesTaken = 0

    @_spi(Layers) public init(source: String, dialect: PatternDialect, limits: RunLimits = RunLimits()) {
        assembler = RunAssembler(source: source, format: dialect.format, firstEpoch: dialect.firstEpoch, limits: limits)
    }

    private mutating func take(_ records: RecordBatch.Records, linesBefore: Int) {
        assembler.add(records, linesBefore: linesBefore)
        lastRecordLine = records.line(records.count - 1) + linesBefore
    }

    private mutating func take(_ event: RunEvent, linesBefore: Int) {
        var event = event
        event.line += linesBefore
        // One event per physical line, even when the line is handed over in pieces.
        if lastEventLine != event.line { assembler.addEvent(event) }
        lastEventLine = event.line
    }

    /// Places the records and events of a batch whose lines count from a block that starts after
    /// `linesBefore` lines (0 when the batch was read in order).
    @_spi(Layers) public mutating func take(_ batch: RecordBatch, linesBefore: Int) {
        batchesTaken += 1
        batch.forEach(serial: batchesTaken, records: { take($0, linesBefore: linesBefore) },
                      event: { take($0, linesBefore: linesBefore) })
    }

    /// The runs; a traceback after the last values is the crash of the last run.
    @_spi(Layers) public mutating func finish(crash: Crash?) -> [Run] {
        var runs = assembler.finish()
        if let crash, crash.line > lastRecordLine {
            if runs.isEmpty {
                runs = [Run(source: assembler.source, format: assembler.format, name: "run 1")]
            }
            if crash.isUserStop {
                runs[runs.count - 1].events.append(crash.stopEvent)
            } else {
                runs[runs.count - 1].crash = crash
            }
        }
        return runs
    }
}
