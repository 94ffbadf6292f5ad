import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) import LossLensModel
@_spi(Layers) @testable import LossLensReport

/// The terminal report's layout, JSON lines, and the limits GitHub puts on a step.
final class TerminalAndCIFormatTests: XCTestCase {
    func testWrappingKeepsEveryWordAndHangsTheIndent() {
        let line = "  ✖ error   non-finite loss [epochs 1–20]: loss becomes NaN at epoch 1, from its very first value; 20 of 20 values are non-finite"
        let wrapped = TerminalText.wrap(line, width: 50, hangingIndent: 12)
        XCTAssertGreaterThan(wrapped.count, 2)
        for piece in wrapped { XCTAssertLessThanOrEqual(TerminalText.visibleWidth(piece), 50, piece) }
        for piece in wrapped.dropFirst() { XCTAssertTrue(piece.hasPrefix(String(repeating: " ", count: 12)), piece) }
        let words = { (text: String) in text.split(separator: " ").map(String.init) }
        XCTAssertEqual(wrapped.flatMap(words), words(line))
    }

    func testWrappingIgnoresColourEscapesAndCutsWordsLongerThanALine() {
        let bold = "\u{1B}[1mrun\u{1B}[0m"
        XCTAssertEqual(TerminalText.visibleWidth(bold), 3)
        XCTAssertEqual(TerminalText.wrap(bold + " fits", width: 40, hangingIndent: 4), [bold + " fits"])
        let path = "/" + String(repeating: "a", count: 120) + ".log"
        let wrapped = TerminalText.wrap("  source " + path, width: 40, hangingIndent: 4)
        for piece in wrapped { XCTAssertLessThanOrEqual(TerminalText.visibleWidth(piece), 40, piece) }
        XCTAssertEqual(wrapped.map { $0.trimmingCharacters(in: .whitespaces) }.joined().replacingOccurrences(of: "source", with: ""), path)
    }

    func testTextReportCountsNaturallyAndNamesStandardInput() throws {
        var report = try ReportSamples.nanAndCrash()
        report.runs[0].run.source = "-"
        let text = TextReport.render(report, colored: false)
        XCTAssertTrue(text.contains("<stdin> · "), text)
        XCTAssertFalse(text.contains("(s)"), text)
        let summary = TextReport.summary(report)
        XCTAssertTrue(summary.hasPrefix(report.runs.count == 1 ? "1 run: " : "\(report.runs.count) runs: "), summary)
        XCTAssertTrue(TextReport.summary(AnalysisReport(runs: [], errors: [SourceFailure(source: "a", message: "m")]))
            .hasSuffix("; 1 source could not be read"))
    }

    func testTextReportWithoutAWidthIsNotWrapped() throws {
        let report = try ReportSamples.nanAndCrash()
        XCTAssertEqual(TextReport.render(report, colored: false), TextRenderer(colored: false, width: nil).render(report))
        let narrow = TextRenderer(colored: true, width: 48).render(report)
        for line in narrow.split(separator: "\n") { XCTAssertLessThanOrEqual(TerminalText.visibleWidth(String(line)), 48, String(line)) }
    }

    func testExplainForATerminalHasNoMarkdownAndFitsTheWidth() {
        let rule = DetectorRegistry.detector(id: "spike")!.description
        let text = RuleDocumentation.terminal(for: rule, width: 60, colored: false)
        XCTAssertTrue(text.hasPrefix("spike: "), text)
        XCTAssertFalse(text.contains("## "), text)
        XCTAssertFalse(text.contains("```"), text)
        XCTAssertTrue(text.contains("What it detects"))
        for line in text.split(separator: "\n") where !line.hasPrefix("      ") {
            XCTAssertLessThanOrEqual(TerminalText.visibleWidth(String(line)), 60, String(line))
        }
    }

    func testJSONLinesHasALinePerRunAndPerUnreadableSource() throws {
        var report = try ReportSamples.nanAndCrash()
        report.errors = [SourceFailure(source: "bad.log", message: "no metrics")]
        let lines = JSONLinesReport.render(report).split(separator: "\n")
        XCTAssertEqual(lines.count, report.runs.count + 1)
        for (line, analyzed) in zip(lines, report.runs) {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(object["source"] as? String, analyzed.run.source)
            XCTAssertEqual(object["worst"] as? String, analyzed.worstSeverity?.rawValue)
            XCTAssertEqual((object["findings"] as? [Any])?.count, analyzed.findings.count)
        }
        let last = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        XCTAssertEqual(last["error"] as? String, "no metrics")
    }

    func testHostileTextStaysOnItsLineInJSONLines() {
        let text = JSONLinesReport.render(ReportSamples.hostile())
        XCTAssertEqual(text.split(separator: "\n").count, 2, text)
    }

    /// GitHub shows 10 annotations of each kind per step: the 11th and later are summarized in
    /// the 10th, most severe (then most confident) first.
    func testAnnotationsBeyondGitHubsLimitAreSummarizedMostSevereFirst() {
        var findings: [Finding] = []
        for index in 0..<14 {
            findings.append(Finding(rule: index < 4 ? "diverging" : "non-finite", severity: .error, confidence: Double(index) / 20, message: "e\(index)"))
        }
        for index in 0..<3 { findings.append(Finding(rule: "spike", severity: .warning, confidence: 0.5, message: "w\(index)")) }
        let run = ReportTestSupport.run([ReportTestSupport.series("loss", [1, 2, 3])], source: "train.log", name: "run 1")
        let report = AnalysisReport(runs: [AnalyzedRun(run: run, findings: findings)], errors: [])
        let lines = GitHubAnnotations.render(report, perKind: 10).split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.hasPrefix("::error") }
        XCTAssertEqual(errors.count, 10)
        XCTAssertTrue(errors[0].hasSuffix("::e13"), "the most confident error first: \(errors[0])")
        XCTAssertTrue(errors[8].hasSuffix("::e5"), errors[8])
        XCTAssertTrue(errors[9].contains("5 more errors not shown"), errors[9])
        XCTAssertTrue(errors[9].contains("non-finite ×1") && errors[9].contains("diverging ×4"), errors[9])
        XCTAssertEqual(lines.filter { $0.hasPrefix("::warning") }.count, 3)
        XCTAssertEqual(GitHubAnnotations.render(report).split(separator: "\n").count, 17, "no limit: every finding")
    }

    func testAStepSummaryOverBudgetIsCutOutsideCodeWithANote() {
        var markdown = "# losslens report\n\n| a | b |\n| --- | --- |\n"
        for index in 0..<4000 { markdown += "| \(index) | x |\n" }
        markdown += "\n```\ncode block\n"
        for index in 0..<4000 { markdown += "line \(index)\n" }
        markdown += "```\n"
        let fitted = StepSummary.fitted(markdown, budget: 50_000, pointer: "See losslens.md.")
        XCTAssertLessThanOrEqual(fitted.utf8.count, 50_000)
        XCTAssertTrue(fitted.contains("was cut here. See losslens.md."), String(fitted.suffix(300)))
        XCTAssertEqual(fitted.components(separatedBy: "```").count % 2, 1, "no code block left open")
        XCTAssertEqual(StepSummary.fitted("small\n", budget: 50_000, pointer: "x"), "small\n")
        XCTAssertEqual(StepSummary.limit, 1_048_576)
    }

    func testPathIgnoresMatchFoldersPatternsAndFileNames() {
        let smoke = PathIgnore(pattern: "/repo/runs/smoke", rules: ["too-short"])
        XCTAssertTrue(smoke.matches("runs/smoke/a/train.log", relativeTo: "/repo"))
        XCTAssertFalse(smoke.matches("runs/smoker/train.log", relativeTo: "/repo"))
        XCTAssertTrue(PathIgnore(pattern: "/repo/runs/*.csv", rules: []).matches("/repo/runs/x/metrics.csv", relativeTo: "/elsewhere"))
        XCTAssertTrue(PathIgnore(pattern: "*.ipynb", rules: []).matches("../repo/notebooks/a.ipynb", relativeTo: "/repo/sub"))
        XCTAssertTrue(smoke.matches("./runs/../runs/smoke/x.log", relativeTo: "/repo"))
    }
}
