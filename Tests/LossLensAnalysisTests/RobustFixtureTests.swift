import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Runs generated with other seeds and small variations of the labeled scenarios
/// (`scripts/robustness/generate_runs.py`), trimmed into `Fixtures/robust/`. Each is checked the way
/// the corpus scorer checks artifacts: every `require` entry (a list: any of its rules) is reported
/// at some severity, and every warning or error is required or allowed.
final class RobustFixtureTests: XCTestCase {
    private struct Labels: Decodable {
        struct Artifact: Decodable {
            var path: String
            var require: [[String]]
            var allow: [String]
        }
        var artifacts: [Artifact]
    }

    private func fixtureURL(_ path: String) throws -> URL {
        try TestFixtures.url("robust/\(path)")
    }

    func testGeneratedRunsMeetTheirScenarioLabels() throws {
        let labels = try JSONDecoder().decode(Labels.self, from: Data(contentsOf: try fixtureURL("labels.json")))
        XCTAssertGreaterThanOrEqual(labels.artifacts.count, 5)
        let analyzer = try Analyzer()
        for artifact in labels.artifacts {
            let data = try Data(contentsOf: try fixtureURL(artifact.path))
            let findings = try analyzer.analyze(LogInput(source: artifact.path, data: data)).flatMap(\.findings)
            XCTAssertFalse(findings.isEmpty && !artifact.require.isEmpty, "\(artifact.path) reported nothing")
            let reported = Set(findings.map(\.rule))
            for requirement in artifact.require {
                XCTAssertFalse(reported.isDisjoint(with: requirement), "\(artifact.path) misses \(requirement), reported \(reported.sorted())")
            }
            let allowed = Set(artifact.require.flatMap { $0 } + artifact.allow)
            let falseAlarms = Set(findings.filter { $0.severity >= .warning }.map(\.rule)).subtracting(allowed)
            XCTAssertEqual(falseAlarms, [], "\(artifact.path) false alarms")
        }
    }

    /// A held-out loss that drifts 5 % above its best value in a healthy run is worth a note, not a warning.
    func testMildHeldOutDriftIsInfo() throws {
        let data = try Data(contentsOf: try fixtureURL("keras-healthy-binary-s2/history.json"))
        let findings = try Analyzer().analyze(LogInput(source: "healthy", data: data)).flatMap(\.findings)
        let overfitting = try XCTUnwrap(findings.first { $0.rule == "overfitting" })
        XCTAssertEqual(overfitting.severity, .info)
        XCTAssertEqual(overfitting.firstEpoch, 20)
    }
}
