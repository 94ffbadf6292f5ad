import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Reads console output (Keras, PyTorch, Lightning, Hugging Face) with the pattern dialects:
/// picks the dialect whose patterns match the most lines, turns matched lines into records, keeps
/// callback lines as events, and attaches the traceback the log ends with as the run's crash.
///
/// The log streams through (`LineStream`): the dialect is chosen on its first lines, then the whole
/// input is read once more with it, so memory depends on the points found, not on the file size.
/// A large log is read in blocks on all cores (`ParallelConsoleReading`), with the same result.
public struct ConsoleParser: LogParser {
    public let library: PatternLibrary
    /// When set, only dialects of these formats are tried (`--input-format`).
    public let restrictedTo: Set<InputFormat>?

    public init(library: PatternLibrary, restrictedTo: Set<InputFormat>? = nil) {
        self.library = library
        self.restrictedTo = restrictedTo
    }

    public var formats: [InputFormat] {
        Array(Set(candidateDialects.map(\.format))).sorted { $0.rawValue < $1.rawValue }
    }

    private var candidateDialects: [PatternDialect] {
        library.dialects.filter { restrictedTo?.contains($0.format) ?? true }
    }

    static let sniffLines = 3000
    static let sniffBytes = LogInput.sniffBytes
    /// With `sniffLines`, how far the dialect is looked for before the whole log is (1.5 MB).
    static let sniffBytesPerLine = 512

    public func confidence(for input: LogInput) -> Double {
        // A table of text mentions losses in its sentences; it is no log.
        if ProseTable.holds(input) { return 0 }
        func score(_ sample: Data) throws -> DialectScore? {
            try bestDialect(in: .memory(sample), lineLimit: Self.sniffLines, enough: Self.matchesForFullConfidence)
        }
        var scored: DialectScore?
        do {
            scored = try score(input.prefixData(Self.sniffBytes))
            // A log that starts with an overlong line (a dumped tensor, binary junk) hides its epochs
            // from the head sample, so the tail is sampled too.
            if scored == nil, input.byteCount > Self.sniffBytes { scored = try score(input.suffixData(Self.sniffBytes)) }
        } catch {
            // A pattern that fails (a user's catastrophic pattern) must be reported, not skipped:
            // parse(_:) meets the same failure and throws it with the file and line of the pattern.
            return 0.5
        }
        guard let best = scored else {
            // A log with no epoch lines can still end in a traceback: the crash is the finding.
            return ByteNeedle("Traceback (most recent call last)").occurs(in: input.suffixData(64 * 1024)) ? 0.05 : 0
        }
        // Consoles are the fallback for any text; structured formats outrank them when they apply.
        return min(0.5, 0.1 + Double(best.matches) / 50)
    }

    /// The score from which `confidence(for:)` is 0.5 whatever comes after (0.1 + 20 / 50): scoring a
    /// sample stops there, the log is read again by `parse` anyway.
    static let matchesForFullConfidence = 20

    public func parse(_ input: LogInput) throws -> [Run] {
        try parse(content: input.content, source: input.source, limits: input.runLimits)
    }

    /// Reads `input` in blocks of `blockBytes` on `blockWorkers` workers whatever its size, so a
    /// fuzz target can compare it with reading in order. `redrawnLineBytes`: from which length a
    /// line with redraws is read as `RedrawnStates` (nil: the usual length).
    @_spi(Fuzzing)
    public func parse(_ input: LogInput, blockWorkers: Int, blockBytes: Int, redrawnLineBytes: Int? = nil) throws -> [Run] {
        try parse(content: input.content, source: input.source, blockWorkers: blockWorkers, blockBytes: blockBytes,
                  redrawnLineBytes: redrawnLineBytes ?? RedrawnStates.minimumBytes)
    }

    /// `blockWorkers` and `blockBytes` fix how a large log is split across cores (tests use them to
    /// cut small logs into many blocks); by default the size of the log, the core count and the
    /// length of the first lines decide.
    /// Tests lower `redrawnLineBytes` so that short lines take the path of long progress bars.
    @_spi(Layers) public func parse(
        content: LogContent, source: String, limits: RunLimits = RunLimits(), blockWorkers: Int? = nil,
        blockBytes: Int? = nil, redrawnLineBytes: Int = RedrawnStates.minimumBytes
    ) throws -> [Run] {
        var sample = LineSample()
        var traceback = TracebackCollector()
        var chosen = try bestDialect(in: content, lineLimit: Self.sniffLines, sample: &sample)?.dialect
        if chosen == nil {
            // Nothing in the first lines: a long preamble, or no dialect at all (then the crash is all).
            chosen = try bestDialect(in: content, lineLimit: nil, traceback: &traceback, sample: &sample)?.dialect
        }
        guard let chosen else {
            guard let crash = traceback.crash, !crash.isUserStop else { return [] }
            let formats = candidateDialects.map(\.format)
            let format = formats.contains(.pytorchConsole) ? .pytorchConsole : formats.first ?? .pytorchConsole
            return [Run(source: source, format: format, name: "run 1", crash: crash)]
        }
        var collector = ConsoleRunCollector(source: source, dialect: chosen, limits: limits)
        let workers = blockWorkers ?? ParallelConsoleReading.workers(for: content)
        if workers > 1, !chosen.joinsIndentedLines {
            let reading = ParallelConsoleReading(
                dialect: chosen, workers: workers,
                blockBytes: blockBytes ?? ParallelConsoleReading.blockBytes(forLinesOf: sample.meanLength),
                redrawnLineBytes: redrawnLineBytes)
            if let lastTraceback = try reading.read(content, into: &collector) {
                let crash = try lastTraceback.map { try TracebackCollector.crash(in: content, from: $0) }
                return collector.finish(crash: crash ?? nil)
            }
            // A split stated on a line of its own reaches into the next block: only reading in order is exact.
            collector = ConsoleRunCollector(source: source, dialect: chosen, limits: limits)
        }
        traceback = TracebackCollector()
        var reader = ConsoleLineReader(dialect: chosen)
        var joiner = IndentedLineJoiner(isActive: chosen.joinsIndentedLines)
        var batch = RecordBatch()
        func read(_ line: ScreenLine) throws {
            try reader.read(line, into: &batch)
            if batch.recordCount >= RecordBatch.handOverRecords {
                collector.take(batch, linesBefore: 0)
                batch = RecordBatch()
            }
        }
        try LineStream.screenLines(of: content) { line in
            traceback.observe(line)
            try joiner.add(line, read)
            return true
        }
        try joiner.finish(read)
        collector.take(batch, linesBefore: 0)
        return collector.finish(crash: traceback.crash)
    }

    private struct DialectScore {
        @_spi(Layers) public let dialect: PatternDialect
        @_spi(Layers) public var reader: DialectReader
        @_spi(Layers) public var matches = 0
    }

    /// How long the lines a dialect was chosen on are.
    private struct LineSample {
        @_spi(Layers) public var lines = 0
        var lastLineOffset = 0
        var meanLength: Int { lines > 1 ? lastLineOffset / (lines - 1) : 0 }
    }

    private func bestDialect(in content: LogContent, lineLimit: Int?, enough: Int) throws -> DialectScore? {
        var unusedSample = LineSample(), unusedTraceback = TracebackCollector()
        return try bestDialect(in: content, lineLimit: lineLimit, traceback: &unusedTraceback, sample: &unusedSample, enough: enough)
    }

    private func bestDialect(in content: LogContent, lineLimit: Int?, sample: inout LineSample) throws -> DialectScore? {
        var unusedTraceback = TracebackCollector()
        return try bestDialect(in: content, lineLimit: lineLimit, traceback: &unusedTraceback, sample: &sample)
    }

    /// The dialect that reads the most of the first `lineLimit` lines (all lines when nil); all
    /// candidates score in one pass, which stops early once one of them scores `enough`.
    private func bestDialect(
        in content: LogContent, lineLimit: Int?, traceback: inout TracebackCollector, sample: inout LineSample, enough: Int? = nil
    ) throws -> DialectScore? {
        var scores = candidateDialects.map { DialectScore(dialect: $0, reader: DialectReader(dialect: $0)) }
        var joiners = candidateDialects.map { IndentedLineJoiner(isActive: $0.joinsIndentedLines) }
        var line = ScreenLine()
        var redrawn = RedrawnStates()
        try LineStream.rawLines(of: content) { raw in
            // Progress bars redrawn on one physical line make few lines of many bytes.
            if let lineLimit, raw.number > lineLimit || raw.offset > lineLimit * Self.sniffBytesPerLine { return false }
            // Scoring looks at the last state only; the tracebacks of a sample are not kept.
            if lineLimit != nil, raw.bytes.count >= RedrawnStates.minimumBytes, !ScreenLine.isPlain(raw.bytes), redrawn.load(raw.bytes) {
                line.loadLastState(of: &redrawn, raw)
            } else {
                line.load(raw)
            }
            sample.lines = line.number
            sample.lastLineOffset = line.offset
            traceback.observe(line)
            for index in scores.indices {
                try joiners[index].add(line) { try Self.score(&scores[index], $0) }
            }
            if let enough, scores.contains(where: { $0.matches >= enough }) { return false }
            return true
        }
        for index in scores.indices {
            try joiners[index].finish { try Self.score(&scores[index], $0) }
        }
        var best: DialectScore?
        for score in scores where score.matches > (best?.matches ?? 0) { best = score }
        return best
    }

    /// Scoring looks at the last screen state only: enough to recognize a dialect, and cheap.
    /// A line with values counts twice an epoch header, so a dialect that reads the values wins.
    private static func score(_ score: inout DialectScore, _ line: ScreenLine) throws {
        let last = line.lastSegment ?? 0..<0
        let holdsValues = try line.bytes.withByteView { all in
            try score.reader.recordHoldsValues(in: all[last], line: line.number)
        }
        guard let holdsValues else { return }
        score.matches += holdsValues ? 2 : 1
    }
}
