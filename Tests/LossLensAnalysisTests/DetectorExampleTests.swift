import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensParsers

/// Runs every registered detector's documented examples: a triggering example must make the rule
/// report, a non-triggering one must not.
final class DetectorExampleTests: XCTestCase {
    func testEveryDetectorHasExamplesOfBothKinds() {
        for detector in DetectorRegistry.all {
            let rule = detector.description
            XCTAssertFalse(rule.triggeringExamples.isEmpty, "\(rule.id) has no triggering example")
            XCTAssertFalse(rule.nonTriggeringExamples.isEmpty, "\(rule.id) has no non-triggering example")
        }
    }

    func testRuleIdsAreUniqueKebabCase() {
        let ids = DetectorRegistry.all.map { $0.description.id }
        XCTAssertEqual(Set(ids).count, ids.count)
        for id in ids {
            XCTAssertNotNil(id.range(of: "^[a-z]+(-[a-z]+)*$", options: .regularExpression), id)
        }
    }

    func testExamples() throws {
        let analyzer = try Analyzer()
        for detector in DetectorRegistry.all {
            let rule = detector.description
            for (index, example) in rule.triggeringExamples.enumerated() {
                let rules = try reportedRules(analyzer, example, label: "\(rule.id) triggering #\(index + 1)")
                XCTAssertTrue(rules.contains(rule.id),
                              "\(rule.id) triggering example #\(index + 1) (\(example.note)) reported \(rules.sorted())")
            }
            for (index, example) in rule.nonTriggeringExamples.enumerated() {
                let rules = try reportedRules(analyzer, example, label: "\(rule.id) non-triggering #\(index + 1)")
                XCTAssertFalse(rules.contains(rule.id),
                               "\(rule.id) non-triggering example #\(index + 1) (\(example.note)) reported it")
            }
        }
    }

    private func reportedRules(_ analyzer: Analyzer, _ example: RuleExample, label: String) throws -> Set<String> {
        let runs = try analyzer.parse(LogInput(source: label, data: Data(example.log.utf8)))
        XCTAssertFalse(runs.isEmpty, "\(label) did not parse")
        // The detectors' own findings (symptoms), before the diagnosis step groups them: an example
        // shows what a detector sees, whichever diagnosis the symptom ends up under.
        return Set(runs.flatMap { run in DetectorRegistry.all.flatMap { $0.init().findings(in: analyzer.curves(for: run)) } }.map(\.rule))
    }
}
