import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensReport

/// What keeps log text from commanding the GitHub Actions runner, and the one sanitizer.
final class WorkflowCommandTests: XCTestCase {
    func testNoLineStartsWithACommandAfterInertLines() {
        let text = "fine\n::add-mask::x\n   ::error::y\n\u{00A0}::warning::z\nnot ::a::command"
        let inert = WorkflowCommandFence.inertLines(text)
        for line in inert.split(separator: "\n") {
            XCTAssertFalse(line.drop { $0.isWhitespace }.hasPrefix("::"), String(line))
        }
        XCTAssertEqual(inert.replacingOccurrences(of: "\u{2060}", with: ""), text, "only an invisible joiner is added")
        XCTAssertEqual(WorkflowCommandFence.inertLines("  ::x::y", syntax: .xml), "  &#58;:x::y")
    }

    func testTokensAreRandomAndLongEnough() {
        let tokens = Set((0..<20).map { _ in WorkflowCommandFence().token })
        XCTAssertEqual(tokens.count, 20)
        XCTAssertTrue(tokens.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        let fence = WorkflowCommandFence(token: "abc")
        XCTAssertEqual(fence.opening, "::stop-commands::abc\n")
        XCTAssertEqual(fence.closing, "::abc::\n")
    }

    func testTheSanitizerRemovesWhatCouldRepaintOrDisguise() {
        XCTAssertEqual(HumanText.line("a\u{1B}[31mb\u{1B}]0;title\u{07}c\u{07}\u{9B}d\u{202E}e\u{2066}f\r\ng"), "abcdef g")
        XCTAssertEqual(HumanText.printable("tab\there"), "tab here")
    }

    func testAnnotationPropertiesAreEscapedNotAltered() {
        let source = "runs/odd\u{1B}[2J, name:1%.log"
        let run = Run(source: source, format: .pytorchConsole, name: "run 1", series: [])
        let finding = Finding(rule: "crash", severity: .error, confidence: 1, metric: nil, firstEpoch: 1, lastEpoch: 1,
                              message: "boom\u{07}\u{9B}2J\nsecond line", evidence: [], causes: [], fixes: [])
        let report = AnalysisReport(runs: [AnalyzedRun(run: run, findings: [finding])], errors: [])
        let line = GitHubAnnotations.render(report)
        XCTAssertTrue(line.hasPrefix("::error file=runs/odd\u{1B}[2J%2C name%3A1%25.log,title=losslens crash::"), line)
        XCTAssertTrue(line.hasSuffix("::boom2J%0Asecond line\n"), line)
    }
}
