import Foundation
import PCRE2

/// Reads console output (Keras, PyTorch, Lightning, Hugging Face) with the pattern dialects:
/// picks the dialect whose patterns match the most lines, turns matched lines into records, keeps
/// callback lines as events, and attaches the traceback the log ends with as the run's crash.
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

    static let sniffBytes = 256 * 1024

    public func confidence(for input: LogInput) -> Double {
        // A log that starts with an overlong line (a dumped tensor, binary junk) hides its epochs
        // from the head sample, so the tail is sampled too.
        var samples = [input.data.prefix(Self.sniffBytes)]
        if input.data.count > Self.sniffBytes { samples.append(input.data.suffix(Self.sniffBytes)) }
        var scored: (dialect: PatternDialect, matches: Int)?
        do {
            for sample in samples where scored == nil {
                scored = try bestDialect(for: Array(LogLine.split(sample).prefix(Self.sniffLines)))
            }
        } catch {
            // A pattern that fails (a user's catastrophic pattern) must be reported, not skipped:
            // parse(_:) meets the same failure and throws it with the file and line of the pattern.
            return 0.5
        }
        guard let best = scored else {
            // A log with no epoch lines can still end in a traceback: the crash is the finding.
            return input.data.suffix(64 * 1024).range(of: Data("Traceback (most recent call last)".utf8)) != nil ? 0.05 : 0
        }
        // Consoles are the fallback for any text; structured formats outrank them when they apply.
        return min(0.5, 0.1 + Double(best.matches) / 50)
    }

    public func parse(_ input: LogInput) throws -> [Run] {
        try parse(lines: input.lines, source: input.source)
    }

    /// Parses already-split lines (the notebook parser feeds cell outputs through here).
    public func parse(lines: [LogLine], source: String) throws -> [Run] {
        let crash = TracebackScanner.crash(in: lines)
        guard let chosen = try bestDialect(for: Array(lines.prefix(Self.sniffLines)))?.dialect
            ?? bestDialect(for: lines)?.dialect
        else {
            guard let crash else { return [] }
            let formats = candidateDialects.map(\.format)
            let format = formats.contains(.pytorchConsole) ? .pytorchConsole : formats.first ?? .pytorchConsole
            return [Run(source: source, format: format, name: "run 1", crash: crash)]
        }
        var reader = DialectReader(dialect: chosen)
        var assembler = RunAssembler(source: source, format: chosen.format, firstEpoch: chosen.firstEpoch)
        let events = CallbackEvents()
        var lastRecordLine = 0
        for line in reader.joined(lines) {
            var eventSeen = false
            for segment in line.segments {
                if let event = events.event(in: segment, line: line.number) {
                    if !eventSeen { assembler.addEvent(event) }
                    eventSeen = true
                    continue
                }
                if let record = try reader.record(in: segment, line: line.number) {
                    assembler.add(record)
                    lastRecordLine = line.number
                }
            }
        }
        var runs = assembler.finish()
        if let crash, crash.line > lastRecordLine {
            if runs.isEmpty {
                runs = [Run(source: source, format: chosen.format, name: "run 1")]
            }
            runs[runs.count - 1].crash = crash
        }
        return runs
    }

    private func bestDialect(for lines: [LogLine]) throws -> (dialect: PatternDialect, matches: Int)? {
        var best: (dialect: PatternDialect, matches: Int)?
        for dialect in candidateDialects {
            var reader = DialectReader(dialect: dialect)
            var matches = 0
            for line in reader.joined(lines) {
                // Scoring looks at the last screen state only: enough to recognize a dialect, and cheap.
                // A line with values counts twice an epoch header, so a dialect that reads the values wins.
                guard let record = try reader.record(in: line.text, line: line.number) else { continue }
                matches += record.values.isEmpty ? 1 : 2
            }
            if matches > (best?.matches ?? 0) { best = (dialect, matches) }
        }
        return best
    }
}
