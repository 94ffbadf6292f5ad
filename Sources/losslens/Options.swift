import ArgumentParser
import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

// Options spell their long names out (`.customLong("max-runs")` rather than `.long`): the parser
// derives a `.long` name from the property's name each time it lists a command's options, which
// it does several times a start.

/// Values spelled by their raw value. The defaults describe a value by reflection, which looks the
/// type up in the runtime's tables at every start: a few milliseconds a run.
protocol RawValueArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension RawValueArgument {
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    /// None, as the default finds by describing every case twice each time the options are listed
    /// (several times a start): it keeps the cases whose description differs from their raw value.
    public static var allValueDescriptions: [String: String] { [:] }
}

extension InputFormat: RawValueArgument {}
extension Severity: RawValueArgument {}

enum ReportFormat: String, RawValueArgument {
    case markdown, json, text, junit, github, jsonl

    /// `width`: the terminal's, for text that wraps (nil: lines are not wrapped).
    func renderer(failOn: Severity?, colored: Bool, width: Int? = nil) -> any ReportRenderer {
        switch self {
        case .markdown: return MarkdownRenderer()
        case .json: return JSONRenderer()
        case .text: return TextRenderer(colored: colored, width: width)
        case .junit: return JUnitRenderer(failOn: failOn)
        case .github: return GitHubAnnotationsRenderer()
        case .jsonl: return JSONLinesRenderer()
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
    @Option(name: .customLong("input-format"), help: "Read every input as this dialect instead of choosing by content.")
    var inputFormat: InputFormat?

    @Option(name: .customLong("patterns"), help: ArgumentHelp("A directory of extra *.pcre pattern files (see README).", valueName: "dir"))
    var patterns: String?

    @Option(name: .customLong("max-runs"), help: ArgumentHelp("The most runs read from one input; the rest of it is skipped with a warning.", valueName: "n"))
    var maxRuns: Int = RunLimits.defaultRuns

    @Option(name: .customLong("max-series"), help: ArgumentHelp("The most metric series kept of one input; further metric names are dropped with a warning.", valueName: "n"))
    var maxSeries: Int = RunLimits.defaultSeries

    @Option(name: .customLong("max-epochs"), help: ArgumentHelp("The most epochs with values kept of one run; later epochs are dropped with a warning.", valueName: "n"))
    var maxEpochs: Int = RunLimits.defaultEpochs

    @Option(name: .customLong("max-spool"), help: ArgumentHelp(
        "The most kept of standard input, a pipe or a device (spooled to $TMPDIR past 8M); more is an error.", valueName: "size"))
    var maxSpool: String = "4G"

    func validate() throws {
        if maxRuns < 1 { throw ValidationError("--max-runs must be at least 1.") }
        if maxSeries < 1 { throw ValidationError("--max-series must be at least 1.") }
        if maxEpochs < 1 { throw ValidationError("--max-epochs must be at least 1.") }
        if ByteCount.parse(maxSpool) == nil {
            throw ValidationError("--max-spool takes a size such as 4G, 512M or 65536 (bytes).")
        }
    }

    func makeAnalyzer(
        ignoring ignored: [String] = [], minimumSeverity: Severity = .info, groupsArtifacts: Bool = true, classes: Int? = nil,
        idleTimeout: Double? = AnalysisOptions.defaultIdleTimeout, settings: Settings = Settings()
    ) throws -> Analyzer {
        var options = AnalysisOptions(
            inputFormat: inputFormat, patternsDirectory: patterns ?? settings.patterns, ignoredRules: Set(ignored),
            minimumSeverity: minimumSeverity, groupsArtifacts: groupsArtifacts, classes: classes)
        options.replayPatiences = settings.replayPatiences ?? options.replayPatiences
        options.pathIgnores = settings.pathIgnores
        options.severityOverrides = settings.severityOverrides
        options.runLimits = RunLimits(runs: maxRuns, series: maxSeries, epochs: maxEpochs)
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

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp(
        "Give up on a named pipe, FIFO or device after this many seconds without data.", valueName: "seconds"))
    var idleTimeout: Double = AnalysisOptions.defaultIdleTimeout

    func validate() throws {
        if !(idleTimeout > 0 && idleTimeout.isFinite) {
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
        ignoring ignored: [String] = [], minimumSeverity: Severity = .info, groupsArtifacts: Bool = true, classes: Int? = nil,
        settings: Settings = Settings()
    ) throws -> Analyzer {
        try dialect.makeAnalyzer(
            ignoring: ignored, minimumSeverity: minimumSeverity, groupsArtifacts: groupsArtifacts, classes: classes,
            idleTimeout: idleTimeout, settings: settings)
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

/// Which settings file applies (see `Settings`).
struct SettingsOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "Read settings from this file (.losslens.toml, or a pyproject.toml's [tool.losslens]) instead of the nearest one.",
        valueName: "file"))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Ignore settings files.")
    var noConfig = false

    func load() throws -> Settings {
        do {
            return try Settings.load(explicit: config, disabled: noConfig)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}

/// How the report is written and what makes the command fail. Options left out take their value
/// from the settings file, then their default.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("format"), help: ArgumentHelp(
        "Report format (default: text on a terminal, markdown otherwise).", valueName: ReportFormat.allValueStrings.joined(separator: "|")))
    var format: ReportFormat?

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit with 1 when a finding is at or above this severity (default: error).", valueName: FailOn.allValueStrings.joined(separator: "|")))
    var failOn: FailOn?

    @Option(name: .customLong("ignore"), help: ArgumentHelp("Do not run this rule (repeatable). See 'losslens rules'.", valueName: "rule"))
    var ignore: [String] = []

    @Option(name: .customLong("min-severity"), help: ArgumentHelp(
        "Leave out findings below this severity (default: info).", valueName: Severity.allValueStrings.joined(separator: "|")))
    var minSeverity: Severity?

    @Option(name: .customLong("classes"), help: ArgumentHelp("The class count of a classifier, instead of inferring it from chance-level values.", valueName: "K"))
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

    /// The options in effect: the command line's, then the settings file's, then the defaults.
    /// `terminal`: standard output is a terminal (text is then the default format).
    func effective(_ settings: Settings, terminal: Bool) -> EffectiveOutput {
        EffectiveOutput(
            format: format ?? settings.format ?? (terminal ? .text : .markdown),
            failOn: failOn ?? settings.failOn ?? .error,
            ignore: settings.ignore + ignore.filter { !settings.ignore.contains($0) },
            minSeverity: minSeverity ?? settings.minSeverity ?? .info,
            classes: classes ?? settings.classes)
    }
}

/// `OutputOptions` with the settings file applied.
struct EffectiveOutput {
    var format: ReportFormat
    var failOn: FailOn
    var ignore: [String]
    var minSeverity: Severity
    var classes: Int?
}

/// The terminal standard output is, if it is one: its width in columns.
enum Terminal {
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The width of the terminal on `descriptor`; `COLUMNS` when the terminal does not say; 80 else.
    static func width(of descriptor: Int32 = STDOUT_FILENO) -> Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessEnvironment.variables["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}
