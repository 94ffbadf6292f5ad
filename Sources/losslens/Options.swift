import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

/// Values spelled by their raw value. The defaults describe a value by reflection, which looks the
/// type up in the runtime's tables at every start: a few milliseconds a run.
protocol RawValueArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension RawValueArgument {
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension InputFormat: RawValueArgument {}
extension Severity: RawValueArgument {}

enum ReportFormat: String, RawValueArgument {
    case markdown, json, text, junit

    func renderer(failOn: Severity?, colored: Bool) -> any ReportRenderer {
        switch self {
        case .markdown: return MarkdownRenderer()
        case .json: return JSONRenderer()
        case .text: return TextRenderer(colored: colored)
        case .junit: return JUnitRenderer(failOn: failOn)
        }
    }
}

enum FailOn: String, RawValueArgument {
    case error, warning, info, never

    var threshold: Severity? {
        switch self {
        case .error: return .error
        case .warning: return .warning
        case .info: return .info
        case .never: return nil
        }
    }
}

/// How logs are read: the dialect, extra pattern files, and the caps that keep memory and disk
/// bounded whatever an input holds.
struct DialectOptions: ParsableArguments {
    @Option(name: .long, help: "Read every input as this dialect instead of choosing by content.")
    var inputFormat: InputFormat?

    @Option(name: .long, help: ArgumentHelp("A directory of extra *.pcre pattern files (see README).", valueName: "dir"))
    var patterns: String?

    @Option(name: .long, help: ArgumentHelp("The most runs read from one input; the rest of it is skipped with a warning.", valueName: "n"))
    var maxRuns: Int = RunLimits.defaultRuns

    @Option(name: .long, help: ArgumentHelp("The most metric series kept of one input; further metric names are dropped with a warning.", valueName: "n"))
    var maxSeries: Int = RunLimits.defaultSeries

    @Option(name: .long, help: ArgumentHelp(
        "The most kept of standard input, a pipe or a device (spooled to $TMPDIR past 8M); more is an error.", valueName: "size"))
    var maxSpool: String = "4G"

    func validate() throws {
        if maxRuns < 1 { throw ValidationError("--max-runs must be at least 1.") }
        if maxSeries < 1 { throw ValidationError("--max-series must be at least 1.") }
        if ByteCount.parse(maxSpool) == nil {
            throw ValidationError("--max-spool takes a size such as 4G, 512M or 65536 (bytes).")
        }
    }

    func makeAnalyzer(
        ignoring ignored: [String] = [], minimumSeverity: Severity = .info, groupsArtifacts: Bool = true, classes: Int? = nil,
        idleTimeout: Double? = AnalysisOptions.defaultIdleTimeout
    ) throws -> Analyzer {
        var options = AnalysisOptions(
            inputFormat: inputFormat, patternsDirectory: patterns, ignoredRules: Set(ignored),
            minimumSeverity: minimumSeverity, groupsArtifacts: groupsArtifacts, classes: classes)
        options.runLimits = RunLimits(runs: maxRuns, series: maxSeries)
        options.spoolLimit = ByteCount.parse(maxSpool) ?? ByteSpool.defaultLimit
        options.idleTimeout = idleTimeout
        do {
            return try Analyzer(options: options)
        } catch {
            throw ValidationError(error.localizedDescription)
        }
    }
}

/// Where the logs come from.
struct InputOptions: ParsableArguments {
    @Argument(help: "Log files or directories (walked recursively). Reads standard input when omitted and piped, or for '-'.")
    var paths: [String] = []

    @OptionGroup var dialect: DialectOptions

    @Option(name: .long, help: ArgumentHelp(
        "Give up on a named pipe, FIFO or device after this many seconds without data.", valueName: "seconds"))
    var idleTimeout: Double = AnalysisOptions.defaultIdleTimeout

    func validate() throws {
        if idleTimeout <= 0 {
            throw ValidationError("--idle-timeout must be a positive number of seconds.")
        }
        if paths.isEmpty && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("Give a log file or directory, or pipe a log into losslens (e.g. python train.py | tee log | losslens).")
        }
        if paths.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Standard input ('-') can be given only once.")
        }
    }

    var readsStandardInput: Bool { paths.isEmpty || paths.contains("-") }

    func makeAnalyzer(
        ignoring ignored: [String] = [], minimumSeverity: Severity = .info, groupsArtifacts: Bool = true, classes: Int? = nil
    ) throws -> Analyzer {
        try dialect.makeAnalyzer(
            ignoring: ignored, minimumSeverity: minimumSeverity, groupsArtifacts: groupsArtifacts, classes: classes,
            idleTimeout: idleTimeout)
    }

    /// Analyzes every input: standard input first when asked for, then the paths.
    func report(using analyzer: Analyzer) -> AnalysisReport {
        var report = AnalysisReport(options: analyzer.options)
        if readsStandardInput {
            do {
                // Large input goes to an unnamed temporary file, kept open by the input's content.
                let stream = try ByteStream(descriptor: STDIN_FILENO, name: "-")
                let spooled = try SpooledInput(stream: stream, source: "-", limit: analyzer.options.spoolLimit)
                report.runs += try analyzer.analyze(spooled.input)
            } catch {
                report.errors.append(SourceFailure(source: "-", message: error.localizedDescription))
            }
        }
        let files = paths.filter { $0 != "-" }
        if !files.isEmpty {
            let indicator = ProgressIndicator.forTerminal()
            let fromFiles = analyzer.analyze(paths: files) { finished, total in
                indicator?.update(finished: finished, total: total)
            }
            indicator?.finish()
            report.runs += fromFiles.runs
            report.errors += fromFiles.errors
        }
        return report
    }
}

/// How the report is written and what makes the command fail.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Report format.")
    var format: ReportFormat = .markdown

    @Option(name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Exit with 1 when a finding is at or above this severity.")
    var failOn: FailOn = .error

    @Option(name: .long, help: ArgumentHelp("Do not run this rule (repeatable). See 'losslens rules'.", valueName: "rule"))
    var ignore: [String] = []

    @Option(name: .long, help: "Leave out findings below this severity.")
    var minSeverity: Severity = .info

    @Option(name: .long, help: ArgumentHelp("The class count of a classifier, instead of inferring it from chance-level values.", valueName: "K"))
    var classes: Int?

    func validate() throws {
        if let classes, classes < 2 {
            throw ValidationError("--classes must be 2 or more (a classifier has at least two classes).")
        }
        let known = Set(DetectorRegistry.all.map { $0.description.id })
        for rule in ignore where !known.contains(rule) {
            throw ValidationError("Unknown rule '\(rule)' for --ignore. Run 'losslens rules' to list them.")
        }
    }

    var destination: ReportDestination { ReportDestination(path: output) }
}
