import Foundation
import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensReport

/// The whole Markdown report for a few samples, compared with files under Fixtures/reports/golden.
/// Run with LOSSLENS_UPDATE_GOLDEN=1 to rewrite them after an intended change (then review the diff).
final class MarkdownReportGoldenTests: XCTestCase {
    func testOverfittingRun() throws {
        try assertGolden(MarkdownReport.render(try ReportSamples.overfitting(), rules: ReportSamples.rules), "overfitting.md")
    }

    func testNaNAndCrashWithAnUnreadableSource() throws {
        try assertGolden(MarkdownReport.render(try ReportSamples.nanAndCrash(), rules: ReportSamples.rules), "nan-and-crash.md")
    }

    func testExplodingLossAndEarlyStoppedRun() throws {
        try assertGolden(MarkdownReport.render(try ReportSamples.explodingAndEarlyStopped(), rules: ReportSamples.rules), "exploding-and-early-stopped.md")
    }

    private func assertGolden(_ rendered: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let sourceGolden = TestFixtures.sourceURL("reports/golden/\(name)")
        if ProcessInfo.processInfo.environment["LOSSLENS_UPDATE_GOLDEN"] == "1" {
            try Data(rendered.utf8).write(to: sourceGolden)
            return
        }
        let expected = try String(contentsOf: try ReportTestSupport.fixtureURL("golden/\(name)"), encoding: .utf8)
        if rendered != expected {
            let renderedLines = rendered.components(separatedBy: "\n"), expectedLines = expected.components(separatedBy: "\n")
            let index = Array(zip(renderedLines, expectedLines)).firstIndex { $0 != $1 } ?? min(renderedLines.count, expectedLines.count)
            let got = index < renderedLines.count ? renderedLines[index] : "<end>"
            let want = index < expectedLines.count ? expectedLines[index] : "<end>"
            XCTFail("\(name) differs at line \(index + 1):\n  got:  \(got)\n  want: \(want)\n(LOSSLENS_UPDATE_GOLDEN=1 rewrites it)", file: file, line: line)
        }
    }
}
