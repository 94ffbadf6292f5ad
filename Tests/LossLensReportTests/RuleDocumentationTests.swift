import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensReport

final class RuleDocumentationTests: XCTestCase {
    private let rule = RuleDescription(
        id: "sample-flat", name: "Sample flat loss", defaultSeverity: .warning, summary: "",
        whatItDetects: "A loss that does not move.", whyItMatters: "Nothing is being learned.",
        howItDecides: "Relative range below 1% over the last half of the run.", fix: "Raise the learning rate.",
        triggeringExamples: [RuleExample(#"{"loss": [0.69, 0.69, 0.69, 0.69]}"#, note: "Loss stuck at ln 2.")],
        nonTriggeringExamples: [
            RuleExample(#"{"loss": [0.69, 0.5, 0.3, 0.2]}"#, note: "Loss falls."),
            RuleExample("Epoch 1/2\n```\nloss: 1.0", note: "A log with a fence in it."),
        ])

    func testExplainShowsEverySectionAndBothKindsOfExample() {
        XCTAssertEqual(RuleDocumentation.markdown(for: rule), """
            # sample-flat: Sample flat loss

            Default severity: warning. Turn it off with `--ignore sample-flat`.

            ## What it detects

            A loss that does not move.

            ## Why it matters

            Nothing is being learned.

            ## How it decides

            Relative range below 1% over the last half of the run.

            ## Example

            ### Reported

            Loss stuck at ln 2.

            ```
            {"loss": [0.69, 0.69, 0.69, 0.69]}
            ```

            ### Not reported

            Loss falls.

            ```
            {"loss": [0.69, 0.5, 0.3, 0.2]}
            ```

            A log with a fence in it.

            ````
            Epoch 1/2
            ```
            loss: 1.0
            ````

            ## Fix

            Raise the learning rate.

            """)
    }

    func testRulesTableAlignsColumnsUnderAHeader() {
        let other = RuleDescription(
            id: "crash", name: "Training crashed", defaultSeverity: .error, summary: "", whatItDetects: "", whyItMatters: "", howItDecides: "",
            fix: "", triggeringExamples: [], nonTriggeringExamples: [])
        XCTAssertEqual(RuleDocumentation.table([rule, other]), """
            ID           SEVERITY  NAME
            sample-flat  warning   Sample flat loss
            crash        error     Training crashed

            """)
    }
}
