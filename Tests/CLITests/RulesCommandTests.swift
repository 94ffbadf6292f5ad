import Foundation
import XCTest

/// `losslens rules` lists every detector id of the public contract.
final class RulesCommandTests: XCTestCase {
    private static let publicRuleIds = [
        "flat", "zero", "diverging", "non-finite", "leak-suspect", "chance-level", "majority-class", "oscillating",
        "overfitting", "not-converged", "metric-mismatch", "spike", "crash", "too-short",
    ]

    func testRulesListsEveryPublicRuleId() throws {
        let result = try CLIRunner.run(["rules"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines.first?.hasPrefix("ID") ?? false, "a header line first")
        // The table ends at the first blank line; a hint follows it.
        let rows = lines.dropFirst().prefix { !$0.isEmpty }
        let listed = Set(rows.compactMap { $0.split(separator: " ").first.map(String.init) })
        XCTAssertEqual(listed, Set(Self.publicRuleIds))
    }
}
