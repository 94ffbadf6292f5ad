import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensReport

/// The rule registry and the README's rule table are written from the detectors: these tests fail,
/// with the text to paste, when a detector is added without being registered or documented.
final class RuleRegistryTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One detector per file in `Detectors/`, named like its file, and every one of them registered.
    func testEveryDetectorFileIsRegistered() throws {
        let folder = Self.repository.appendingPathComponent("Sources/LossLensAnalysis/Detectors")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        var declared: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let names = text.matches(#"(?m)^public struct (\w+): Detector \{"#)
            XCTAssertEqual(names, [String(file.dropLast(".swift".count))], "\(file) must declare exactly the detector it is named after")
            declared += names
        }
        let registered = DetectorRegistry.all.map { String(describing: $0) }
        XCTAssertEqual(Set(registered), Set(declared), "DetectorRegistry.all must list every detector of Detectors/")
        XCTAssertEqual(registered.count, Set(registered).count, "a detector is registered twice")
    }

    func testReadmeRuleTableIsTheDetectorsOwn() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let table = RuleDocumentation.readmeTable(DetectorRegistry.all.map { $0.description })
        XCTAssertTrue(readme.contains(table), "README.md's rule table differs from the detectors' descriptions; it should read:\n\(table)")
    }

    func testLiveRulesAreTheDescribedOnes() {
        XCTAssertEqual(LiveAnalysis.liveRules, ["non-finite", "diverging", "crash", "spike"])
    }
}

private extension String {
    func matches(_ pattern: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: self, range: NSRange(startIndex..., in: self)).compactMap { match in
            Range(match.range(at: 1), in: self).map { String(self[$0]) }
        }
    }
}
