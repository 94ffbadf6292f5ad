import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// What an `Analyzer` reads and reports: the dialect, extra patterns, rule filters, grouping.
public struct AnalysisOptions: Sendable {
    /// Forces one dialect instead of choosing by content.
    public var inputFormat: InputFormat?
    /// Extra pattern files (`--patterns DIR`).
    public var patternsDirectory: String?
    public var ignoredRules: Set<String>
    public var minimumSeverity: Severity
    /// Report the artifacts of one run (console, history, CSV, events) once, from the most exact one.
    public var groupsArtifacts: Bool
    /// `--classes K`: the class count of a classifier, instead of inferring it.
    public var classes: Int?
    /// Runs and series per input, epochs per run (`--max-runs`, `--max-series`, `--max-epochs`).
    public var runLimits = RunLimits()
    /// The most bytes kept of a stream: standard input, a pipe, a FIFO, a device (`--max-spool`).
    public var spoolLimit = ByteSpool.defaultLimit
    /// How long a named pipe, FIFO or device may stay silent before it is given up (`--idle-timeout`).
    public var idleTimeout: Double? = AnalysisOptions.defaultIdleTimeout
    public static let defaultIdleTimeout = 60.0
    /// The patience values the EarlyStopping replay tries (a settings file may change them).
    public var replayPatiences: [Int] = EarlyStoppingReplay.defaultPatiences
    /// Rules turned off for some sources only (a settings file's `per-path-ignores`).
    public var pathIgnores: [PathIgnore] = []
    /// A rule's severity as a settings file sets it, instead of the rule's own.
    public var severityOverrides: [String: Severity] = [:]

    public init(
        inputFormat: InputFormat? = nil, patternsDirectory: String? = nil, ignoredRules: Set<String> = [],
        minimumSeverity: Severity = .info, groupsArtifacts: Bool = true, classes: Int? = nil
    ) {
        self.classes = classes
        self.groupsArtifacts = groupsArtifacts
        self.inputFormat = inputFormat
        self.patternsDirectory = patternsDirectory
        self.ignoredRules = ignoredRules
        self.minimumSeverity = minimumSeverity
    }
}

/// Rules not run for the sources a pattern matches. `pattern` is an `fnmatch(3)` pattern against
/// the absolute path of a source (`*` also matches `/`); a pattern without `/` is matched against
/// the file name. A pattern also matches everything below a folder it matches.
public struct PathIgnore: Sendable, Equatable {
    public var pattern: String
    public var rules: Set<String>

    public init(pattern: String, rules: Set<String>) {
        self.pattern = pattern
        self.rules = rules
    }

    /// Whether `source` (a path as given, relative to `directory` when not absolute) is matched.
    public func matches(_ source: String, relativeTo directory: String) -> Bool {
        let absolute = source.hasPrefix("/") ? source : directory + "/" + source
        let path = Self.normalized(absolute)
        if !pattern.contains("/") {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return fnmatch(pattern, name, 0) == 0
        }
        return fnmatch(pattern, path, 0) == 0 || fnmatch(pattern + "/*", path, 0) == 0
    }

    /// `a/./b/../c` as `a/c`, without touching the file system (a source may be gone).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
