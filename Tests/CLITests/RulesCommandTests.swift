import Foundation
import XCTest

/// `losslens rules` lists every detector id of the public contract.
final class RulesCommandTests: XCTestCase {
    private static let publicRuleIds = [
        "flat", "zero", "diverging", "non-finite", "leak-suspect", "chance-level", "majority-class", "oscillating",
        "overfitting", "not-converged", "metric-mismatch", "spike", "crash", "too-short",
    ]

    func testRulesListsEveryPublicRuleId() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["rules"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let listed = Set(String(decoding: data, as: UTF8.self).split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) })
        XCTAssertEqual(listed, Set(Self.publicRuleIds))
    }

    /// XCTest on Linux runs from the build products folder, next to the losslens executable.
    private static var binary: URL {
        let candidate = Bundle.main.bundleURL.appendingPathComponent("losslens")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return Bundle(for: RulesCommandTests.self).bundleURL.deletingLastPathComponent().appendingPathComponent("losslens")
    }
}
