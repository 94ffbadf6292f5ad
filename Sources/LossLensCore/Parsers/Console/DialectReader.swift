import Foundation
import PCRE2

/// Applies one dialect's patterns to lines. Holds the matchers, so it is made once per parse.
struct DialectReader {
    let dialect: PatternDialect
    private let matchers: [Matcher]
    private let prefixMatchers: [Matcher]
    private let scanner = KeyValueScanner()
    /// The split set by a line such as `evaluate: dev`, for the lines after it up to the next epoch line.
    private var contextSplit: Split?

    init(dialect: PatternDialect) {
        self.dialect = dialect
        matchers = dialect.patterns.map { $0.makeMatcher() }
        prefixMatchers = dialect.prefixPatterns.map { $0.makeMatcher() }
    }

    /// Joins indented continuation lines into the line before when the dialect asks for it.
    func joined(_ lines: [LogLine]) -> [LogLine] {
        guard dialect.joinsIndentedLines else { return lines }
        var result: [LogLine] = []
        for line in lines {
            // A blank line (no screen state) ends a wrapped bar: there is nothing to continue.
            let isContinuation = line.segments.count == 1 && line.text.count < 200
                && !(result.last?.segments.isEmpty ?? true) && line.indent >= 8
            if isContinuation {
                var previous = result.removeLast()
                var segments = previous.segments
                segments[segments.count - 1] += " " + line.text
                previous.segments = segments
                result.append(previous)
            } else {
                result.append(line)
            }
        }
        return result
    }

    /// The record a line (one screen state) yields, or nil when no pattern matches or it holds nothing.
    mutating func record(in text: String, line: Int) throws -> MetricRecord? {
        var copy = text
        return try copy.withUTF8 { whole -> MetricRecord? in
            guard dialect.admits(whole) else { return nil }
            let bytes = UnsafeBufferPointer(rebasing: whole[try prefixLength(whole)...])
            for matcher in matchers {
                guard let match = try matcher.firstMatch(in: bytes) else { continue }
                if let record = makeRecord(match, bytes, line: line) { return record }
            }
            return nil
        }
    }

    /// The length of the `@strip` prefix the line starts with (0 when none matches).
    private func prefixLength(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Int {
        for matcher in prefixMatchers {
            if let match = try matcher.firstMatch(in: bytes), match.range.lowerBound == 0 { return match.range.upperBound }
        }
        return 0
    }

    private mutating func makeRecord(_ match: Match, _ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> MetricRecord? {
        func group(_ name: String) -> String? { match.string(named: name, in: bytes) }
        var record = MetricRecord(line: line)
        record.epoch = group("epoch").flatMap { Double($0) }
        record.plannedEpochs = group("epochs").flatMap { Int($0) }
        if let global = group("global_step").flatMap({ Int($0) }) {
            record.step = global
            record.stepIsGlobal = true
        } else {
            record.step = group("step").flatMap { Int($0) }
        }
        record.perStep = dialect.forcesStepGranularity
        let statedSplit = group("split").map { MetricName(raw: $0 + " x").split }
        if record.epoch != nil { contextSplit = nil }
        let lineSplit = statedSplit ?? contextSplit
        var values: [(name: MetricName, value: Double)] = []
        if let chunk = group("metrics") {
            values = metrics(in: chunk, split: lineSplit)
        }
        for groupName in match.matchedGroupNames.sorted() where !PatternDialect.reservedGroups.contains(groupName) {
            guard let raw = group(groupName), let value = NumberParsing.value(raw) else { continue }
            values.append((MetricName(raw: groupName), value))
        }
        record.values = values
        if values.isEmpty, record.epoch == nil, let statedSplit {
            contextSplit = statedSplit
            return nil
        }
        guard !values.isEmpty || record.epoch != nil else { return nil }
        return record
    }

    /// The pairs of a metrics chunk with their splits. An unprefixed name takes the split of the line;
    /// after a spoken split (`Validation Phase Loss: 0.06  Accuracy: 0.69`) the following unprefixed
    /// names of the line take that one, as a reader would. Identifier-style names (`val_loss`) carry
    /// their split each, so they do not pass it on.
    private func metrics(in chunk: String, split lineSplit: Split?) -> [(name: MetricName, value: Double)] {
        var inherited = lineSplit
        return scanner.pairs(in: chunk).map { pair in
            var name = MetricName(raw: pair.name)
            if let stated = MetricName.statedSplit(in: pair.name) {
                if pair.name.contains(" ") { inherited = stated == .train ? lineSplit : stated }
            } else if let inherited {
                name.split = inherited
            }
            return (name, pair.value)
        }
    }
}
