import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// A log dialect described by a pattern file: PCRE2 patterns that recognize its epoch and step lines.
///
/// File format (`patterns/*.pcre`): one pattern per line; `#` starts a comment line; directives:
/// - `@format NAME`: the input format runs of this dialect report (default `pytorch-console`);
/// - `@require TEXT`: a cheap prefilter; a line is only matched when it contains one of the texts;
/// - `@granularity step`: values are per step even when the pattern captures no step;
/// - `@join-indented`: a line that starts with 8 or more spaces continues the line before it
///   (progress bars that wrap their postfix, as Lightning's rich bar does when not on a terminal);
/// - `@strip REGEX`: a prefix removed from every line before the patterns see it (a Python logging
///   `2024-01-01 12:00:00,123 - INFO - ` prefix); several may be given, the first that matches is removed;
/// - `@first-epoch 0|1`: how the dialect numbers epochs (Lightning counts from 0). Without it, a log
///   whose first epoch is 0 is taken as 0-based.
///
/// Named groups: `epoch`, `epochs` (planned count), `step`, `steps`, `global_step`, `metrics` (a
/// chunk whose `name: value` pairs are read by `KeyValueScanner`), `split` (`train`/`val`/`dev`/`test`:
/// the split of the unprefixed names in `metrics`; a line that yields only a split, such as
/// `evaluate: dev`, sets the split of the lines after it until the next epoch line); any other named
/// group is a metric of that name.
public final class PatternDialect: Sendable {
    public let name: String
    public let format: InputFormat
    public let file: String
    public let requiredTexts: [[UInt8]]
    public let forcesStepGranularity: Bool
    public let joinsIndentedLines: Bool
    /// Prefixes removed before matching (`@strip`).
    public let prefixPatterns: [Pattern]
    /// The number of the first epoch when the dialect fixes it (`@first-epoch`).
    public let firstEpoch: Int?
    public let patterns: [Pattern]
    /// Per pattern, whether it treats all digits alike (see `DigitBlindness`).
    let digitBlindPatterns: [Bool]
    /// Whether every `@strip` pattern treats all digits alike.
    let digitBlindPrefixes: Bool

    static let reservedGroups: Set<String> = ["epoch", "epochs", "step", "steps", "global_step", "metrics", "split"]

    public init(name: String, file: String, contents: String) throws {
        self.name = name
        self.file = file
        var format = InputFormat.pytorchConsole
        var required: [[UInt8]] = []
        var stepGranularity = false
        var joinIndented = false
        var prefixes: [Pattern] = []
        var firstEpoch: Int?
        var patterns: [Pattern] = []
        for (index, rawLine) in Self.lines(of: contents).enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let trimmed = String(NumberParsing.trimmingWhitespace(line[...]))
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let origin = PatternOrigin(file: file, line: index + 1)
            if trimmed.hasPrefix("@") {
                let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
                let argument = parts.count > 1 ? parts[1] : ""
                switch parts[0] {
                case "@format":
                    guard let parsed = InputFormat(rawValue: argument) else {
                        throw PatternFileError.unknownFormat(argument, origin: origin)
                    }
                    format = parsed
                case "@require": required.append(Array(argument.utf8))
                case "@granularity": stepGranularity = argument == "step"
                case "@join-indented": joinIndented = true
                case "@strip":
                    guard !argument.isEmpty else { throw PatternFileError.missingArgument("@strip", origin: origin) }
                    prefixes.append(try Pattern(argument, origin: origin))
                case "@first-epoch":
                    guard let number = Int(argument), number == 0 || number == 1 else {
                        throw PatternFileError.badFirstEpoch(argument, origin: origin)
                    }
                    firstEpoch = number
                default: throw PatternFileError.unknownDirective(parts[0], origin: origin)
                }
                continue
            }
            patterns.append(try Pattern(line, origin: origin))
        }
        guard !patterns.isEmpty else { throw PatternFileError.noPatterns(file: file) }
        self.format = format
        self.requiredTexts = required
        self.forcesStepGranularity = stepGranularity
        self.joinsIndentedLines = joinIndented
        self.prefixPatterns = prefixes
        self.firstEpoch = firstEpoch
        self.patterns = patterns
        digitBlindPatterns = patterns.map { DigitBlindness.holds(for: $0.source) }
        digitBlindPrefixes = prefixes.allSatisfy { DigitBlindness.holds(for: $0.source) }
    }

    /// The lines of `contents` as `contents.split(separator: "\n", omittingEmptySubsequences: false)`
    /// gives them, found on the UTF-8 bytes: a line feed is a character of its own except after a
    /// carriage return (the pair is one character, which does not split). Splitting character by
    /// character cost as much as compiling the bundled patterns, at every start.
    static func lines(of contents: String) -> [Substring] {
        var lines: [Substring] = []
        var start = contents.startIndex
        var previous: UInt8 = 0
        var index = contents.utf8.startIndex
        while index < contents.utf8.endIndex {
            let byte = contents.utf8[index]
            let next = contents.utf8.index(after: index)
            if byte == 0x0A, previous != 0x0D {
                lines.append(contents[start..<index])
                start = next
            }
            previous = byte
            index = next
        }
        lines.append(contents[start...])
        return lines
    }
}

public enum PatternFileError: LocalizedError, Equatable {
    case unknownFormat(String, origin: PatternOrigin)
    case unknownDirective(String, origin: PatternOrigin)
    case noPatterns(file: String)
    case missingArgument(String, origin: PatternOrigin)
    case badFirstEpoch(String, origin: PatternOrigin)
    case unreadable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unknownFormat(name, origin):
            let known = InputFormat.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(origin): unknown @format '\(name)'; use one of: \(known)"
        case let .unknownDirective(name, origin):
            return "\(origin): unknown directive '\(name)'; known directives are @format, @require, @granularity, "
                + "@join-indented, @strip, @first-epoch"
        case let .missingArgument(name, origin):
            return "\(origin): \(name) needs an argument (a regular expression)"
        case let .badFirstEpoch(value, origin):
            return "\(origin): @first-epoch takes 0 or 1, not '\(value)'"
        case let .noPatterns(file):
            return "\(file): the pattern file holds no pattern (every line is a comment or a directive)"
        case let .unreadable(path, reason):
            return "cannot read pattern directory or file '\(path)': \(reason)"
        }
    }
}
