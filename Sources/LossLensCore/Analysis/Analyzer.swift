import Foundation

public struct AnalysisOptions: Sendable {
    /// Forces one dialect instead of choosing by content.
    public var inputFormat: InputFormat?
    /// Extra pattern files (`--patterns DIR`).
    public var patternsDirectory: String?
    public var ignoredRules: Set<String>
    public var minimumSeverity: Severity

    public init(
        inputFormat: InputFormat? = nil, patternsDirectory: String? = nil, ignoredRules: Set<String> = [],
        minimumSeverity: Severity = .info
    ) {
        self.inputFormat = inputFormat
        self.patternsDirectory = patternsDirectory
        self.ignoredRules = ignoredRules
        self.minimumSeverity = minimumSeverity
    }
}

/// A run with what the detectors found in it.
public struct AnalyzedRun: Sendable {
    public var run: Run
    public var findings: [Finding]

    public var worstSeverity: Severity? { findings.map(\.severity).max() }

    public init(run: Run, findings: [Finding]) {
        self.run = run
        self.findings = findings
    }
}

/// A source that could not be read or parsed; the rest of a batch goes on without it.
public struct SourceFailure: Sendable, Hashable {
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
}

/// Everything one invocation produced.
public struct AnalysisReport: Sendable {
    public var runs: [AnalyzedRun]
    public var errors: [SourceFailure]
    /// `--ignore`: rules that were not run, so the report can say so.
    public var ignoredRules: Set<String>
    /// `--min-severity`: findings below it were left out.
    public var minimumSeverity: Severity

    public init(runs: [AnalyzedRun], errors: [SourceFailure], ignoredRules: Set<String> = [], minimumSeverity: Severity = .info) {
        self.runs = runs
        self.errors = errors
        self.ignoredRules = ignoredRules
        self.minimumSeverity = minimumSeverity
    }

    /// An empty report that records the filters `options` apply.
    public init(options: AnalysisOptions) {
        self.init(runs: [], errors: [], ignoredRules: options.ignoredRules, minimumSeverity: options.minimumSeverity)
    }
}

/// The public entry point: reads logs, splits them into runs and runs the detectors.
public final class Analyzer: @unchecked Sendable {
    public let options: AnalysisOptions
    private let library: PatternLibrary

    public init(options: AnalysisOptions = AnalysisOptions()) throws {
        self.options = options
        library = try PatternLibrary.bundled(adding: options.patternsDirectory)
    }

    private var parsers: [any LogParser] {
        ParserRegistry.parsers(library: library, restrictedTo: options.inputFormat.map { [$0] })
    }

    /// The runs in one input. Parsers are tried by descending confidence; the first that finds metrics wins.
    public func parse(_ input: LogInput) throws -> [Run] {
        guard !input.data.isEmpty || !input.eventFiles.isEmpty else { throw LossLensError.emptyInput(source: input.source) }
        let ranked = parsers.map { ($0, $0.confidence(for: input)) }
            .filter { options.inputFormat != nil || $0.1 > 0 }
            .enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }
            .map(\.element.0)
        var tried: [InputFormat] = []
        for parser in ranked {
            tried += parser.formats
            let runs = try parser.parse(input).filter { $0.hasMetrics || $0.crash != nil }
            if !runs.isEmpty { return runs }
        }
        throw LossLensError.noMetrics(source: input.source, tried: tried.isEmpty ? parsers.flatMap(\.formats) : tried)
    }

    /// What the detectors find in a run, after `--ignore` and `--min-severity`.
    public func findings(for run: Run) -> [Finding] {
        DetectorRegistry.all
            .filter { !options.ignoredRules.contains($0.description.id) }
            .flatMap { $0.init().findings(in: run) }
            .filter { $0.severity >= options.minimumSeverity }
    }

    public func analyze(_ input: LogInput) throws -> [AnalyzedRun] {
        try parse(input).map { AnalyzedRun(run: $0, findings: findings(for: $0)) }
    }

    /// Analyzes files and directories; failures are collected, never fatal.
    public func analyze(paths: [String]) -> AnalysisReport {
        let (items, collectErrors) = InputCollector().collect(paths)
        var report = AnalysisReport(options: options)
        report.errors = collectErrors.map { SourceFailure(source: $0.0, message: $0.1.localizedDescription) }
        for item in items {
            do {
                report.runs += try analyze(try Self.read(item))
            } catch {
                report.errors.append(SourceFailure(source: Self.name(of: item), message: error.localizedDescription))
            }
        }
        return report
    }

    static func name(of item: InputCollector.Item) -> String {
        switch item {
        case let .file(path): return path
        case let .tensorBoard(root, _): return root
        }
    }

    static func read(_ item: InputCollector.Item) throws -> LogInput {
        switch item {
        case let .file(path):
            return LogInput(source: path, data: try readFile(path))
        case let .tensorBoard(root, files):
            let events = try files.map { file -> (relativePath: String, data: Data) in
                let relative = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
                return (relative, try readFile(file))
            }
            return LogInput(source: root, data: Data(), eventFiles: events)
        }
    }

    static func readFile(_ path: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LossLensError.unreadable(path: path, reason: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw LossLensError.unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
