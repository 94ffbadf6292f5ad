import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Reads a large console log on several cores: each worker takes the next byte range and reads the
/// lines that start in it (`LineBlock`) with its own dialect reader, and the worker that finishes
/// the next block in log order places the records into runs (see `OrderedJobs`). Memory stays
/// bounded: a few blocks are in flight.
///
/// Gives what reading the lines in order gives. The one state a line passes to the next lines, a
/// split stated on a line of its own (`evaluate: dev`), is checked at every block end; when it
/// crosses one, `read` gives up and the caller reads in order. Tracebacks are read afterwards,
/// from the last one's start (`TracebackCollector.crash(in:from:)`).
@_spi(Layers) public struct ParallelConsoleReading {
    /// Smaller logs are read in order: the split pays off only when reading takes a while.
    @_spi(Layers) public static let minimumBytes = 8 << 20
    /// Each block costs a hand-over (a wake-up, a lock, placing in order): with blocks of 256 KB
    /// that was a tenth of the time on a 100 MB log of short lines.
    static let defaultBlockBytes = 1 << 20

    @_spi(Layers) public let dialect: PatternDialect
    @_spi(Layers) public let workers: Int
    @_spi(Layers) public var blockBytes = defaultBlockBytes
    /// Lines with redraws from this length on are read as `RedrawnStates`.
    @_spi(Layers) public var redrawnLineBytes = RedrawnStates.minimumBytes

    /// Blocks of at least 16 lines: a worker reads on past its block to the end of its last line,
    /// which the next block's worker reads again (a Keras epoch of progress bars is one line of some
    /// 150 KB).
    @_spi(Layers) public static func blockBytes(forLinesOf meanLength: Int) -> Int {
        Swift.min(16 << 20, Swift.max(defaultBlockBytes, 16 * meanLength))
    }

    /// The worker count for a log: one per core (`LOSSLENS_JOBS`), one for small logs.
    @_spi(Layers) public static func workers(for content: LogContent) -> Int {
        content.byteCount >= minimumBytes ? ParallelMap.workerCount() : 1
    }

    /// Fills `collector` and returns where the last traceback starts (nil inside when there is
    /// none); returns nil, with `collector` partly filled, when the log must be read in order.
    @_spi(Layers) public func read(_ content: LogContent, into collector: inout ConsoleRunCollector) throws -> LinePosition?? {
        let readers = ReaderPool(dialect: dialect, redrawnLineBytes: redrawnLineBytes, blockBytes: blockBytes)
        let placement = Guarded(Placement(collector))
        let source = try content.makePositionalReader()
        try OrderedJobs<BlockOutcome>.runBlocks(
            size: content.byteCount, blockBytes: blockBytes, workers: workers,
            read: { readers.read(linesStartingIn: $0, of: source) },
            consume: { outcome in try placement.withLock { try $0.place(outcome) } })
        return placement.withLock { placement in
            collector = placement.collector
            return placement.mustReadInOrder ? nil : .some(placement.lastTraceback)
        }
    }
}

/// Places the blocks' records into runs in log order: the thread that `OrderedJobs` has consume
/// the next block places it.
private struct Placement {
    private(set) var collector: ConsoleRunCollector
    private(set) var lastTraceback: LinePosition?
    private(set) var mustReadInOrder = false
    private var linesBefore = 0

    init(_ collector: ConsoleRunCollector) {
        self.collector = collector
    }

    /// Places the next block; false when the blocks after it cannot be placed (a split stated on a
    /// line of its own reaches into them: the log must be read in order).
    mutating func place(_ outcome: BlockOutcome) throws -> Bool {
        if let error = outcome.error { throw error }
        // A line as long as `LineStream.lineCap` is cut into pieces when read in order.
        if outcome.reachesOverlongLine {
            mustReadInOrder = true
            return false
        }
        // Workers number the lines of their block from 1.
        collector.take(outcome.records, linesBefore: linesBefore)
        if var start = outcome.lastTraceback {
            start.number += linesBefore
            lastTraceback = start
        }
        linesBefore += outcome.newlines
        mustReadInOrder = outcome.carriesSplit
        return !mustReadInOrder
    }
}

/// What a worker read in one block.
private struct BlockOutcome {
    @_spi(Layers) public var records = RecordBatch()
    /// Line numbers from 1 at the block start.
    var lastTraceback: LinePosition?
    var newlines = 0
    /// The block ends under a split stated on a line of its own.
    var carriesSplit = false
    /// A line of `LineStream.lineCap` bytes or more starts in the block.
    @_spi(Layers) public var reachesOverlongLine = false
    @_spi(Layers) public var error: Error?
}

/// Line readers for the workers: each block takes one and gives it back, so the matchers and the
/// line-shape memos are made once per worker, not once per block.
private final class ReaderPool: Sendable {
    private struct Worker {
        @_spi(Layers) public var reader: ConsoleLineReader
        @_spi(Layers) public var lines = RepeatedLines()
        @_spi(Layers) public var screen = ScreenLine()
        @_spi(Layers) public var redrawn = RedrawnStates()
        @_spi(Layers) public let block: LineBlock
    }

    private let dialect: PatternDialect
    private let redrawnLineBytes: Int
    private let blockBytes: Int
    private let idle = Guarded<[Worker]>([])

    @_spi(Layers) public init(dialect: PatternDialect, redrawnLineBytes: Int, blockBytes: Int) {
        self.dialect = dialect
        self.redrawnLineBytes = redrawnLineBytes
        self.blockBytes = blockBytes
    }

    /// Measured: reserving for a whole block of short lines (1 MB) was no faster and took 4 MB
    /// more at the peak.
    private static let reservedBlockBytes = 256 << 10

    /// Reads the lines that start in `range` of the log (see `LineBlock`).
    @_spi(Layers) public func read(linesStartingIn range: Range<Int>, of source: any PositionalReader) -> BlockOutcome {
        var worker = take()
        defer { give(worker) }
        worker.lines.startBlock()
        // Room for the records of a block of short lines; a block of long lines holds few.
        var outcome = BlockOutcome(records: RecordBatch(expectedBytes: Swift.min(range.count, Self.reservedBlockBytes)))
        let lines: LineBlock.Lines
        do {
            lines = try worker.block.load(linesStartingIn: range, from: source, lineCap: LineStream.lineCap)
        } catch {
            outcome.error = error
            return outcome
        }
        let all = lines.bytes
        var start = 0
        while start < all.count {
            let found = all.firstIndex(of: 0x0A, from: start)
            let end = found ?? all.count
            guard end - start < LineStream.lineCap, !(found == nil && lines.reachesOverlongLine) else {
                outcome.reachesOverlongLine = true
                return outcome
            }
            let position = LinePosition(offset: lines.offset + start, number: outcome.newlines + 1)
            let line = all[start..<end]
            let shape = worker.lines.shape(of: line)
            if let shape, worker.lines.readRepeat(line, of: shape, with: &worker.reader, line: position.number, into: &outcome.records) {
                // Read through its shape.
            } else {
                do {
                    if let state = try read(line, at: position, with: &worker, into: &outcome),
                       let shape, let repeatable = worker.reader.repeatable {
                        worker.lines.learn(shape, state: state, repeatable: repeatable)
                    }
                } catch {
                    outcome.error = error
                    return outcome
                }
            }
            if found != nil { outcome.newlines += 1 }
            start = end + 1
        }
        outcome.carriesSplit = worker.reader.carriesSplit
        return outcome
    }

    /// Reads one line; returns its screen state when it is a plain line that opens no traceback
    /// (what lines of its shape share once its state is read through a template).
    private func read(
        _ line: ByteView, at position: LinePosition, with worker: inout Worker, into outcome: inout BlockOutcome
    ) throws -> Range<Int>? {
        guard ScreenLine.isPlain(line) else {
            if line.count >= redrawnLineBytes, worker.redrawn.load(line) {
                let count = worker.redrawn.count
                if count > 0, worker.redrawn.withState(count - 1, TracebackCollector.startsTraceback) { outcome.lastTraceback = position }
                try worker.reader.read(&worker.redrawn, line: position.number, into: &outcome.records)
                return nil
            }
            worker.screen.load(RawLine(bytes: line, number: position.number, offset: position.offset, continues: false))
            if TracebackCollector.startsTraceback(worker.screen) { outcome.lastTraceback = position }
            try worker.reader.read(worker.screen, into: &outcome.records)
            return nil
        }
        guard let (state, _) = TerminalBytes.trimmedState(line, line.indices) else { return nil }
        let opensTraceback = TracebackCollector.startsTraceback(line[state])
        if opensTraceback { outcome.lastTraceback = position }
        try worker.reader.read(line, states: CollectionOfOne(state), line: position.number, into: &outcome.records)
        return opensTraceback ? nil : state
    }

    private func take() -> Worker {
        // Room for a block and the end of its last line from the start: grown while reading, the
        // buffer was moved and its new pages faulted in, block after block.
        idle.withLock { $0.popLast() }
            ?? Worker(reader: ConsoleLineReader(dialect: dialect), block: LineBlock(capacity: blockBytes + blockBytes / 4 + (64 << 10)))
    }

    private func give(_ worker: Worker) {
        // A reader under a stated split is not reused: the next block must start without one.
        guard !worker.reader.carriesSplit else { return }
        idle.withLock { $0.append(worker) }
    }
}
