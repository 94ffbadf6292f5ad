import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// The public entry point: reads logs, splits them into runs and runs the detectors.
public final class Analyzer: Sendable {
    public let options: AnalysisOptions
    private let library: PatternLibrary

    public init(options: AnalysisOptions = AnalysisOptions()) throws {
        self.options = options
        library = try PatternLibrary.bundled(adding: options.patternsDirectory)
    }

    private var parsers: [any LogParser] { parsers(for: nil) }

    /// The parsers of `formats` that the options allow (all of them when `formats` is nil).
    private func parsers(for formats: Set<InputFormat>?) -> [any LogParser] {
        let allowed = options.inputFormat.map { forced in formats.map { $0.intersection([forced]) } ?? [forced] } ?? formats
        return ParserRegistry.parsers(library: library, restrictedTo: allowed)
    }

    /// The runs in one input. Parsers are tried by descending confidence; the first that finds metrics wins.
    /// A parser that refuses the input (truncated JSON) does not stop the others; when none finds
    /// anything, the most confident parser's reason is the error.
    public func parse(_ input: LogInput) throws -> [Run] {
        try parse(input, by: parsers)
    }

    private func parse(_ input: LogInput, by parsers: [any LogParser]) throws -> [Run] {
        guard input.byteCount > 0 || !input.eventFiles.isEmpty || !input.folderFiles.isEmpty else {
            throw LossLensError.emptyInput(source: input.source)
        }
        var input = try input.decodingUTF16()
        input.runLimits = options.runLimits
        let ranked = parsers.map { ($0, $0.confidence(for: input)) }
            .filter { options.inputFormat != nil || $0.1 > 0 }
            .enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }
            .map(\.element.0)
        var tried: [InputFormat] = []
        var refusal: Error?
        var thin: [Run]?
        for parser in ranked {
            tried += parser.formats
            do {
                let runs = try parser.parse(input).filter { $0.hasMetrics || $0.crash != nil }
                if runs.isEmpty { continue }
                guard let console = thin else {
                    // A dialect that found one epoch in a log may have read a stray line of it (a final
                    // `Test accuracy: 0.9`) and missed its own print style: the generic reader, when it
                    // reads the log, decides by reading more.
                    if parser is ConsoleParser, runs.allSatisfy({ $0.epochCount <= 1 && $0.crash == nil }),
                        ranked.contains(where: { $0 is GenericConsoleParser }) {
                        thin = runs
                        continue
                    }
                    return runs
                }
                return parser is GenericConsoleParser && runs.contains(where: { $0.epochCount > 1 }) ? runs : console
            } catch let error as LossLensError where error.endsReading {
                throw error
            } catch {
                refusal = refusal ?? error
            }
        }
        if let thin { return thin }
        if let refusal { throw refusal }
        if BinarySniffer.looksBinary(input.prefixData(8192)) { throw LossLensError.binaryInput(source: input.source) }
        if ProseTable.holds(input) { throw LossLensError.proseTable(source: input.source) }
        throw LossLensError.noMetrics(source: input.source, tried: tried.isEmpty ? parsers.flatMap(\.formats) : tried)
    }

    /// The curves the detectors judge, with the task the run trains (`--classes` overrides K).
    public func curves(for run: Run) -> RunCurves {
        RunCurves(run, task: TaskInference.profile(of: run, statedClasses: options.classes))
    }

    /// The diagnoses of a run, after `--ignore` and `--min-severity`.
    public func findings(for run: Run) -> [Finding] {
        findings(in: curves(for: run))
    }

    private func findings(in curves: RunCurves) -> [Finding] {
        let ignored = ignoredRules(for: curves.run.source)
        let symptoms = DetectorRegistry.all
            .filter { !ignored.contains($0.description.id) }
            .flatMap { $0.init().findings(in: curves) }
        return Diagnosis.diagnose(symptoms, framework: curves.run.format.framework)
            .map(overridingSeverity)
            .filter { $0.severity >= options.minimumSeverity }
            .map { Self.pointedAtPrintedLines($0, curves.run.printedLines) }
    }

    /// `--ignore` and the rules a `per-path-ignores` pattern turns off for this source.
    @_spi(Layers) public func ignoredRules(for source: String) -> Set<String> {
        guard !options.pathIgnores.isEmpty else { return options.ignoredRules }
        let directory = FileManager.default.currentDirectoryPath
        return options.pathIgnores.filter { $0.matches(source, relativeTo: directory) }
            .reduce(options.ignoredRules) { $0.union($1.rules) }
    }

    /// A finding at the severity a settings file gives its rule.
    private func overridingSeverity(_ finding: Finding) -> Finding {
        guard let severity = options.severityOverrides[finding.rule] else { return finding }
        var finding = finding
        finding.severity = severity
        return finding
    }

    /// Evidence of a run read from its history file points at the console line that printed the
    /// value, when the console is a companion: the line a person reads.
    static func pointedAtPrintedLines(_ finding: Finding, _ printed: PrintedLines?) -> Finding {
        guard let printed else { return finding }
        var finding = finding
        for index in finding.evidence.indices {
            let item = finding.evidence[index]
            guard item.step == nil, let epoch = item.epoch, let line = printed.line(of: item.metric, epoch: epoch) else { continue }
            finding.evidence[index].line = line
            finding.evidence[index].source = printed.source
        }
        return finding
    }

    /// A run with its diagnoses and what they were judged on.
    public func analyzed(_ run: Run) -> AnalyzedRun {
        let curves = curves(for: run)
        return AnalyzedRun(run: run, findings: findings(in: curves), curves: curves, patiences: options.replayPatiences)
    }

    public func analyze(_ input: LogInput) throws -> [AnalyzedRun] {
        try parse(input).map(analyzed)
    }

    /// Analyzes files and directories on all cores; the output order is that of the sorted inputs,
    /// whatever order the work finishes in. Failures are collected, never fatal. Artifacts of one run
    /// that sit together are reported once (see `ArtifactGrouping`).
    /// `progress` is called with (finished, total) from worker threads.
    public func analyze(paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> AnalysisReport {
        let layout = InputCollector().collect(paths, companions: options.groupsArtifacts)
        let items = layout.items
        let outcomes = ParallelMap.map(items, progress: progress) { item -> Result<[Run], Error> in
            Result { try self.parse(try self.read(item)) }
        }
        var report = AnalysisReport(options: options)
        report.errors = layout.errors.map { SourceFailure(source: $0.0, message: $0.1.localizedDescription) }
        var parsed: [[Run]] = []
        for (item, outcome) in zip(items, outcomes) {
            switch outcome {
            case let .success(runs):
                let companions = layout.companions[item.name] ?? []
                parsed.append(companions.isEmpty ? runs : completedFromCompanions(runs, candidates: companions))
            case let .failure(error):
                report.errors.append(SourceFailure(source: item.name, message: error.localizedDescription))
            }
        }
        let runs = (options.groupsArtifacts ? ArtifactGrouping.merge(parsed) : parsed).flatMap { $0 }
        report.runs = ParallelMap.map(runs) { self.analyzed($0) }
        return report
    }

    /// A console that printed only its last epoch (Lightning's rich bar when not on a terminal) cannot
    /// show a trend; when the run's own folder holds a fuller artifact of the same run, that one is used.
    func completedFromCompanions(_ runs: [Run], candidates: [InputCollector.Item]) -> [Run] {
        let longest = runs.first?.series.filter { $0.granularity == .epoch }.map(\.points.count).max() ?? 0
        guard runs.count == 1, longest < 2, runs[0].hasMetrics else { return runs }
        // Only a more exact artifact can stand in for the run, so only its parsers read the folder's
        // files: the other logs there (a download folder may hold gigabytes of them) are not read.
        let companionParsers = parsers(for: ArtifactGrouping.formats(moreExactThan: runs[0].format))
        guard !companionParsers.isEmpty else { return runs }
        for item in candidates where item.name != runs[0].source {
            guard let input = try? read(item), let candidates = try? parse(input, by: companionParsers),
                candidates.count == 1, candidates[0].epochCount >= 2, ArtifactGrouping.agree(runs[0], candidates[0])
            else { continue }
            var fuller = candidates[0]
            ArtifactGrouping.absorb(runs[0], into: &fuller)
            return [fuller]
        }
        return runs
    }

    /// The input an item names. A pipe, FIFO or device is read to its end now, as standard input
    /// is (see `SpooledInput`): its bytes can be read only once.
    @_spi(Layers) public func read(_ item: InputCollector.Item) throws -> LogInput {
        switch item {
        case let .file(path) where ByteStream.isStream(path):
            let stream = try ByteStream(path: path, idleTimeout: options.idleTimeout)
            return try SpooledInput(stream: stream, source: path, limit: options.spoolLimit).input
        case let .file(path):
            return try LogInput(source: path, filePath: path)
        case let .tensorBoard(root, files):
            let events = try files.map { file -> (relativePath: String, content: LogContent) in
                let relative = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
                return (relative, try LogContent.opening(file))
            }
            return LogInput(source: root, eventFiles: events)
        case let .mlflowRun(root, files):
            let names = MLflowParser.nameFiles.map { (root as NSString).appendingPathComponent($0) }
                .filter { FileManager.default.fileExists(atPath: $0) }
            let members = try (files + names).map { file -> (relativePath: String, content: LogContent) in
                let relative = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
                return (relative, try LogContent.opening(file))
            }
            return LogInput(source: root, folderFiles: members)
        }
    }
}
