@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// One output format of a report. A renderer only formats what the analysis concluded
/// (`AnalyzedRun`): it computes nothing of its own. A new format is a type conforming to this and
/// a case of the CLI's `ReportFormat`.
public protocol ReportRenderer {
    /// The whole report as text.
    func render(_ report: AnalysisReport) -> String
    /// The report handed to `emit` in pieces as it is made (a JSON report of a huge log is megabytes).
    /// By default, `render` in one piece.
    func write(_ report: AnalysisReport, to emit: (String) -> Void)
    /// The report's UTF-8 bytes handed to `emit` in pieces, for writers that copy bytes out
    /// (standard output, a file) without making a `String` of each piece.
    @_spi(Layers) func writeBytes(_ report: AnalysisReport, to emit: (ByteView) -> Void)
}

extension ReportRenderer {
    public func write(_ report: AnalysisReport, to emit: (String) -> Void) {
        emit(render(report))
    }

    @_spi(Layers) public func writeBytes(_ report: AnalysisReport, to emit: (ByteView) -> Void) {
        write(report) { piece in piece.withByteView(emit) }
    }
}

/// `--format markdown`: the human report GitHub renders.
public struct MarkdownRenderer: ReportRenderer {
    public init() {}
    public func render(_ report: AnalysisReport) -> String { MarkdownReport.render(report) }
}

/// `--format json`: the machine-readable report (schema in the README).
public struct JSONRenderer: ReportRenderer {
    public init() {}
    public func render(_ report: AnalysisReport) -> String { JSONReport.render(report) }
    public func write(_ report: AnalysisReport, to emit: (String) -> Void) {
        JSONReport.write(report) { emit(String(decoding: $0)) }
    }
    @_spi(Layers) public func writeBytes(_ report: AnalysisReport, to emit: (ByteView) -> Void) {
        JSONReport.write(report, to: emit)
    }
}

/// `--format text`: one block per run, coloured when asked, wrapped at a terminal's width when given.
public struct TextRenderer: ReportRenderer {
    public var colored: Bool
    public var width: Int?
    public init(colored: Bool, width: Int? = nil) {
        self.colored = colored
        self.width = width
    }
    public func render(_ report: AnalysisReport) -> String { TextReport.render(report, colored: colored, width: width) }
}

/// `--format jsonl`: a line of JSON per run (and per unreadable source).
public struct JSONLinesRenderer: ReportRenderer {
    public init() {}
    public func render(_ report: AnalysisReport) -> String { JSONLinesReport.render(report) }
}

/// `--format junit`: a test case per run, a failure per finding at or above `failOn`.
public struct JUnitRenderer: ReportRenderer {
    public var failOn: Severity?
    public init(failOn: Severity?) { self.failOn = failOn }
    public func render(_ report: AnalysisReport) -> String { JUnitReport.render(report, failOn: failOn) }
}

/// GitHub Actions workflow commands (`--format github`): one annotation per finding, at most
/// `perKind` of each kind (GitHub shows no more per step); the rest summarized, most severe first.
public struct GitHubAnnotationsRenderer: ReportRenderer {
    public var perKind: Int?
    public init(perKind: Int? = GitHubAnnotations.perStepLimit) { self.perKind = perKind }
    public func render(_ report: AnalysisReport) -> String { GitHubAnnotations.render(report, perKind: perKind) }
}
